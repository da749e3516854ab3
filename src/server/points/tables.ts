import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import {
  ACCOUNT_KINDS,
  OFFER_CATEGORIES,
  POINT_SOURCES,
  TRANSFER_KINDS,
  VOUCHER_STATUSES,
} from '../../contracts/points-states.ts';
import { users } from '../auth/tables.ts';
import { oneOf } from '../db/checks.ts';
import { regions } from '../geo/tables.ts';
import { partyMembers } from '../party/tables.ts';

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
    /** A merchant's redemption account. */
    merchantId: bigint('merchant_id', { mode: 'number' }).references((): AnyPgColumn => pointsMerchants.id),
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

/**
 * 商家: a local business that takes points for discounts, registered by its community (which is
 * the community's approval). `path` is the community's region path.
 */
export const pointsMerchants = pgTable(
  'points_merchants',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    communityCode: varchar('community_code', { length: 12 })
      .notNull()
      .references(() => regions.code),
    path: text('path').notNull(),
    address: text('address'),
    approvedBy: bigint('approved_by', { mode: 'number' }).references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('points_merchants_name_uq').on(t.communityCode, t.name),
    index('points_merchants_path_idx').using('btree', t.path.op('text_pattern_ops')),
  ],
);

/** Who works a merchant's counter: they check vouchers in and read its statements. */
export const pointsMerchantUsers = pgTable(
  'points_merchant_users',
  {
    merchantId: bigint('merchant_id', { mode: 'number' })
      .notNull()
      .references(() => pointsMerchants.id),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.userId] }),
    index('points_merchant_users_user_idx').on(t.userId),
  ],
);

/** 优惠: what a merchant gives for points; `stock` counts down as vouchers are issued and never below zero. */
export const pointsOffers = pgTable(
  'points_offers',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    merchantId: bigint('merchant_id', { mode: 'number' })
      .notNull()
      .references(() => pointsMerchants.id),
    title: text('title').notNull(),
    category: varchar('category', { length: 10 }).notNull(),
    price: integer('price').notNull(),
    stock: integer('stock').notNull(),
    perMemberLimit: integer('per_member_limit').notNull(),
    validFrom: date('valid_from').notNull(),
    validUntil: date('valid_until').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('points_offers_merchant_idx').on(t.merchantId),
    check('points_offers_category_chk', oneOf('category', OFFER_CATEGORIES)),
    check('points_offers_price_chk', sql`price > 0`),
    check('points_offers_stock_chk', sql`stock >= 0`),
    check('points_offers_limit_chk', sql`per_member_limit > 0`),
    check('points_offers_dates_chk', sql`valid_until >= valid_from`),
  ],
);

/**
 * 兑换券: one per redemption, paid by a transfer from the member to the merchant. The code is
 * what the merchant scans or types; it is checked in once (a conditional UPDATE, so two scans at
 * once cannot both succeed), or cancelled before that with the points returned.
 */
export const pointsVouchers = pgTable(
  'points_vouchers',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    offerId: bigint('offer_id', { mode: 'number' })
      .notNull()
      .references(() => pointsOffers.id),
    memberId: bigint('member_id', { mode: 'number' })
      .notNull()
      .references(() => partyMembers.id),
    code: varchar('code', { length: 16 }).notNull(),
    status: varchar('status', { length: 10 }).notNull().default('issued'),
    transferId: bigint('transfer_id', { mode: 'number' })
      .notNull()
      .references(() => pointsTransfers.id),
    refundTransferId: bigint('refund_transfer_id', { mode: 'number' }).references(() => pointsTransfers.id),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    redeemedAt: timestamp('redeemed_at', { withTimezone: true }),
    redeemedBy: bigint('redeemed_by', { mode: 'number' }).references(() => users.id),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('points_vouchers_code_uq').on(t.code),
    uniqueIndex('points_vouchers_transfer_uq').on(t.transferId),
    index('points_vouchers_member_idx').on(t.memberId, t.offerId),
    index('points_vouchers_offer_idx').on(t.offerId, t.status),
    check('points_vouchers_status_chk', oneOf('status', VOUCHER_STATUSES)),
    check('points_vouchers_redeemed_chk', sql`(status = 'redeemed') = (redeemed_at is not null)`),
  ],
);
