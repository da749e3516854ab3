import { z } from 'zod';
import { CursorQuery, Id, Phone, page } from './common.ts';
import { IsoDate, Text } from './party.ts';
import {
  MAX_ENTRY_POINTS,
  OFFER_CATEGORIES,
  POINT_SOURCES,
  TRANSFER_KINDS,
  VOUCHER_STATUSES,
} from './points-states.ts';

export * from './points-states.ts';

/**
 * Staff credit a member with points (or, with source `deduction`, take them away): who, how
 * many, why and on what evidence. The staff member posting it is its approver.
 */
export const PointsEntryCreate = z.object({
  memberId: z.number().int().positive(),
  points: z.number().int().min(1).max(MAX_ENTRY_POINTS),
  source: z.enum(POINT_SOURCES),
  reason: Text(200),
  evidence: z
    .string()
    .trim()
    .max(500)
    .optional()
    .describe('What shows it happened (a record, a photo’s place)'),
});
export type PointsEntryCreate = z.infer<typeof PointsEntryCreate>;

export const TransferView = z.object({
  id: z.number(),
  kind: z.enum(TRANSFER_KINDS),
  /** Signed from the account's side: positive in, negative out. */
  points: z.number(),
  source: z.enum(POINT_SOURCES).nullable(),
  reason: z.string(),
  evidence: z.string().nullable(),
  /** The other side, in words (the community's issuing account, a merchant, a member masked). */
  counterpart: z.string(),
  approvedBy: z.string().nullable().describe('Masked'),
  at: z.string(),
});
export type TransferView = z.infer<typeof TransferView>;

export const AccountView = z.object({
  memberId: z.number().nullable(),
  balance: z.number(),
  earned: z.number().describe('Everything ever credited'),
  spent: z.number().describe('Everything ever debited'),
});
export type AccountView = z.infer<typeof AccountView>;

export const StatementQuery = CursorQuery.extend({});
export const MemberPointsParams = z.object({ id: Id });

/** A member's points: null account for someone with no party record. */
export const PointsView = z.object({ account: AccountView.nullable(), statement: page(TransferView) });
export type PointsView = z.infer<typeof PointsView>;

export const EntryResult = z.object({
  transferId: z.number(),
  /** true: this Idempotency-Key had been posted already; nothing moved now. */
  replayed: z.boolean(),
  account: AccountView,
});
export type EntryResult = z.infer<typeof EntryResult>;

// Merchants, offers, vouchers ----------------------------------------------------------------------

export const MerchantCreate = z.object({
  name: Text(60),
  communityCode: z.string().regex(/^\d{12}$/),
  address: z.string().trim().max(200).optional(),
  /** Who works the counter (existing accounts): they check vouchers in. */
  staffPhones: z.array(Phone).max(10).default([]),
});
export type MerchantCreate = z.infer<typeof MerchantCreate>;
export const MerchantView = z.object({
  id: z.number(),
  name: z.string(),
  communityCode: z.string(),
  address: z.string().nullable(),
});

export const OfferCreate = z.object({
  title: Text(80),
  category: z.enum(OFFER_CATEGORIES),
  price: z.number().int().min(1).max(100_000),
  stock: z.number().int().min(0).max(100_000),
  perMemberLimit: z.number().int().min(1).max(100).default(1),
  validFrom: IsoDate,
  validUntil: IsoDate,
});
export type OfferCreate = z.infer<typeof OfferCreate>;

export const OfferView = z.object({
  id: z.number(),
  merchant: z.object({ id: z.number(), name: z.string(), address: z.string().nullable() }),
  title: z.string(),
  category: z.enum(OFFER_CATEGORIES),
  price: z.number(),
  stock: z.number(),
  perMemberLimit: z.number(),
  validFrom: z.string(),
  validUntil: z.string(),
});
export type OfferView = z.infer<typeof OfferView>;

export const VoucherView = z.object({
  id: z.number(),
  /** The one-time code (its holder's; null where the counter sees a voucher it checked in). */
  code: z.string().nullable(),
  offer: z.object({ id: z.number(), title: z.string(), price: z.number() }),
  merchant: z.string(),
  status: z.enum(VOUCHER_STATUSES),
  expired: z.boolean(),
  expiresAt: z.string(),
  redeemedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type VoucherView = z.infer<typeof VoucherView>;
export const VoucherCheckIn = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{12}$/, { message: 'voucherCode' }),
});
