import { sql } from 'drizzle-orm';
import { bigint, check, index, pgTable, text, timestamp, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { ACCOUNT_KINDS, POINT_SOURCES, TRANSFER_KINDS } from '../../contracts/points-states.ts';
import { users } from '../auth/tables.ts';
import { partyMembers } from '../party/tables.ts';

const oneOf = (col: string, values: readonly string[]) =>
  sql.raw(`${col} in (${values.map((v) => `'${v}'`).join(',')})`);

/**
 * 积分账户. `balance` is the sum of the account's movements, kept in the same transaction as each
 * transfer under a row lock; the database refuses a negative balance on any account but a
 * community's issuing account (which creates points, so it stands at minus what it issued).
 */
export const pointsAccounts = pgTable(
  'points_accounts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    kind: varchar('kind', { length: 10 }).notNull(),
    memberId: bigint('member_id', { mode: 'number' }).references(() => partyMembers.id),
    /** The issuing account's community. */
    communityCode: varchar('community_code', { length: 12 }),
    /** A merchant's account (merchants come with the redemption side). */
    merchantId: bigint('merchant_id', { mode: 'number' }),
    balance: bigint('balance', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('points_accounts_member_uq').on(t.memberId).where(sql`member_id is not null`),
    uniqueIndex('points_accounts_issuer_uq').on(t.communityCode).where(sql`kind = 'issuer'`),
    uniqueIndex('points_accounts_merchant_uq').on(t.merchantId).where(sql`merchant_id is not null`),
    check('points_accounts_kind_chk', oneOf('kind', ACCOUNT_KINDS)),
    check('points_accounts_balance_chk', sql`kind = 'issuer' or balance >= 0`),
    check('points_accounts_member_chk', sql`(kind = 'member') = (member_id is not null)`),
    check('points_accounts_issuer_chk', sql`(kind = 'issuer') = (community_code is not null)`),
    check('points_accounts_merchant_chk', sql`(kind = 'merchant') = (merchant_id is not null)`),
  ],
);

/**
 * 积分流水: one transfer is two movements that sum to zero, `amount` out of `from` and into `to`;
 * a row can hold nothing else (amount > 0, two different accounts). Never updated or deleted: a
 * mistake is corrected by a transfer the other way. Every write carries an idempotency key, so a
 * retried request posts once.
 */
export const pointsTransfers = pgTable(
  'points_transfers',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    idempotencyKey: varchar('idempotency_key', { length: 120 }).notNull(),
    /** What the request asked for, to tell a replay from a different request reusing a key. */
    requestHash: varchar('request_hash', { length: 64 }).notNull(),
    kind: varchar('kind', { length: 10 }).notNull(),
    fromAccountId: bigint('from_account_id', { mode: 'number' })
      .notNull()
      .references(() => pointsAccounts.id),
    toAccountId: bigint('to_account_id', { mode: 'number' })
      .notNull()
      .references(() => pointsAccounts.id),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    source: varchar('source', { length: 16 }),
    reason: text('reason').notNull(),
    evidence: text('evidence'),
    approvedBy: bigint('approved_by', { mode: 'number' }).references(() => users.id),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('points_transfers_key_uq').on(t.idempotencyKey),
    index('points_transfers_from_idx').on(t.fromAccountId, t.id),
    index('points_transfers_to_idx').on(t.toAccountId, t.id),
    check('points_transfers_amount_chk', sql`amount > 0`),
    check('points_transfers_accounts_chk', sql`from_account_id <> to_account_id`),
    check('points_transfers_kind_chk', oneOf('kind', TRANSFER_KINDS)),
    check('points_transfers_source_chk', sql`source is null or ${oneOf('source', POINT_SOURCES)}`),
  ],
);
