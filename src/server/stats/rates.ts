import { type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import {
  MAX_PERIOD_DAYS,
  RATE_KINDS,
  type RateFigure,
  type RateKind,
  type StatsGroupBy,
  type TicketRates,
} from '../../contracts/stats.ts';
import { scopeWhere } from '../core/access.ts';
import { AppError } from '../core/errors.ts';
import type { Db } from '../db/index.ts';
import { regions } from '../geo/tables.ts';
import { tickets } from '../tickets/tables.ts';

/**
 * The three ticket rates (响应率, 办结率, 满意率), each defined once as SQL over `tickets`. The
 * fragments are exported so the rollups, dashboards and exports that come later compute the same
 * figure the same way; their plain-language definitions are RATE_DEFINITIONS in contracts/stats.ts
 * and must say what this code does.
 *
 * Each rate is: the instant that places a ticket in a period (`at`), and two predicates over the
 * ticket row, the denominator's and the numerator's (which implies the denominator's). Fragments
 * name the `tickets` columns qualified ("tickets"."status"), so they are used in queries that read
 * `from tickets` unaliased.
 */

/** A period of Asia/Shanghai calendar days as the half-open instant range [start, end). */
export interface PeriodInstants {
  start: Date;
  end: Date;
}

const DAY_MS = 86_400_000;

/** Midnight at the start of a Shanghai calendar day (UTC+8 all year, no DST since 1991). */
export function shanghaiMidnight(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

/**
 * Checks a period of Shanghai calendar days [from, to], both included, and gives its instants.
 * Refuses a period that ends before it starts or covers more than MAX_PERIOD_DAYS days.
 */
export function periodInstants(from: string, to: string): PeriodInstants {
  const start = shanghaiMidnight(from);
  const last = shanghaiMidnight(to);
  if (Number.isNaN(start.getTime()) || Number.isNaN(last.getTime())) throw new AppError('request.invalid');
  if (last < start) throw new AppError('stats.period_reversed', { from, to });
  const days = Math.round((last.getTime() - start.getTime()) / DAY_MS) + 1;
  if (days > MAX_PERIOD_DAYS) throw new AppError('stats.period_too_long', { days, max: MAX_PERIOD_DAYS });
  return { start, end: new Date(last.getTime() + DAY_MS) };
}

/** The Shanghai calendar day of an instant, as SQL (for rollups keyed by day). */
export function shanghaiDay(col: AnyPgColumn | SQL): SQL<string> {
  return sql<string>`((${col} at time zone 'UTC') + interval '8 hours')::date`;
}

/** `col` falls in the period: index-friendly bounds on the instant itself. */
export function inPeriod(col: AnyPgColumn | SQL, p: PeriodInstants): SQL {
  return sql`(${col} >= ${p.start} and ${col} < ${p.end})`;
}

/**
 * Tickets that count at all: not rejected (不予受理), referred to another channel or merged into
 * another ticket (a duplicate counts once, on the ticket it was merged into). All three are
 * terminal states, so a ticket leaves the figures once and for all.
 */
export const countedTicket: SQL = sql`${tickets.status} not in ('rejected', 'referred', 'merged')`;

/** Statuses of a ticket that has been resolved (办结) and not sent back or reopened since. */
export const resolvedTicket: SQL = sql`${tickets.status} in ('resolved', 'confirmed', 'closed')`;

export interface RateSql {
  /** The instant that places a ticket in a period. */
  at: AnyPgColumn;
  denominator: SQL;
  /** Implies `denominator`. */
  numerator: SQL;
}

export const RATE_SQL: Record<RateKind, RateSql> = {
  /** 响应率: accepted by the accept deadline / received, by the day it was received. */
  response: {
    at: tickets.createdAt,
    denominator: countedTicket,
    numerator: sql`(${countedTicket} and ${tickets.acceptedAt} <= ${tickets.acceptDueAt})`,
  },
  /**
   * 办结率: resolved by the resolve deadline / tickets whose (current) resolve deadline fell in the
   * period. A ticket sent back keeps its resolved_at until it is resolved again, so the status is
   * what says it is resolved now; a reopened one has a new deadline and no resolved_at.
   */
  resolution: {
    at: tickets.resolveDueAt,
    denominator: countedTicket,
    numerator: sql`(${countedTicket} and ${resolvedTicket} and ${tickets.resolvedAt} <= ${tickets.resolveDueAt})`,
  },
  /**
   * 满意率: the resident's final answer when the ticket closed (outcome), satisfied / rated, by the
   * day it closed. Tickets closed without a rating (noRating) are not rated.
   */
  satisfaction: {
    at: tickets.closedAt,
    denominator: sql`${tickets.outcome} in ('satisfied', 'unsatisfied')`,
    numerator: sql`${tickets.outcome} = 'satisfied'`,
  },
};

/** numerator / denominator, or null when nothing was counted. */
export function rateOf(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** Column aliases of the counts, e.g. response_n / response_d. */
const alias = (kind: RateKind, part: 'n' | 'd') => sql.raw(`${kind}_${part}`);

/** The six counts over the tickets in scope, as select-list items `count(*) filter (…) as kind_n`. */
export function rateCountColumns(p: PeriodInstants): SQL {
  const cols = RATE_KINDS.flatMap((kind) => {
    const r = RATE_SQL[kind];
    const when = inPeriod(r.at, p);
    return [
      sql`count(*) filter (where ${when} and ${r.numerator})::int as ${alias(kind, 'n')}`,
      sql`count(*) filter (where ${when} and ${r.denominator})::int as ${alias(kind, 'd')}`,
    ];
  });
  return sql.join(cols, sql`, `);
}

/** A ticket that can count in any of the rates for the period (narrows the scan). */
export function inAnyRatePeriod(p: PeriodInstants): SQL {
  return sql`(${sql.join(
    RATE_KINDS.map((k) => inPeriod(RATE_SQL[k].at, p)),
    sql` or `,
  )})`;
}

/** Which path segment (1-based, paths are `city.county.township.community.…`) holds each level's code. */
export const GROUP_DEPTH: Record<Exclude<StatsGroupBy, 'none'>, number> = {
  county: 2,
  township: 3,
  community: 4,
};

/** The code of the ticket's region at a level, read from its path. */
export function regionOfTicket(level: Exclude<StatsGroupBy, 'none'>): SQL<string> {
  return sql<string>`split_part(${tickets.path}, '.', ${sql.raw(String(GROUP_DEPTH[level]))})`;
}

type CountRow = Record<`${RateKind}_${'n' | 'd'}`, number> & { key?: string };

function figuresOf(row: CountRow | undefined): TicketRates {
  const out = {} as Record<RateKind, RateFigure>;
  for (const kind of RATE_KINDS) {
    const numerator = Number(row?.[`${kind}_n`] ?? 0);
    const denominator = Number(row?.[`${kind}_d`] ?? 0);
    out[kind] = { numerator, denominator, rate: rateOf(numerator, denominator) };
  }
  return out;
}

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

export interface TicketRatesInput {
  /** Region paths whose tickets count (an empty list counts nothing). Access is the caller's job. */
  scopes: readonly string[];
  /** Shanghai calendar days, both included. */
  from: string;
  to: string;
  /** Also split by the regions of this level inside the scopes (all of them, with or without tickets). */
  groupBy?: StatsGroupBy;
}

export interface TicketRatesResult {
  total: TicketRates;
  groups: (TicketRates & { code: string; name: string })[];
}

/** The three rates over the tickets under `scopes` for the period, in total and by region. */
export async function ticketRates(db: Db, input: TicketRatesInput): Promise<TicketRatesResult> {
  const p = periodInstants(input.from, input.to);
  const where = sql`${scopeWhere(tickets.path, input.scopes)} and ${inAnyRatePeriod(p)}`;
  const [total] = rowsOf<CountRow>(
    await db.execute(sql`select ${rateCountColumns(p)} from ${tickets} where ${where}`),
  );
  const groupBy = input.groupBy ?? 'none';
  if (groupBy === 'none') return { total: figuresOf(total), groups: [] };

  const counted = rowsOf<CountRow>(
    await db.execute(
      sql`select ${regionOfTicket(groupBy)} as key, ${rateCountColumns(p)} from ${tickets} where ${where} group by 1`,
    ),
  );
  const byKey = new Map(counted.map((r) => [r.key, r]));
  const places = await db
    .select({ code: regions.code, name: regions.name })
    .from(regions)
    .where(sql`${regions.level} = ${groupBy} and ${scopeWhere(regions.path, input.scopes)}`)
    .orderBy(regions.sort, regions.code);
  return {
    total: figuresOf(total),
    groups: places.map((r) => ({ code: r.code, name: r.name, ...figuresOf(byKey.get(r.code)) })),
  };
}
