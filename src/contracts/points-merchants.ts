import { z } from 'zod';
import { Phone, page } from './common.ts';
import { Text } from './party.ts';
import { APPLICATION_STATUSES, OFFER_CATEGORIES } from './points-states.ts';

/**
 * The merchant side of points: a business applies to join its community, the community
 * approves (which registers the merchant) or rejects; the console lists merchants with their
 * offers; counters and the community read monthly statements.
 */

const CommunityCode = z.string().regex(/^\d{12}$/, { message: 'regionCode' });

// Applications ------------------------------------------------------------------------------------

export const MerchantApplicationCreate = z.object({
  communityCode: CommunityCode,
  name: Text(60),
  address: z.string().trim().max(200).optional(),
  /** What it would offer (the categories residents browse by). */
  categories: z.array(z.enum(OFFER_CATEGORIES)).min(1).max(OFFER_CATEGORIES.length),
  contactName: Text(30),
  contactPhone: Phone,
  note: z.string().trim().max(500).optional(),
});
export type MerchantApplicationCreate = z.infer<typeof MerchantApplicationCreate>;

export const MerchantApplicationView = z.object({
  id: z.number(),
  community: z.object({ code: z.string(), name: z.string() }),
  name: z.string(),
  address: z.string().nullable(),
  categories: z.array(z.enum(OFFER_CATEGORIES)),
  /** Masked for staff (reveal is audited); the applicant's own, as typed. */
  contactName: z.string(),
  contactPhone: z.string(),
  note: z.string().nullable(),
  /** Who applied (masked). */
  applicant: z.string(),
  status: z.enum(APPLICATION_STATUSES),
  /** Why it was rejected. */
  reason: z.string().nullable(),
  /** The merchant registered on approval. */
  merchant: z.object({ id: z.number(), name: z.string() }).nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  can: z.object({ decide: z.boolean(), reveal: z.boolean() }),
});
export type MerchantApplicationView = z.infer<typeof MerchantApplicationView>;

export const ApplicationListQuery = z.object({
  status: z.enum(APPLICATION_STATUSES).default('pending'),
});

export const ApplicationApprove = z.object({
  /** More people for the counter besides the applicant (existing accounts). */
  staffPhones: z.array(Phone).max(10).default([]),
});
export const ApplicationReject = z.object({ reason: Text(200) });

export const ApplicationContact = z.object({ contactName: z.string(), contactPhone: z.string() });

// Merchants and offers in the console ------------------------------------------------------------

/** upcoming: not yet valid; active: redeemable now; soldOut: no stock left; ended: past its last day (or closed). */
export const OFFER_STATES = ['upcoming', 'active', 'soldOut', 'ended'] as const;
export type OfferState = (typeof OFFER_STATES)[number];

export const OfferAdminView = z.object({
  id: z.number(),
  merchantId: z.number(),
  title: z.string(),
  category: z.enum(OFFER_CATEGORIES),
  price: z.number(),
  /** Vouchers that may still be issued. */
  stock: z.number(),
  /** Vouchers checked in at the counter. */
  redeemed: z.number(),
  /** Vouchers issued and not yet used (they may still be checked in, cancelled or expire). */
  outstanding: z.number(),
  perMemberLimit: z.number(),
  validFrom: z.string(),
  validUntil: z.string(),
  state: z.enum(OFFER_STATES),
  can: z.object({ edit: z.boolean() }),
});
export type OfferAdminView = z.infer<typeof OfferAdminView>;

export const MerchantAdminView = z.object({
  id: z.number(),
  name: z.string(),
  community: z.object({ code: z.string(), name: z.string() }),
  address: z.string().nullable(),
  /** Who works the counter (masked). */
  staff: z.array(z.object({ name: z.string(), phone: z.string() })),
  /** Points in its redemption account. */
  balance: z.number(),
  offers: z.array(OfferAdminView),
  createdAt: z.string(),
  can: z.object({ edit: z.boolean() }),
});
export type MerchantAdminView = z.infer<typeof MerchantAdminView>;
export const MerchantAdminPage = page(MerchantAdminView);

export const MerchantListQuery = z.object({
  /** Only merchants in this region (a county, township or community code). */
  region: z
    .string()
    .regex(/^\d{6}(\d{3}(\d{3})?)?$/, { message: 'regionCode' })
    .optional(),
  q: z.string().trim().max(40).optional(),
  cursor: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type MerchantListQuery = z.infer<typeof MerchantListQuery>;

/** Stock added (positive) or taken away (negative); it never goes below zero. */
export const OfferStockChange = z.object({
  change: z.number().int().min(-100_000).max(100_000).describe('Not zero'),
});
export type OfferStockChange = z.infer<typeof OfferStockChange>;

/** The counters the signed-in person works. */
export const MyCounter = z.object({
  id: z.number(),
  name: z.string(),
  address: z.string().nullable(),
});
export type MyCounter = z.infer<typeof MyCounter>;

// Monthly statements ---------------------------------------------------------------------------

/** Checked by the service, which says what is wrong in the caller's language. */
export const Month = z.string().trim().max(7).describe('YYYY-MM');
/** Without a month: this month (Asia/Shanghai). */
export const StatementMonthQuery = z.object({ month: Month.optional() });

export const StatementLine = z.object({
  voucherId: z.number(),
  /** When it was checked in. */
  redeemedAt: z.string(),
  offer: z.string(),
  points: z.number(),
  /** The member, masked. */
  member: z.string(),
});
export type StatementLine = z.infer<typeof StatementLine>;

export const MerchantStatement = z.object({
  merchant: z.object({ id: z.number(), name: z.string(), community: z.string() }),
  month: z.string(),
  lines: z.array(StatementLine),
  totals: z.object({ vouchers: z.number(), points: z.number() }),
  /** The redemption account: at the end of the month (or now, for this month) and now. */
  balanceAtMonthEnd: z.number(),
  balance: z.number(),
});
export type MerchantStatement = z.infer<typeof MerchantStatement>;
