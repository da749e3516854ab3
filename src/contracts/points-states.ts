/** The points domain's fixed vocabularies (plain constants, safe for the web bundle). */

/**
 * Accounts: a member's; a community's issuing account (it creates the points its members earn,
 * so its balance is the negative of what it has issued); a merchant's redemption account.
 */
export const ACCOUNT_KINDS = ['member', 'issuer', 'merchant'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** What a transfer is: points earned, taken away, spent at a merchant, or a spend undone. */
export const TRANSFER_KINDS = ['award', 'deduct', 'redeem', 'refund'] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

/**
 * Where earned (or deducted) points come from: verified service hours, activities, branch
 * records (支部记实), self-declaration (approved), residents' praise, peer evaluation,
 * organisation awards, and deductions.
 */
export const POINT_SOURCES = [
  'service',
  'activity',
  'branch',
  'selfDeclared',
  'praise',
  'peer',
  'award',
  'deduction',
] as const;
export type PointSource = (typeof POINT_SOURCES)[number];

/** The most one entry may move: a slip of the keyboard is refused, not posted. */
export const MAX_ENTRY_POINTS = 1000;

/** What a merchant's offer is for (the categories residents browse by). */
export const OFFER_CATEGORIES = ['food', 'leisure', 'medical', 'daily', 'other'] as const;
export type OfferCategory = (typeof OFFER_CATEGORIES)[number];

/** A voucher is issued, then redeemed at the merchant once, or cancelled (points back). */
export const VOUCHER_STATUSES = ['issued', 'redeemed', 'cancelled'] as const;
export type VoucherStatus = (typeof VOUCHER_STATUSES)[number];

/** How long a voucher stays good after it is issued. */
export const VOUCHER_DAYS = 30;
