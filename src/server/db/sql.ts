import { type Column, getTableName, type SQL, sql } from 'drizzle-orm';

/**
 * A column with its table name spelled out. Drizzle renders bare column names in single-table
 * selects, which inside a correlated subquery would silently bind to the subquery's own table.
 */
export function outer(col: Column): SQL {
  return sql`${sql.identifier(getTableName(col.table))}.${sql.identifier(col.name)}`;
}
