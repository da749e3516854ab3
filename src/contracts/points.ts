import { z } from 'zod';
import { CursorQuery, Id, page } from './common.ts';
import { Text } from './party.ts';
import { MAX_ENTRY_POINTS, POINT_SOURCES, TRANSFER_KINDS } from './points-states.ts';

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
