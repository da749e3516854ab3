import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
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
  APPLICATION_STATUSES,
  DECLARATION_STATUSES,
  OBJECTION_STATUSES,
  OFFER_CATEGORIES,
  POINT_SOURCES,
  POSTING_STATUSES,
  RULE_UNITS,
  TRANSFER_KINDS,
  VOUCHER_STATUSES,
} from '../../contracts/points-states.ts';
import { users } from '../auth/tables.ts';
import { oneOf } from '../db/checks.ts';
import { regions } from '../geo/tables.ts';
import { partyMembers, partyOrgs } from '../party/tables.ts';

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

/**
 * 积分规则: a county's own rate for a source (points per verified hour or per entry), the most
 * one entry may carry and whether members may declare it themselves. A county without a row
 * for a source earns by DEFAULT_RULES.
 */
export const pointsRules = pgTable(
  'points_rules',
  {
    countyCode: varchar('county_code', { length: 6 }).notNull(),
    source: varchar('source', { length: 16 }).notNull(),
    points: integer('points').notNull(),
    unit: varchar('unit', { length: 6 }).notNull(),
    maxPerEntry: integer('max_per_entry').notNull(),
    declarable: boolean('declarable').notNull(),
    updatedBy: bigint('updated_by', { mode: 'number' }).references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.source] }),
    check('points_rules_source_chk', oneOf('source', POINT_SOURCES)),
    check('points_rules_unit_chk', oneOf('unit', RULE_UNITS)),
    check('points_rules_points_chk', sql`points >= 0 and max_per_entry > 0`),
  ],
);

/**
 * 自主申报: a member declares what they did (with evidence); staff of their place approve it
 * (the points are posted, the approver recorded) or reject it with a reason.
 */
export const pointsDeclarations = pgTable(
  'points_declarations',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    memberId: bigint('member_id', { mode: 'number' })
      .notNull()
      .references(() => partyMembers.id),
    path: text('path').notNull(),
    source: varchar('source', { length: 16 }).notNull(),
    description: text('description').notNull(),
    evidence: text('evidence'),
    /** Files attached as evidence (core/files.ts ids). */
    fileIds: bigint('file_ids', { mode: 'number' }).array().notNull().default(sql`'{}'::bigint[]`),
    points: integer('points').notNull(),
    status: varchar('status', { length: 10 }).notNull().default('pending'),
    reason: text('reason'),
    decidedBy: bigint('decided_by', { mode: 'number' }).references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    transferId: bigint('transfer_id', { mode: 'number' }).references(() => pointsTransfers.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('points_declarations_path_idx').using('btree', t.path.op('text_pattern_ops'), t.status),
    index('points_declarations_member_idx').on(t.memberId, t.id),
    check('points_declarations_status_chk', oneOf('status', DECLARATION_STATUSES)),
    check('points_declarations_source_chk', oneOf('source', POINT_SOURCES)),
    check('points_declarations_points_chk', sql`points > 0`),
    check('points_declarations_decided_chk', sql`(status = 'approved') = (transfer_id is not null)`),
  ],
);

/**
 * 季度积分公示: one per community and quarter, frozen at quarter end (its rows never change
 * after), open to objections until `objection_until`, then final, then archived.
 */
export const pointsPostings = pgTable(
  'points_postings',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    communityCode: varchar('community_code', { length: 12 })
      .notNull()
      .references(() => regions.code),
    path: text('path').notNull(),
    year: integer('year').notNull(),
    quarter: integer('quarter').notNull(),
    status: varchar('status', { length: 10 }).notNull().default('objection'),
    frozenAt: timestamp('frozen_at', { withTimezone: true }).notNull(),
    /** The last day objections are taken (the configured number of working days after freezing). */
    objectionUntil: date('objection_until').notNull(),
    finalisedAt: timestamp('finalised_at', { withTimezone: true }),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('points_postings_uq').on(t.communityCode, t.year, t.quarter),
    index('points_postings_path_idx').using('btree', t.path.op('text_pattern_ops'), t.year, t.quarter),
    check('points_postings_status_chk', oneOf('status', POSTING_STATUSES)),
    check('points_postings_quarter_chk', sql`quarter between 1 and 4`),
  ],
);

/** A member's line in a posting: points earned in the quarter, rank in the community and in the branch. */
export const pointsPostingRows = pgTable(
  'points_posting_rows',
  {
    postingId: bigint('posting_id', { mode: 'number' })
      .notNull()
      .references(() => pointsPostings.id),
    memberId: bigint('member_id', { mode: 'number' })
      .notNull()
      .references(() => partyMembers.id),
    orgId: bigint('org_id', { mode: 'number' }).references(() => partyOrgs.id),
    /** The name as posted (masked): a posting is public. */
    nameMasked: text('name_masked').notNull(),
    points: integer('points').notNull(),
    communityRank: integer('community_rank').notNull(),
    branchRank: integer('branch_rank'),
  },
  (t) => [
    primaryKey({ columns: [t.postingId, t.memberId] }),
    index('points_posting_rows_rank_idx').on(t.postingId, t.communityRank),
    index('points_posting_rows_org_idx').on(t.postingId, t.orgId, t.branchRank),
  ],
);

/** 异议: a member objects to a posting (theirs or another's line); staff uphold or dismiss it with a reply. */
export const pointsObjections = pgTable(
  'points_objections',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    postingId: bigint('posting_id', { mode: 'number' })
      .notNull()
      .references(() => pointsPostings.id),
    memberId: bigint('member_id', { mode: 'number' })
      .notNull()
      .references(() => partyMembers.id),
    /** The line objected to, if about one member. */
    aboutMemberId: bigint('about_member_id', { mode: 'number' }).references(() => partyMembers.id),
    text: text('text').notNull(),
    status: varchar('status', { length: 10 }).notNull().default('open'),
    reply: text('reply'),
    resolvedBy: bigint('resolved_by', { mode: 'number' }).references(() => users.id),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('points_objections_posting_idx').on(t.postingId, t.status),
    check('points_objections_status_chk', oneOf('status', OBJECTION_STATUSES)),
  ],
);

/** 商家入驻申请: a business applies to its community; approval registers the merchant. */
export const pointsMerchantApplications = pgTable(
  'points_merchant_applications',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    communityCode: varchar('community_code', { length: 12 })
      .notNull()
      .references(() => regions.code),
    path: text('path').notNull(),
    name: text('name').notNull(),
    address: text('address'),
    categories: text('categories').array().notNull().default(sql`'{}'::text[]`),
    contactName: text('contact_name').notNull(),
    contactPhone: varchar('contact_phone', { length: 20 }).notNull(),
    note: text('note'),
    applicantUserId: bigint('applicant_user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    status: varchar('status', { length: 10 }).notNull().default('pending'),
    reason: text('reason'),
    merchantId: bigint('merchant_id', { mode: 'number' }).references(() => pointsMerchants.id),
    decidedBy: bigint('decided_by', { mode: 'number' }).references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('points_merchant_applications_path_idx').using('btree', t.path.op('text_pattern_ops'), t.status),
    uniqueIndex('points_merchant_applications_pending_uq')
      .on(t.communityCode, t.name)
      .where(sql`status = 'pending'`),
    check('points_merchant_applications_status_chk', oneOf('status', APPLICATION_STATUSES)),
  ],
);
