import { type Column, getTableColumns, getTableName, type SQL, sql, type Table } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from './index.ts';

/**
 * A column with its table name spelled out. Drizzle renders bare column names in single-table
 * selects, which inside a correlated subquery would silently bind to the subquery's own table.
 */
export function outer(col: Column): SQL {
  return sql`${sql.identifier(getTableName(col.table))}.${sql.identifier(col.name)}`;
}

/**
 * `json_build_object` of every column of `table` (read through `alias`), keyed by field name: a
 * table's rows nested in another query's row (`json_agg`), so a detail page is one round trip.
 * `fromJsonRow` turns such an object back into the row drizzle would have returned.
 */
export function jsonRowOf(table: Table, alias: string): SQL {
  const parts = Object.entries(getTableColumns(table)).map(
    ([key, col]) => sql`${sql.raw(`'${key}'`)}, ${sql.identifier(alias)}.${sql.identifier(col.name)}`,
  );
  return sql`json_build_object(${sql.join(parts, sql`, `)})`;
}

export function fromJsonRow<T extends Table>(table: T, json: Record<string, unknown>): T['$inferSelect'] {
  return mapRow(getTableColumns(table), json, 'field') as T['$inferSelect'];
}

/** Values mapped by drizzle's own mappers, read by field name or by column name. */
function mapRow(cols: Record<string, Column>, row: Record<string, unknown>, by: 'field' | 'column') {
  const out: Record<string, unknown> = {};
  for (const [key, col] of Object.entries(cols)) {
    const v = row[by === 'field' ? key : col.name];
    // NULL stays NULL (a timestamp's mapper would turn it into 1970).
    out[key] = v === null || v === undefined ? null : col.mapFromDriverValue(v);
  }
  return out;
}

const preparedByDb = new WeakMap<object, Map<string, unknown>>();

/**
 * A named prepared statement for a hot query of fixed text, built once per database handle (the
 * pool, or a transaction). PostgreSQL parses it once per connection and, for point lookups,
 * settles on one generic plan: no planning per request. Not for lists whose best plan depends on
 * the values (a generic plan for a status filter was ten times slower there).
 */
export function prepared<T>(db: object, name: string, build: (name: string) => T): T {
  let byName = preparedByDb.get(db);
  if (!byName) {
    byName = new Map();
    preparedByDb.set(db, byName);
  }
  let q = byName.get(name) as T | undefined;
  if (!q) {
    q = build(name);
    byName.set(name, q);
  }
  return q;
}

const dialect = new PgDialect();

/**
 * A hot raw statement as a named prepared statement, its text rendered once: write it with
 * `sql.placeholder('x')` for every value and run it with `{ x: … }`. PostgreSQL parses and plans
 * it once per connection, and no request pays for rendering it again.
 */
export function preparedStatement<Row>(name: string, query: SQL) {
  const rendered = dialect.sqlToQuery(query);
  return {
    async run(db: Db, values: Record<string, unknown>): Promise<Row[]> {
      const res = (await db._.session.prepareQuery(rendered, undefined, name, false).execute(values)) as {
        rows: Row[];
      };
      return res.rows;
    },
  };
}

/** SQL and values of a drizzle fragment, the values numbered from $1. */
export function rendered(query: SQL): { sql: string; params: unknown[] } {
  return dialect.sqlToQuery(query);
}

/**
 * Runs statement text composed by hand (around `rendered` fragments) through the database handle,
 * as a named prepared statement when `name` is given. Rows come as the driver reads them:
 * timestamps as text and bigints as strings, for `mapColumns`.
 */
export async function runText<Row>(db: Db, text: string, params: unknown[], name?: string): Promise<Row[]> {
  const res = await db._.session.prepareQuery({ sql: text, params }, undefined, name, false).execute();
  return (res as unknown as { rows: Row[] }).rows;
}

/** A driver row's columns (by column name) mapped the way drizzle maps them, under their field names. */
export function mapColumns<C extends Record<string, Column>>(
  cols: C,
  row: Record<string, unknown>,
): { [K in keyof C]: C[K]['_']['data'] | (C[K]['_']['notNull'] extends true ? never : null) } {
  return mapRow(cols, row, 'column') as never;
}
