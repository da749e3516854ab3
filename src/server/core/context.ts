import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/index.ts';
import type { Actor } from './access.ts';
import type { Clock } from './clock.ts';
import type { Locale } from './errors.ts';

/** What every service function gets: the transaction, who is acting, and the time. */
export interface Ctx {
  db: Db;
  actor: Actor | null;
  clock: Clock;
  ip: string | null;
  locale: Locale;
  log: FastifyBaseLogger;
}

export function withDb(ctx: Ctx, db: Db): Ctx {
  return { ...ctx, db };
}

/** One transaction per mutating operation; audit rows commit or roll back with the change. */
export async function inTransaction<T>(ctx: Ctx, fn: (tx: Ctx) => Promise<T>): Promise<T> {
  return ctx.db.transaction(async (tx) => fn(withDb(ctx, tx as unknown as Db)));
}
