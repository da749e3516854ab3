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

/**
 * A voucher is issued, then redeemed at the merchant once, or cancelled by its holder, or expired
 * unused (both give the points back).
 */
export const VOUCHER_STATUSES = ['issued', 'redeemed', 'cancelled', 'expired'] as const;
export type VoucherStatus = (typeof VOUCHER_STATUSES)[number];

/** How long a voucher stays good after it is issued. */
export const VOUCHER_DAYS = 30;

/**
 * 积分规则, per county: how many points one unit of each source earns (an hour of verified
 * service, or one entry), the most one entry may carry, and whether a member may declare it
 * themselves (then it waits for approval).
 */
export const RULE_UNITS = ['hour', 'entry'] as const;
export type RuleUnit = (typeof RULE_UNITS)[number];
export interface EarningRule {
  source: PointSource;
  points: number;
  unit: RuleUnit;
  maxPerEntry: number;
  declarable: boolean;
}
/** What a county earns by until it sets its own rules. */
export const DEFAULT_RULES: readonly EarningRule[] = [
  { source: 'service', points: 10, unit: 'hour', maxPerEntry: 100, declarable: false },
  { source: 'activity', points: 5, unit: 'entry', maxPerEntry: 20, declarable: true },
  { source: 'branch', points: 5, unit: 'entry', maxPerEntry: 20, declarable: false },
  { source: 'selfDeclared', points: 5, unit: 'entry', maxPerEntry: 20, declarable: true },
  { source: 'praise', points: 5, unit: 'entry', maxPerEntry: 20, declarable: true },
  { source: 'peer', points: 5, unit: 'entry', maxPerEntry: 20, declarable: false },
  { source: 'award', points: 20, unit: 'entry', maxPerEntry: 200, declarable: false },
  { source: 'deduction', points: 5, unit: 'entry', maxPerEntry: 100, declarable: false },
];

/** A member's declaration (自主申报) waits for staff, who approve it (points posted) or reject it. */
export const DECLARATION_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type DeclarationStatus = (typeof DECLARATION_STATUSES)[number];

/**
 * 季度公示: frozen at quarter end and open to objections for a number of working days, then
 * final; archived when the next quarter's posting replaces it.
 */
export const POSTING_STATUSES = ['objection', 'final', 'archived'] as const;
export type PostingStatus = (typeof POSTING_STATUSES)[number];
export const DEFAULT_OBJECTION_WORKDAYS = 5;
export const OBJECTION_STATUSES = ['open', 'upheld', 'dismissed'] as const;
export type ObjectionStatus = (typeof OBJECTION_STATUSES)[number];

/** A merchant's application to join, decided by the community. */
export const APPLICATION_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
