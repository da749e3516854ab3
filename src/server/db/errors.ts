/** PostgreSQL error helpers; both pg and PGlite expose `code` and `constraint`. */
interface PgErrorLike {
  code?: string;
  constraint?: string;
  cause?: unknown;
}

function pgError(err: unknown): PgErrorLike | undefined {
  let e: unknown = err;
  // drizzle wraps driver errors in DrizzleQueryError with the original as `cause`.
  for (let i = 0; i < 3 && e && typeof e === 'object'; i++) {
    const p = e as PgErrorLike;
    if (typeof p.code === 'string' && /^[0-9A-Z]{5}$/.test(p.code)) return p;
    e = p.cause;
  }
  return undefined;
}

export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const p = pgError(err);
  return p?.code === '23505' && (!constraint || p.constraint === constraint);
}

export function isForeignKeyViolation(err: unknown, constraint?: string): boolean {
  const p = pgError(err);
  return p?.code === '23503' && (!constraint || p.constraint === constraint);
}

/** Serialization failure or deadlock: the transaction may be retried as a whole. */
export function isRetryable(err: unknown): boolean {
  const c = pgError(err)?.code;
  return c === '40001' || c === '40P01';
}

export function pgCode(err: unknown): string | undefined {
  return pgError(err)?.code;
}
