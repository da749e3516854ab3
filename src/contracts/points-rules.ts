import { z } from 'zod';
import { CursorQuery, Id, RegionCode } from './common.ts';
import { Text } from './party.ts';
import {
  DECLARATION_STATUSES,
  MAX_ENTRY_POINTS,
  OBJECTION_STATUSES,
  POINT_SOURCES,
  POSTING_STATUSES,
  RULE_UNITS,
} from './points-states.ts';

/**
 * 积分规则, 自主申报 and 季度公示: a county's earning rules; members' own declarations that staff
 * approve (the points posted) or reject; the quarterly ranking frozen per community, open to
 * objections for a number of working days, then final, then archived.
 */

const CountyCode = z.string().regex(/^\d{6}$/, { message: 'regionCode' });
export const CountyParams = z.object({ county: CountyCode });

// Rules -------------------------------------------------------------------------------------------

export const RuleInput = z.object({
  source: z.enum(POINT_SOURCES),
  /** Points per unit: per verified hour of service, or per entry. */
  points: z.number().int().min(0).max(MAX_ENTRY_POINTS),
  unit: z.enum(RULE_UNITS),
  /** The most one entry may carry (never above MAX_ENTRY_POINTS, the absolute cap). */
  maxPerEntry: z.number().int().min(1).max(MAX_ENTRY_POINTS),
  /** Members may declare it themselves (then it waits for approval). */
  declarable: z.boolean(),
});
export type RuleInput = z.infer<typeof RuleInput>;

/** Every source once (checked by the service, in words): the county's whole table, as the console edits it. */
export const RulesBody = z.object({ rules: z.array(RuleInput).length(POINT_SOURCES.length) });
export type RulesBody = z.infer<typeof RulesBody>;

export const RuleView = RuleInput.extend({
  /** true: the county has not set this source and earns by the default. */
  isDefault: z.boolean(),
  updatedAt: z.string().nullable(),
  /** Masked. */
  updatedBy: z.string().nullable(),
});
export type RuleView = z.infer<typeof RuleView>;

export const RulesView = z.object({
  countyCode: z.string(),
  countyName: z.string(),
  rules: z.array(RuleView),
  can: z.object({ edit: z.boolean() }),
});
export type RulesView = z.infer<typeof RulesView>;

// Declarations ------------------------------------------------------------------------------------

export const MAX_DECLARATION_PHOTOS = 6;

export const DeclarationCreate = z.object({
  source: z.enum(POINT_SOURCES),
  description: Text(500).describe('What the member did, when and where'),
  evidence: z.string().trim().max(500).optional().describe('Who can confirm it, where a record is'),
  /** Photos uploaded first (POST /me/points/declarations/photos). */
  photoIds: z.array(z.number().int().positive()).max(MAX_DECLARATION_PHOTOS).default([]),
  /** Points asked: at most the county's maxPerEntry for the source. */
  points: z.number().int().min(1).max(MAX_ENTRY_POINTS),
});
export type DeclarationCreate = z.infer<typeof DeclarationCreate>;

export const DeclarationDecide = z.discriminatedUnion('decision', [
  z.object({
    decision: z.literal('approve'),
    /** Fewer than asked (with a reason); the points asked when left out. */
    points: z.number().int().min(1).max(MAX_ENTRY_POINTS).optional(),
    reason: z.string().trim().max(500).optional(),
  }),
  z.object({ decision: z.literal('reject'), reason: Text(500) }),
]);
export type DeclarationDecide = z.infer<typeof DeclarationDecide>;

export const DeclarationView = z.object({
  id: z.number(),
  member: z.object({
    id: z.number(),
    /** Masked for staff; the member's own name on their own list. */
    name: z.string(),
    compound: z.string(),
    org: z.string().nullable(),
  }),
  source: z.enum(POINT_SOURCES),
  description: z.string(),
  evidence: z.string().nullable(),
  photos: z.array(z.object({ id: z.number(), width: z.number(), height: z.number() })),
  /** Points asked. */
  points: z.number(),
  /** Points posted (approved), possibly fewer than asked. */
  approvedPoints: z.number().nullable(),
  status: z.enum(DECLARATION_STATUSES),
  /** Why rejected, or why fewer points were approved than asked. */
  reason: z.string().nullable(),
  /** Masked. */
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
  /** The county's current cap for the source (approving more is refused). */
  maxPerEntry: z.number(),
  can: z.object({ decide: z.boolean() }),
});
export type DeclarationView = z.infer<typeof DeclarationView>;

