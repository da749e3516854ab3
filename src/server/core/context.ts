import type { FastifyBaseLogger } from 'fastify';
import type { SessionCache } from '../auth/session-cache.ts';
import { isRetryable } from '../db/errors.ts';
import type { Db } from '../db/index.ts';
import type { Actor } from './access.ts';
import type { ReferenceCache } from './cache.ts';
import type { Clock } from './clock.ts';
import type { Locale } from './errors.ts';
import type { PiiCipher } from './pii.ts';

/** What every service function gets: the transaction, who is acting, and the time. */
export interface Ctx {
  db: Db;
  actor: Actor | null;
  clock: Clock;
  ip: string | null;
  locale: Locale;
  log: FastifyBaseLogger;
  /** The instance's reference-data cache; absent in the CLI and jobs, which read the database. */
  cache?: ReferenceCache;
  /** The instance's signed-in sessions: a change to a user is forgotten here at once (other
   * instances hear of it from the database trigger). */
  sessions?: SessionCache;
  /** Seals and indexes identity card numbers (core/pii.ts); absent where none are handled. */
  pii?: PiiCipher;
}

export function withDb(ctx: Ctx, db: Db): Ctx {
  return { ...ctx, db };
}

/** One transaction per mutating operation; audit rows commit or roll back with the change. */
export async function inTransaction<T>(ctx: Ctx, fn: (tx: Ctx) => Promise<T>): Promise<T> {
  return ctx.db.transaction(async (tx) => fn(withDb(ctx, tx as unknown as Db)));
}

/**
 * A transaction run again from the start when PostgreSQL gives up on it (serialization failure
 * or deadlock, 40001/40P01), after a short random wait; other errors pass straight through.
 */
export async function inRetriedTransaction<T>(
  ctx: Ctx,
  fn: (tx: Ctx) => Promise<T>,
  attempts = 6,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(ctx, fn);
    } catch (e) {
      if (attempt >= attempts || !isRetryable(e)) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** attempt));
    }
  }
}
