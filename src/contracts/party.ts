import { z } from 'zod';
import { CursorQuery, Id, Phone, RegionCode } from './common.ts';
import {
  COLOURS,
  EDUCATIONS,
  LEDGERS,
  MEMBER_STATUSES,
  MOBILE_DIRECTIONS,
  ORG_KINDS,
  ORG_STATUSES,
  SEXES,
  STANDINGS,
} from './party-states.ts';

export * from './party-states.ts';

export const Text = (max: number) => z.string().trim().min(1).max(max);
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date' })
  .describe('YYYY-MM-DD');
export const Reason = Text(500).describe('Why: kept in the record’s history');

/** Where a mobile member went or came from. Required with the mobile ledger. */
export const MobileInfo = z.object({
  direction: z.enum(MOBILE_DIRECTIONS),
  place: Text(200),
  contact: Text(100),
  certificate: Text(40).describe('流动党员活动证 number'),
  since: IsoDate.optional(),
});
export type MobileInfo = z.infer<typeof MobileInfo>;

/** What staff fill in for a member (the ID number fixes birth date and sex). */
export const MemberFields = z.object({
  name: Text(40),
  idNumber: z.string().trim().min(1).max(30).describe('18-character resident ID number'),
  phone: Phone.optional(),
  education: z.enum(EDUCATIONS).optional(),
  joinedOn: IsoDate.optional(),
  standing: z.enum(STANDINGS).default('full'),
  relationAt: z.string().trim().max(200).optional(),
  compoundId: z.number().int().positive(),
  buildingId: z.number().int().positive().optional(),
  householdId: z.number().int().positive().optional(),
  orgId: z.number().int().positive().optional(),
  ledger: z.enum(LEDGERS),
  workUnit: z.string().trim().max(200).optional(),
  skills: z.array(Text(40)).max(20).default([]),
  frail: z.boolean().default(false),
  mobile: MobileInfo.optional(),
});
export const MemberCreate = MemberFields;
export type MemberCreate = z.infer<typeof MemberCreate>;

/** An edit of the record's plain fields; ledger, status and colour have their own moves (with a reason). */
export const MemberUpdate = MemberFields.omit({ ledger: true, mobile: true, idNumber: true })
  .partial()
  .extend({
    /** The version the edit was made on: a stale edit is refused, not merged. */
    version: z.number().int().positive(),
    idNumber: z.string().trim().min(1).max(30).optional(),
    phone: Phone.nullable().optional(),
  });
export type MemberUpdate = z.infer<typeof MemberUpdate>;

export const LedgerMove = z.object({
  ledger: z.enum(LEDGERS),
  reason: Reason,
  mobile: MobileInfo.optional(),
  workUnit: z.string().trim().max(200).optional(),
  version: z.number().int().positive(),
});
export type LedgerMove = z.infer<typeof LedgerMove>;

export const StatusChange = z.object({
  status: z.enum(MEMBER_STATUSES),
  reason: Reason,
  version: z.number().int().positive(),
});
export type StatusChange = z.infer<typeof StatusChange>;

export const ColourSet = z.object({
  /** null: back to the scheme's suggestion. */
  colour: z.enum(COLOURS).nullable(),
  reason: Reason.optional(),
  version: z.number().int().positive(),
});
export type ColourSet = z.infer<typeof ColourSet>;

export const MemberListQuery = CursorQuery.extend({
  region: RegionCode.optional(),
  compoundId: Id.optional(),
  orgId: Id.optional(),
  ledger: z.enum(LEDGERS).optional(),
  colour: z.enum(COLOURS).optional(),
  status: z.enum(MEMBER_STATUSES).optional(),
  q: z.string().trim().max(40).optional().describe('Name, or the last four characters of the ID number'),
});
export type MemberListQuery = z.infer<typeof MemberListQuery>;

const MemberCan = z.object({
  edit: z.boolean(),
  reveal: z.boolean(),
});

export const MemberView = z.object({
  id: z.number(),
  name: z.string().describe('Masked unless revealed'),
  sex: z.enum(SEXES),
  birthDate: z.string(),
  age: z.number(),
  idNumber: z.string().describe('Masked'),
  phone: z.string().nullable().describe('Masked'),
  education: z.enum(EDUCATIONS).nullable(),
  joinedOn: z.string().nullable(),
  standing: z.enum(STANDINGS),
  relationAt: z.string().nullable(),
  org: z.object({ id: z.number(), name: z.string() }).nullable(),
  compound: z.object({ id: z.number(), name: z.string() }),
  buildingId: z.number().nullable(),
  householdId: z.number().nullable(),
  communityCode: z.string(),
  ledger: z.enum(LEDGERS),
  workUnit: z.string().nullable(),
  skills: z.array(z.string()),
  frail: z.boolean(),
  status: z.enum(MEMBER_STATUSES),
  colour: z.enum(COLOURS).nullable().describe('Staff’s choice or the scheme’s suggestion'),
  colourSuggested: z.enum(COLOURS).nullable(),
  colourOverridden: z.boolean(),
  colourReason: z.string().nullable(),
  mobile: MobileInfo.extend({ since: z.string().nullable() }).nullable(),
  version: z.number(),
  updatedAt: z.string(),
  can: MemberCan,
});
export type MemberView = z.infer<typeof MemberView>;

