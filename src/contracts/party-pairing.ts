/** 包联: households in difficulty, the members paired with them, and their visits. */
import { z } from 'zod';
import { CursorQuery, Id, Phone, RegionCode } from './common.ts';
import { IsoDate, Reason, Text } from './party.ts';
import { CARE_KINDS, CARE_STATES, DEFAULT_VISIT_EVERY_DAYS, VISIT_MODES } from './party-states.ts';

const CareFields = z.object({
  headName: Text(40).describe('户主 or the person in difficulty'),
  phone: Phone.optional(),
  compoundId: z.number().int().positive(),
  buildingId: z.number().int().positive().optional(),
  householdId: z.number().int().positive().optional(),
  address: z.string().trim().max(100).optional().describe('Building, unit and room as people say it'),
  kinds: z.array(z.enum(CARE_KINDS)).min(1).max(CARE_KINDS.length),
  note: z.string().trim().max(1000).optional(),
  visitEveryDays: z.number().int().min(1).max(365).default(DEFAULT_VISIT_EVERY_DAYS),
});
export const CareCreate = CareFields;
export type CareCreate = z.infer<typeof CareCreate>;

export const CareUpdate = CareFields.omit({ compoundId: true }).partial().extend({
  phone: Phone.nullable().optional(),
  /** The version the edit was made on: a stale edit is refused, not merged. */
  version: z.number().int().positive(),
});
export type CareUpdate = z.infer<typeof CareUpdate>;

export const CareClose = z.object({ reason: Reason, version: z.number().int().positive() });
export type CareClose = z.infer<typeof CareClose>;

export const CareListQuery = CursorQuery.extend({
  region: RegionCode.optional(),
  compoundId: Id.optional(),
  kind: z.enum(CARE_KINDS).optional(),
  state: z.enum(CARE_STATES).optional(),
  memberId: Id.optional().describe('Households this member is paired with'),
  q: z.string().trim().max(40).optional().describe('Name or address'),
});
export type CareListQuery = z.infer<typeof CareListQuery>;

const Ref = z.object({ id: z.number(), name: z.string() });

export const PairingView = z.object({
  id: z.number(),
  member: Ref.describe('Name masked'),
  startedOn: z.string(),
  endedOn: z.string().nullable(),
  endReason: z.string().nullable(),
});
export type PairingView = z.infer<typeof PairingView>;

export const CareView = z.object({
  id: z.number(),
  headName: z.string().describe('Masked unless revealed'),
  phone: z.string().nullable().describe('Masked'),
  compound: Ref,
  buildingId: z.number().nullable(),
  householdId: z.number().nullable(),
  address: z.string().nullable(),
  kinds: z.array(z.enum(CARE_KINDS)),
  note: z.string().nullable(),
  visitEveryDays: z.number(),
  status: z.enum(['active', 'closed']),
  closedReason: z.string().nullable(),
  lastVisitedOn: z.string().nullable(),
  /** The date by which the next visit is due (the last visit, or the marking, plus the interval). */
  dueOn: z.string(),
  /** Days past dueOn; 0 when not overdue. */
  overdueDays: z.number(),
  state: z.enum(CARE_STATES),
  pairings: z.array(PairingView).describe('Current pairings'),
  version: z.number(),
  can: z.object({ edit: z.boolean(), reveal: z.boolean() }),
});
export type CareView = z.infer<typeof CareView>;

export const VisitView = z.object({
  id: z.number(),
  visitedOn: z.string(),
  mode: z.enum(VISIT_MODES),
  notes: z.string(),
  problemsFound: z.string().nullable(),
  problemsSolved: z.string().nullable(),
  visitor: Ref.nullable().describe('The paired member who visited (masked); null when staff visited'),
  recordedBy: z.string().nullable().describe('Masked'),
  recordedAt: z.string(),
});
export type VisitView = z.infer<typeof VisitView>;

export const CareDetail = CareView.extend({
  pastPairings: z.array(PairingView),
  visits: z.array(VisitView),
  history: z.array(
    z.object({
      id: z.number(),
      at: z.string(),
      kind: z.string(),
      actor: z.string().nullable(),
      data: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
});
export type CareDetail = z.infer<typeof CareDetail>;

export const CarePii = z.object({ headName: z.string(), phone: z.string().nullable() });

export const CareSummary = z.object({
  total: z.number(),
  byState: z.record(z.enum(CARE_STATES), z.number()),
  byKind: z.record(z.enum(CARE_KINDS), z.number()),
  compounds: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      total: z.number(),
      unpaired: z.number(),
      overdue: z.number(),
    }),
  ),
});
export type CareSummary = z.infer<typeof CareSummary>;

export const PairingCreate = z.object({ memberId: z.number().int().positive() });
export const PairingEnd = z.object({ reason: Reason });

export const VisitCreate = z.object({
  visitedOn: IsoDate,
  mode: z.enum(VISIT_MODES).default('home'),
  notes: Text(2000),
  problemsFound: z.string().trim().max(2000).optional(),
  problemsSolved: z.string().trim().max(2000).optional(),
  /** Staff recording a paired member's visit name the member; omitted, the visit is the recorder's own. */
  memberId: z.number().int().positive().optional(),
});
export type VisitCreate = z.infer<typeof VisitCreate>;

/** A paired member's view of a household they look after (their own pairing shows the name). */
export const MyCareView = z.object({
  id: z.number(),
  headName: z.string(),
  phone: z.string().nullable().describe('Masked; the member reveals it to call'),
  compound: Ref,
  address: z.string().nullable(),
  kinds: z.array(z.enum(CARE_KINDS)),
  note: z.string().nullable(),
  visitEveryDays: z.number(),
  lastVisitedOn: z.string().nullable(),
  dueOn: z.string(),
  overdueDays: z.number(),
  state: z.enum(CARE_STATES),
  pairedSince: z.string(),
  visits: z.array(VisitView).describe('My visits to this household, newest first (at most 20)'),
});
export type MyCareView = z.infer<typeof MyCareView>;
