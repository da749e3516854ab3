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
