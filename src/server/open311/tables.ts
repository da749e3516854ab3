import { bigint, index, pgTable, text, timestamp, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { users } from '../auth/tables.ts';
import { regions } from '../geo/tables.ts';

/**
 * Systems allowed to submit requests through Open311 GeoReport v2 (a hotline bridge, a city app),
 * one API key each, for one county (the Open311 jurisdiction). Only the key's SHA-256 is kept: the
 * key is shown once when issued. A revoked key stays here so the audit trail can name it.
 */
export const open311Clients = pgTable(
  'open311_clients',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    /** The jurisdiction_id this key may submit to: a 6-digit county code. */
    countyCode: varchar('county_code', { length: 6 })
      .notNull()
      .references(() => regions.code),
    /** SHA-256 of the key, hex. */
    keyHash: varchar('key_hash', { length: 64 }).notNull(),
    /** Null when issued from the command line. */
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('open311_clients_key_hash_uq').on(t.keyHash),
    index('open311_clients_county_idx').on(t.countyCode),
  ],
);
