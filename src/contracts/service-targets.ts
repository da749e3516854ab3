/**
 * 年度服务目标 and 志愿服务证明: per year, county and group, how often and how long members should
 * serve; each member's progress against their group's target; lists of those behind; reminders;
 * certificates of verified service that anyone can check by their number.
 */
import { z } from 'zod';
import { CursorQuery, Id, RegionCode } from './common.ts';
import { IsoDate, Reason } from './party.ts';
import { TARGET_GROUPS } from './service-states.ts';

/**
 * Where a member stands against their annual target: reached it (met), at or above the share of
 * it due by today (onTrack: the target times the part of the year gone, rounded down), or behind.
 */
export const PROGRESS_STATUSES = ['met', 'onTrack', 'behind'] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

export const CERTIFICATE_STATUSES = ['valid', 'revoked'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

/** GZ + the year of issue + 7 digits + a check digit (Damm): GZ2026 0412873 5. */
export const CERTIFICATE_NUMBER = /^GZ\d{12}$/;

export const Year = z.coerce.number().int().min(2000).max(2100);
const CountyCode = z.string().regex(/^\d{6}$/, { message: 'regionCode' });
const Ref = z.object({ code: z.string(), name: z.string() });

// Targets ---------------------------------------------------------------------------------------

export const TargetsQuery = z.object({
  year: Year.optional().describe('Default: this year (Asia/Shanghai)'),
  county: CountyCode.optional().describe('One county; default: every county you see'),
});

export const TargetParams = z.object({ county: CountyCode, year: Year, group: z.enum(TARGET_GROUPS) });

export const TargetPut = z.object({
  minTimes: z.number().int().min(0).max(366),
  minHours: z.number().int().min(0).max(2000),
  remindOn: z.array(IsoDate).max(12).default([]).describe('Dates in the target’s year'),
});
export type TargetPut = z.infer<typeof TargetPut>;

export const GroupTarget = z.object({
  group: z.enum(TARGET_GROUPS),
  /** What the county set, or null. */
  target: z
    .object({
      minTimes: z.number(),
      minHours: z.number(),
      remindOn: z.array(z.string()),
      updatedAt: z.string(),
      updatedBy: z.string().nullable().describe('Masked'),
    })
    .nullable(),
  /** What applies: the county's, the default (in-service cadres without a county target), or none. */
  effective: z
    .object({ minTimes: z.number(), minHours: z.number(), source: z.enum(['county', 'default']) })
    .nullable(),
  remindersSent: z.number(),
});
export type GroupTarget = z.infer<typeof GroupTarget>;

export const CountyTargets = z.object({
  year: z.number(),
  county: Ref,
  groups: z.array(GroupTarget),
  can: z.object({ edit: z.boolean() }),
});
export type CountyTargets = z.infer<typeof CountyTargets>;

// Progress --------------------------------------------------------------------------------------

export const Progress = z.object({
  year: z.number(),
  /** The group whose target applies (the most specific one with a target), or null: no target. */
  group: z.enum(TARGET_GROUPS).nullable(),
  times: z.number(),
  minutes: z.number(),
  hours: z.number().describe('Verified hours, one decimal'),
  target: z
    .object({ minTimes: z.number(), minHours: z.number(), source: z.enum(['county', 'default']) })
    .nullable(),
  /** The share of the target due by today (all of it for a past year). */
  expected: z.object({ times: z.number(), hours: z.number() }).nullable(),
  /** What is still missing to reach the whole target. */
  missing: z.object({ times: z.number(), hours: z.number() }).nullable(),
  status: z.enum(PROGRESS_STATUSES).nullable(),
});
export type Progress = z.infer<typeof Progress>;

export const ProgressRow = Progress.extend({
  member: z.object({ id: z.number(), name: z.string().describe('Masked') }),
  community: Ref,
  compound: z.object({ id: z.number(), name: z.string() }),
  workUnit: z.string().nullable(),
});
export type ProgressRow = z.infer<typeof ProgressRow>;

export const ProgressListQuery = CursorQuery.extend({
  year: Year.optional(),
  region: RegionCode.optional().describe('A county, township or community in your area'),
  compoundId: Id.optional(),
  status: z
    .enum([...PROGRESS_STATUSES, 'notMet', 'all'])
    .default('behind')
    .describe('behind (default); notMet = onTrack or behind'),
  group: z.enum(TARGET_GROUPS).optional(),
});
export type ProgressListQuery = z.infer<typeof ProgressListQuery>;

const Counts = z.object({ members: z.number(), met: z.number(), onTrack: z.number(), behind: z.number() });
export const ProgressSummary = z.object({
  year: z.number(),
  asOf: z.string().describe('The day “on track” was measured against'),
  totals: Counts,
  communities: z.array(Ref.extend(Counts.shape)),
});
export type ProgressSummary = z.infer<typeof ProgressSummary>;

export const UnitProgress = z.object({
  unit: z.object({ id: z.number(), name: z.string() }),
  year: z.number(),
  totals: Counts,
  items: z.array(ProgressRow),
});
export type UnitProgress = z.infer<typeof UnitProgress>;

export const MyProgress = z.object({
  year: z.number(),
  /** Null for someone with no party record in normal standing. */
  progress: Progress.nullable(),
  recent: z.array(
    z.object({
      id: z.number(),
      activity: z.string(),
      serviceDate: z.string(),
      hours: z.number(),
      organiser: z.string(),
    }),
  ),
  reminders: z.array(
    z.object({
      id: z.number(),
      remindOn: z.string(),
      year: z.number(),
      times: z.number(),
      hours: z.number(),
      target: z.object({ minTimes: z.number(), minHours: z.number() }),
    }),
  ),
});
export type MyProgress = z.infer<typeof MyProgress>;

// Certificates ----------------------------------------------------------------------------------

export const CertificateIssue = z.object({
  memberId: z.number().int().positive(),
  periodFrom: IsoDate,
  periodTo: IsoDate,
});
export type CertificateIssue = z.infer<typeof CertificateIssue>;

export const CertificatePreviewQuery = z.object({
  memberId: Id,
  periodFrom: IsoDate,
  periodTo: IsoDate,
});

export const CertificatePreview = z.object({
  member: z.object({ id: z.number(), name: z.string().describe('Masked') }),
  times: z.number(),
  hours: z.number(),
  content: z.string(),
  issuer: z.string(),
});
export type CertificatePreview = z.infer<typeof CertificatePreview>;

export const CertificateView = z.object({
  id: z.number(),
  number: z.string(),
  member: z.object({ id: z.number(), name: z.string().describe('Masked, as frozen at issue') }),
  idNumber: z.string().describe('Masked'),
  periodFrom: z.string(),
  periodTo: z.string(),
  times: z.number(),
  minutes: z.number(),
  hours: z.number(),
  content: z.string(),
  issuer: z.string(),
  issuedAt: z.string(),
  issuedBy: z.string().nullable().describe('Masked'),
  status: z.enum(CERTIFICATE_STATUSES),
  revokedAt: z.string().nullable(),
  revokeReason: z.string().nullable(),
  can: z.object({ revoke: z.boolean() }),
});
export type CertificateView = z.infer<typeof CertificateView>;

export const CertificateListQuery = CursorQuery.extend({
  region: RegionCode.optional(),
  memberId: Id.optional(),
  number: z.string().trim().max(24).optional(),
});

export const CertificateRevoke = z.object({ reason: Reason });

export const NumberParams = z.object({ number: z.string().trim().min(1).max(24) });

/** What anyone holding the number may see: nothing that identifies the person beyond the masked name. */
export const PublicCertificate = z.object({
  number: z.string(),
  name: z.string().describe('Masked'),
  times: z.number(),
  hours: z.number(),
  periodFrom: z.string(),
  periodTo: z.string(),
  issuer: z.string(),
  issuedOn: z.string(),
  status: z.enum(CERTIFICATE_STATUSES),
  revokedOn: z.string().nullable(),
});
export type PublicCertificate = z.infer<typeof PublicCertificate>;