export const MemberEventView = z.object({
  id: z.number(),
  at: z.string(),
  kind: z.string(),
  actor: z.string().nullable().describe('Masked name of who made the change'),
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })).nullable(),
  reason: z.string().nullable(),
});
export type MemberEventView = z.infer<typeof MemberEventView>;

export const MemberDetail = MemberView.extend({ history: z.array(MemberEventView) });
export type MemberDetail = z.infer<typeof MemberDetail>;

export const MemberPii = z.object({
  name: z.string(),
  idNumber: z.string(),
  phone: z.string().nullable(),
});
export type MemberPii = z.infer<typeof MemberPii>;

/** Members by ledger and colour, per compound of an area (normal status only). */
export const LedgerCountsQuery = z.object({ region: RegionCode.optional(), compoundId: Id.optional() });
export const LedgerCounts = z.object({
  total: z.number(),
  byLedger: z.record(z.enum(LEDGERS), z.number()),
  byColour: z.record(z.enum(COLOURS), z.number()),
  compounds: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      total: z.number(),
      byLedger: z.record(z.enum(LEDGERS), z.number()),
    }),
  ),
});
export type LedgerCounts = z.infer<typeof LedgerCounts>;

// Organisations -----------------------------------------------------------------------------------

export const OrgCreate = z.object({
  kind: z.enum(ORG_KINDS),
  name: Text(80),
  communityCode: z.string().regex(/^\d{12}$/),
  parentId: z.number().int().positive().optional(),
  compoundIds: z.array(z.number().int().positive()).max(30).default([]),
  buildingId: z.number().int().positive().optional(),
  householdId: z.number().int().positive().optional(),
  foundedOn: IsoDate.optional(),
});
export type OrgCreate = z.infer<typeof OrgCreate>;

export const OrgUpdate = z.object({
  name: Text(80).optional(),
  compoundIds: z.array(z.number().int().positive()).max(30).optional(),
  reason: Reason.optional(),
});
export type OrgUpdate = z.infer<typeof OrgUpdate>;

export const OrgMerge = z.object({ intoId: z.number().int().positive(), reason: Reason });
export const OrgDissolve = z.object({ reason: Reason });

export const OrgView = z.object({
  id: z.number(),
  kind: z.enum(ORG_KINDS),
  name: z.string(),
  parentId: z.number().nullable(),
  communityCode: z.string(),
  status: z.enum(ORG_STATUSES),
  foundedOn: z.string().nullable(),
  endedOn: z.string().nullable(),
  mergedIntoId: z.number().nullable(),
  compounds: z.array(z.object({ id: z.number(), name: z.string() })),
  buildingId: z.number().nullable(),
  householdId: z.number().nullable(),
  /** Where a group (its building) or a party-member household (its flat) sits. */
  place: z
    .object({
      compound: z.string(),
      building: z.string(),
      unit: z.number().nullable(),
      room: z.string().nullable(),
    })
    .nullable(),
  members: z.object({ full: z.number(), probationary: z.number() }),
  can: z.object({ edit: z.boolean() }),
});
export type OrgView = z.infer<typeof OrgView>;

export const OrgTree = z.object({
  orgs: z.array(OrgView),
  /** Compounds of the community no active branch covers. */
  gaps: z.array(z.object({ id: z.number(), name: z.string() })),
});
export type OrgTree = z.infer<typeof OrgTree>;

export const MyParty = z.object({
  member: MemberView.nullable(),
  branch: z
    .object({
      id: z.number(),
      kind: z.enum(ORG_KINDS),
      name: z.string(),
      compounds: z.array(z.object({ id: z.number(), name: z.string() })),
      members: z.object({ full: z.number(), probationary: z.number() }),
    })
    .nullable(),
});
export type MyParty = z.infer<typeof MyParty>;

// Ledger import ----------------------------------------------------------------------------------