export const DeclarationListQuery = CursorQuery.extend({
  status: z.enum(DECLARATION_STATUSES).default('pending'),
  region: RegionCode.optional(),
});

/** A member's own: what they may declare (and up to how much) and what they declared. */
export const MyDeclarations = z.object({
  declarable: z.array(
    z.object({
      source: z.enum(POINT_SOURCES),
      points: z.number(),
      unit: z.enum(RULE_UNITS),
      maxPerEntry: z.number(),
    }),
  ),
  items: z.array(DeclarationView),
});
export type MyDeclarations = z.infer<typeof MyDeclarations>;

// Postings and objections -------------------------------------------------------------------------

export const PostingRowView = z.object({
  memberId: z.number(),
  /** Masked: a posting is public. */
  name: z.string(),
  orgId: z.number().nullable(),
  points: z.number(),
  communityRank: z.number(),
  branchRank: z.number().nullable(),
  /** The viewer's own line. */
  mine: z.boolean(),
});
export type PostingRowView = z.infer<typeof PostingRowView>;

export const ObjectionView = z.object({
  id: z.number(),
  postingId: z.number(),
  /** The objector (masked for staff; "me" lines are the member's own). */
  member: z.string(),
  /** The line objected to, if about one member (masked). */
  about: z.object({ memberId: z.number(), name: z.string() }).nullable(),
  text: z.string(),
  status: z.enum(OBJECTION_STATUSES),
  reply: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  createdAt: z.string(),
  can: z.object({ resolve: z.boolean() }),
});
export type ObjectionView = z.infer<typeof ObjectionView>;

export const PostingSummary = z.object({
  id: z.number(),
  community: z.object({ code: z.string(), name: z.string() }),
  year: z.number(),
  quarter: z.number(),
  status: z.enum(POSTING_STATUSES),
  frozenAt: z.string(),
  /** The last day objections are taken (Asia/Shanghai). */
  objectionUntil: z.string(),
  /** Objections are taken today. */
  open: z.boolean(),
  finalisedAt: z.string().nullable(),
  archivedAt: z.string().nullable(),
  members: z.number(),
  objections: z.object({ open: z.number(), total: z.number() }),
});
export type PostingSummary = z.infer<typeof PostingSummary>;

export const PostingView = PostingSummary.extend({
  branches: z.array(z.object({ id: z.number(), name: z.string() })),
  /** Filtered to one branch when asked (ranked by branch rank then). */
  rows: z.array(PostingRowView),
  objectionList: z.array(ObjectionView),
  can: z.object({ object: z.boolean(), resolve: z.boolean() }),
});
export type PostingView = z.infer<typeof PostingView>;

/** A member's view: the community's current posting (null before the first), and the earlier ones. */
export const MyPosting = z.object({
  posting: PostingView.nullable(),
  mine: PostingRowView.nullable(),
  history: z.array(
    z.object({ id: z.number(), year: z.number(), quarter: z.number(), status: z.enum(POSTING_STATUSES) }),
  ),
});
export type MyPosting = z.infer<typeof MyPosting>;

export const PostingQuery = z.object({
  postingId: Id.optional(),
  orgId: Id.optional(),
});
export const PostingListQuery = z.object({
  region: RegionCode.optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  quarter: z.coerce.number().int().min(1).max(4).optional(),
  status: z.enum(POSTING_STATUSES).optional(),
});

export const ObjectionCreate = z.object({
  text: Text(500),
  /** The line objected to (a member of the posting), or none for the posting as a whole. */
  aboutMemberId: z.number().int().positive().optional(),
});
export type ObjectionCreate = z.infer<typeof ObjectionCreate>;

export const ObjectionResolve = z.object({
  decision: z.enum(['uphold', 'dismiss']),
  reply: Text(500),
});
export type ObjectionResolve = z.infer<typeof ObjectionResolve>;
