import { sql } from 'drizzle-orm';

/** A CHECK that a column holds one of a vocabulary's values (the vocabulary lives in contracts). */
export const oneOf = (col: string, values: readonly string[]) =>
  sql.raw(`${col} in (${values.map((v) => `'${v}'`).join(',')})`);
