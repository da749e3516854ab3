import { sql } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { AppError } from './errors.ts';

/**
 * Fixed-window counters in the database, so every instance behind a load balancer shares them.
 * Returns the count in the current window after this hit.
 */
export async function hit(db: Db, key: string, windowSeconds: number, now: Date): Promise<number> {
  const start = new Date(Math.floor(now.getTime() / (windowSeconds * 1000)) * windowSeconds * 1000);
  const res = (await db.execute(sql`
    insert into rate_limits (key, window_start, count) values (${key}, ${start.toISOString()}, 1)
    on conflict (key, window_start) do update set count = rate_limits.count + 1
    returning count`)) as unknown as { rows: { count: number }[] };
  return Number(res.rows[0]?.count ?? 1);
}

export async function peek(db: Db, key: string, windowSeconds: number, now: Date): Promise<number> {
  const start = new Date(Math.floor(now.getTime() / (windowSeconds * 1000)) * windowSeconds * 1000);
  const res = (await db.execute(
    sql`select count from rate_limits where key = ${key} and window_start = ${start.toISOString()}`,
  )) as unknown as { rows: { count: number }[] };
  return Number(res.rows[0]?.count ?? 0);
}

export function secondsLeft(windowSeconds: number, now: Date): number {
  const ms = windowSeconds * 1000;
  return Math.max(1, Math.ceil((ms - (now.getTime() % ms)) / 1000));
}

/** Counts a hit and refuses with 429 once `limit` is passed. */
export async function limit(
  db: Db,
  key: string,
  windowSeconds: number,
  max: number,
  now: Date,
): Promise<void> {
  const n = await hit(db, key, windowSeconds, now);
  if (n > max) throw new AppError('request.rate_limited', { seconds: secondsLeft(windowSeconds, now) });
}

/** Old windows are useless; deleted opportunistically. */
export async function pruneRateLimits(db: Db, now: Date): Promise<void> {
  await db.execute(
    sql`delete from rate_limits where window_start < ${new Date(now.getTime() - 86_400_000).toISOString()}`,
  );
}
