import { z } from 'zod';
import { CursorQuery, Id } from './common.ts';
import { Reason, Text } from './party.ts';
import {
  CLAIM_STATUSES,
  POST_STATUSES,
  RECORD_METHODS,
  RECORD_STATUSES,
  SERVICE_KINDS,
  SLOT_STATUSES,
} from './service-states.ts';

export * from './service-states.ts';

const Instant = z.iso.datetime({ offset: true }).describe('ISO 8601 with offset');

export const SlotCreate = z.object({
  startsAt: Instant,
  endsAt: Instant,
  capacity: z.number().int().min(1).max(500),
});
export type SlotCreate = z.infer<typeof SlotCreate>;

/** A post is the community's (no compound) or one of its compounds'. */
export const PostCreate = z.object({
  communityCode: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  compoundId: z.number().int().positive().optional(),
  title: Text(60),
  kind: z.enum(SERVICE_KINDS),
  skills: z.array(Text(20)).max(10).default([]),
  place: Text(100),
  recipients: z.string().trim().max(100).optional(),
  content: Text(1000),
  pointsPerHour: z.number().int().min(0).max(100).optional().describe('Else the county’s rule'),
  cancelHours: z.number().int().min(0).max(168).optional(),
  slots: z.array(SlotCreate).min(1).max(50),
});
export type PostCreate = z.infer<typeof PostCreate>;

export const SlotView = z.object({
  id: z.number(),
  startsAt: z.string(),
  endsAt: z.string(),
  capacity: z.number(),
  claimed: z.number(),
  waitlisted: z.number(),
  status: z.enum(SLOT_STATUSES),
  /** The caller's own claim on it (members' views). */
  mine: z
    .object({ claimId: z.number(), status: z.enum(CLAIM_STATUSES), position: z.number().nullable() })
    .nullable(),
  /** Until when a claimed place may be given back. */
  cancelUntil: z.string(),
});
export type SlotView = z.infer<typeof SlotView>;

export const PostView = z.object({
  id: z.number(),
  title: z.string(),
  kind: z.enum(SERVICE_KINDS),
  skills: z.array(z.string()),
  place: z.string(),
  recipients: z.string().nullable(),
  content: z.string(),
  pointsPerHour: z.number().describe('Effective: the post’s own, else the county’s rule'),
  cancelHours: z.number(),
  status: z.enum(POST_STATUSES),
  community: z.object({ code: z.string(), name: z.string() }),
  compound: z.object({ id: z.number(), name: z.string() }).nullable(),
  slots: z.array(SlotView),
  /** For a member: why it is listed first (their compound, their skills). */
  fit: z.object({ compound: z.boolean(), skills: z.array(z.string()) }).nullable(),
});
export type PostView = z.infer<typeof PostView>;

export const PostListQuery = CursorQuery.extend({
  status: z.enum(POST_STATUSES).optional(),
  q: z.string().trim().max(40).optional(),
});

export const SlotCancel = z.object({ reason: Reason });

export const RosterEntry = z.object({
  claimId: z.number().nullable(),
  memberId: z.number(),
  name: z.string().describe('Masked'),
  claim: z.enum(CLAIM_STATUSES).nullable(),
  position: z.number().nullable(),
  record: z
    .object({
      id: z.number(),
      status: z.enum(RECORD_STATUSES),
      method: z.enum(RECORD_METHODS),
      checkInAt: z.string().nullable(),
      checkOutAt: z.string().nullable(),
      recordedMinutes: z.number().nullable(),
    })
    .nullable(),
});
export const Roster = z.object({
  slot: SlotView,
  post: z.object({ id: z.number(), title: z.string() }),
  entries: z.array(RosterEntry),
});
export type Roster = z.infer<typeof Roster>;

/** The organiser's screen: what the QR holds now, the same as six digits, and when it changes. */
export const QrPhase = z.enum(['in', 'out']);
export const QrQuery = z.object({ phase: QrPhase });
export const QrView = z.object({
  token: z.string(),
  digits: z.string(),
  url: z.string(),
  expiresInSeconds: z.number(),
});
export type QrView = z.infer<typeof QrView>;

export const HourCodesCreate = z.object({ count: z.number().int().min(1).max(200) });
export const HourCodeView = z.object({ code: z.string(), used: z.boolean(), usedAt: z.string().nullable() });

/** The organiser enters a member's attendance (no scan): the time they were there. */
export const RecordEntry = z.object({
  memberId: z.number().int().positive(),
  minutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  note: z.string().trim().max(500).optional(),
});

export const Attendance = z.union([
  z.object({ token: z.string().min(10).max(200) }).describe('The scanned QR'),
  z
    .object({ slotId: z.number().int().positive(), phase: QrPhase, digits: z.string().regex(/^\d{6}$/) })
    .describe('Its six digits, typed'),
  z.object({ code: z.string().regex(/^\d{8}$/) }).describe('A printed single-use hour code'),
]);
export type Attendance = z.infer<typeof Attendance>;

export const Verify = z.discriminatedUnion('decision', [
  z.object({
    decision: z.literal('approve'),
    version: z.number().int(),
    rating: z.number().int().min(1).max(5).optional(),
  }),
  z.object({
    decision: z.literal('adjust'),
    version: z.number().int(),
    minutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60),
    reason: Reason,
    rating: z.number().int().min(1).max(5).optional(),
  }),
  z.object({ decision: z.literal('decline'), version: z.number().int(), reason: Reason }),
]);
export type Verify = z.infer<typeof Verify>;

export const ProblemsSolved = z.object({
  problemsSolved: Text(500),
  ticketNumber: z.string().trim().max(20).optional().describe('The ticket it answers, if any'),
});

export const RecordView = z.object({
  id: z.number(),
  member: z.object({ id: z.number(), name: z.string().describe('Masked for staff lists') }),
  post: z.object({ id: z.number(), title: z.string() }),
  slot: z.object({ id: z.number(), startsAt: z.string(), endsAt: z.string() }).nullable(),
  activity: z.string(),
  serviceDate: z.string(),
  place: z.string(),
  recipients: z.string().nullable(),
  content: z.string(),
  method: z.enum(RECORD_METHODS),
  checkInAt: z.string().nullable(),
  checkOutAt: z.string().nullable(),
  recordedMinutes: z.number().nullable(),
  minutes: z.number().nullable(),
  rating: z.number().nullable(),
  organiser: z.string(),
  recordedBy: z.string().nullable().describe('Masked'),
  verifiedBy: z.string().nullable().describe('Masked'),
  status: z.enum(RECORD_STATUSES),
  reason: z.string().nullable(),
  points: z.number(),
  problemsSolved: z.string().nullable(),
  ticketNumber: z.string().nullable(),
  version: z.number(),
});
export type RecordView = z.infer<typeof RecordView>;

export const RecordEvent = z.object({
  at: z.string(),
  kind: z.string(),
  actor: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
});
export const RecordDetail = RecordView.extend({ events: z.array(RecordEvent) });

export const RecordListQuery = CursorQuery.extend({
  status: z.enum(RECORD_STATUSES).optional(),
  postId: Id.optional(),
});

export const MyClaim = z.object({
  claimId: z.number(),
  status: z.enum(CLAIM_STATUSES),
  position: z.number().nullable(),
  post: z.object({ id: z.number(), title: z.string(), place: z.string() }),
  slot: z.object({ id: z.number(), startsAt: z.string(), endsAt: z.string() }),
  cancelUntil: z.string(),
  record: RecordView.nullable(),
});
export type MyClaim = z.infer<typeof MyClaim>;