const ImportCounts = {
  id: z.number(),
  fileName: z.string(),
  status: z.enum(['checked', 'imported', 'rejected']),
  rows: z.number(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  problemCount: z.number(),
  elapsedMs: z.number().nullable(),
};
export const ImportResultView = z.object({
  ...ImportCounts,
  /** The first problems; the report (GET /party/imports/:id/report.xlsx) lists them all. */
  problems: z.array(z.object({ row: z.number(), column: z.string(), reason: z.string() })),
});
export type ImportResultView = z.infer<typeof ImportResultView>;
export const ImportSummary = z.object({ ...ImportCounts, at: z.string() });
export type ImportSummary = z.infer<typeof ImportSummary>;

// Five-colour schemes ----------------------------------------------------------------------------

export const ColourRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ledger'), ledgers: z.array(z.enum(LEDGERS)).min(1).max(4) }),
  z.object({ kind: z.literal('ageAtLeast'), years: z.number().int().min(50).max(120) }),
  z.object({ kind: z.literal('frail') }),
  z.object({ kind: z.literal('otherwise') }),
]);
export const ColourEntrySchema = z.object({
  colour: z.enum(COLOURS),
  labelZh: Text(20),
  labelEn: Text(40),
  rule: ColourRuleSchema,
});
/** A county's scheme: colours in priority order, each at most once; "otherwise", if any, last. */
export const ColourSchemeBody = z.object({
  entries: z
    .array(ColourEntrySchema)
    .min(1)
    .max(5)
    .refine((es) => new Set(es.map((e) => e.colour)).size === es.length, { message: 'colourTwice' })
    .refine((es) => es.every((e, i) => e.rule.kind !== 'otherwise' || i === es.length - 1), {
      message: 'otherwiseLast',
    }),
});
export const ColourSchemeView = z.object({
  countyCode: z.string(),
  entries: z.array(ColourEntrySchema),
  /** true: the county has not set its own and uses 浑源's. */
  isDefault: z.boolean(),
  can: z.object({ edit: z.boolean() }),
});
export type ColourSchemeView = z.infer<typeof ColourSchemeView>;

// Dual registration (双报到) ---------------------------------------------------------------------

export const UnitCreate = z.object({
  name: Text(100),
  communityCode: z.string().regex(/^\d{12}$/),
  contactName: z.string().trim().max(40).optional(),
  contactPhone: Phone.optional(),
  expectedMembers: z.number().int().min(0).max(100_000).default(0),
  agreement: z
    .string()
    .trim()
    .max(2000)
    .optional()
    .describe('共建协议: what the unit and the community agreed'),
  pledged: z.string().trim().max(2000).optional().describe('Resources the unit pledged'),
  signedOn: IsoDate.optional(),
});
export type UnitCreate = z.infer<typeof UnitCreate>;

export const UnitView = z.object({
  id: z.number(),
  name: z.string(),
  contactName: z.string().nullable().describe('Masked'),
  contactPhone: z.string().nullable().describe('Masked'),
  expectedMembers: z.number(),
  /** Confirmed registrations of its staff, anywhere in the city, against expectedMembers. */
  registered: z.number(),
  pending: z.number(),
  communities: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      agreement: z.string().nullable(),
      pledged: z.string().nullable(),
      signedOn: z.string().nullable(),
    }),
  ),
  can: z.object({ edit: z.boolean() }),
});
export type UnitView = z.infer<typeof UnitView>;

export const RegistrationCreate = z.object({
  name: Text(40),
  idNumber: z.string().trim().min(1).max(30),
  compoundId: z.number().int().positive().describe('Where the member lives'),
  unitId: z.number().int().positive().optional().describe('Their employer, when it is a registered unit'),
  workUnit: z.string().trim().max(200).optional().describe('Their employer by name, when it is not'),
  skills: z.array(Text(40)).max(20).default([]),
  leader: z.boolean().default(false).describe('Holds a leading post (是否担任领导职务)'),
});
export type RegistrationCreate = z.infer<typeof RegistrationCreate>;

export const REGISTRATION_STATUSES = ['pending', 'confirmed', 'rejected', 'withdrawn'] as const;
export const RegistrationView = z.object({
  id: z.number(),
  name: z.string(),
  idNumber: z.string().describe('Masked'),
  phone: z.string().describe('Masked'),
  unit: z.object({ id: z.number(), name: z.string() }).nullable(),
  workUnit: z.string(),
  /** The community registered with (where the member lives), and their compound in it. */
  community: z.object({ code: z.string(), name: z.string() }),
  compound: z.object({ id: z.number(), name: z.string() }),
  skills: z.array(z.string()),
  leader: z.boolean(),
  status: z.enum(REGISTRATION_STATUSES),
  reason: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  can: z.object({ decide: z.boolean(), withdraw: z.boolean() }),
});
export type RegistrationView = z.infer<typeof RegistrationView>;

export const RegistrationDecision = z.object({
  decision: z.enum(['confirm', 'reject']),
  reason: z.string().trim().max(500).optional(),
});
export type RegistrationDecision = z.infer<typeof RegistrationDecision>;
