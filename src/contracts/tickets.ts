import { z } from 'zod';
import { Phone } from './common.ts';

import {
  CHANNELS,
  DISPATCH_STATUSES,
  EXTENSION_STATUSES,
  OUTCOMES,
  TICKET_ACTIONS,
  TICKET_STATUSES,
} from './ticket-states.ts';

export * from './ticket-states.ts';

// --- API shapes -------------------------------------------------------------------------------

const Text = (max: number) => z.string().trim().min(1).max(max);

export const TicketCreate = z
  .object({
    /** 责任清单事项; optional: the community classifies it when the reporter is unsure. */
    itemId: z.number().int().positive().optional(),
    description: Text(2000),
    private: z.boolean().default(false),
    urgent: z.boolean().default(false),
    compoundId: z.number().int().positive().optional(),
    buildingId: z.number().int().positive().optional(),
    lat: z.number().min(-90).max(90).optional(),
    lng: z.number().min(-180).max(180).optional(),
    place: z.string().trim().max(200).optional(),
    photoIds: z.array(z.number().int().positive()).max(9).default([]),
    /** Staff channels: who called or whom the report is for. */
    channel: z.enum(['app', 'hotline', 'patrol', 'staff']).default('app'),
    contactName: z.string().trim().max(40).optional(),
    contactPhone: Phone.optional(),
    /** Staff channels: the community, when no compound is named. */
    communityCode: z
      .string()
      .regex(/^\d{12}$/)
      .optional(),
  })
  .refine((v) => (v.lat === undefined) === (v.lng === undefined), {
    message: 'lat and lng come together',
    path: ['lat'],
  });
export type TicketCreate = z.infer<typeof TicketCreate>;

export const TicketListQuery = z.object({
  /** mine: reported or followed by me; neighbours: public tickets of my compound; else my work scope. */
  view: z.enum(['mine', 'neighbours', 'work']).default('work'),
  status: z.enum(TICKET_STATUSES).optional(),
  /** Work queues across stages: past a deadline, past 80 % of one, or an extension awaiting approval. */
  queue: z.enum(['overdue', 'dueSoon', 'extension']).optional(),
  region: z
    .string()
    .regex(/^\d{6,12}$/)
    .optional(),
  departmentId: z.coerce.number().int().positive().optional(),
  q: z.string().trim().max(40).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
export type TicketListQuery = z.infer<typeof TicketListQuery>;

export const DispatchView = z.object({
  departmentId: z.number(),
  departmentName: z.string(),
  status: z.enum(DISPATCH_STATUSES),
  urgent: z.boolean(),
  whistledAt: z.string(),
  checkInDueAt: z.string(),
  checkedInAt: z.string().nullable(),
  doneAt: z.string().nullable(),
});

export const TicketEventView = z.object({
  id: z.number(),
  at: z.string(),
  kind: z.string(),
  actorName: z.string().nullable(),
  departmentName: z.string().nullable(),
  fromStatus: z.enum(TICKET_STATUSES).nullable(),
  toStatus: z.enum(TICKET_STATUSES).nullable(),
  note: z.string().nullable(),
  public: z.boolean(),
  photoIds: z.array(z.number()),
  /** What the move was about, for the timeline's wording; only the fields that apply. */
  details: z.object({
    departmentNames: z.array(z.string()).optional(),
    rating: z.number().optional(),
    satisfied: z.boolean().optional(),
    reopened: z.boolean().optional(),
    outcome: z.enum(OUTCOMES).optional(),
    toCommunityName: z.string().optional(),
    intoNumber: z.string().optional(),
    deadline: z.enum(['accept', 'checkIn', 'resolve']).optional(),
    dueAt: z.string().optional(),
    escalatedTo: z.enum(['township', 'county']).optional(),
  }),
});

export const TicketSummary = z.object({
  id: z.number(),
  number: z.string(),
  status: z.enum(TICKET_STATUSES),
  channel: z.enum(CHANNELS),
  itemName: z.string().nullable(),
  categoryName: z.string().nullable(),
  description: z.string(),
  placeLabel: z.string(),
  urgent: z.boolean(),
  private: z.boolean(),
  createdAt: z.string(),
  acceptDueAt: z.string().nullable(),
  resolveDueAt: z.string().nullable(),
  overdue: z.boolean(),
});
export type TicketSummary = z.infer<typeof TicketSummary>;

export const TicketView = TicketSummary.extend({
  itemId: z.number().nullable(),
  handlerLevel: z.enum(['community', 'township', 'department']).nullable(),
  communityCode: z.string(),
  compoundId: z.number().nullable(),
  buildingId: z.number().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  /** Masked unless revealed (audited); null for neighbours. */
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  reopenCount: z.number(),
  rating: z.number().nullable(),
  outcome: z.enum(OUTCOMES).nullable(),
  mergedIntoNumber: z.string().nullable(),
  /** The one extension of the resolve limit: none yet, requested, granted or refused. */
  extension: z.enum(EXTENSION_STATUSES).nullable(),
  /** Extra time an approved extension grants, in words; null when the matter is not extendable. */
  extensionLimit: z.string().nullable(),
  photoIds: z.array(z.number()),
  dispatches: z.array(DispatchView),
  events: z.array(TicketEventView),
  /** The moves this viewer may make now; the UI offers exactly these. */
  can: z.object({ actions: z.array(z.enum(TICKET_ACTIONS)), departmentIds: z.array(z.number()) }),
});
export type TicketView = z.infer<typeof TicketView>;

export const TicketActionBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('accept'), itemId: z.number().int().positive().optional() }),
  z.object({ kind: z.literal('reject'), reason: Text(500) }),
  z.object({ kind: z.literal('refer'), reason: Text(500) }),
  z.object({ kind: z.literal('transfer'), reason: Text(500), communityCode: z.string().regex(/^\d{12}$/) }),
  z.object({ kind: z.literal('handleSelf') }),
  z.object({
    kind: z.literal('whistle'),
    departmentIds: z.array(z.number().int().positive()).min(1).max(10),
    urgent: z.boolean().optional(),
    note: z.string().trim().max(1000).optional(),
  }),
  z.object({
    kind: z.literal('checkIn'),
    departmentId: z.number().int().positive(),
    note: z.string().max(1000).optional(),
  }),
  z.object({ kind: z.literal('return'), departmentId: z.number().int().positive(), reason: Text(500) }),
  z.object({
    kind: z.literal('update'),
    note: Text(1000),
    departmentId: z.number().int().positive().optional(),
    photoIds: z.array(z.number().int().positive()).max(9).default([]),
    public: z.boolean().default(true),
  }),
  z.object({
    kind: z.literal('resolve'),
    note: Text(1000),
    departmentId: z.number().int().positive().optional(),
    photoIds: z.array(z.number().int().positive()).max(9).default([]),
  }),
  z.object({ kind: z.literal('confirm'), note: z.string().trim().max(1000).optional() }),
  z.object({ kind: z.literal('sendBack'), reason: Text(500) }),
  z.object({
    kind: z.literal('rate'),
    rating: z.number().int().min(1).max(5),
    satisfied: z.boolean(),
    comment: z.string().trim().max(500).optional(),
  }),
  z.object({ kind: z.literal('merge'), intoTicketId: z.number().int().positive() }),
  z.object({ kind: z.literal('supervise'), note: Text(500) }),
  z.object({
    kind: z.literal('requestExtension'),
    reason: Text(500),
    departmentId: z.number().int().positive().optional(),
  }),
  z.object({ kind: z.literal('approveExtension'), note: z.string().trim().max(500).optional() }),
  z.object({ kind: z.literal('refuseExtension'), reason: Text(500) }),
]);
export type TicketActionBody = z.infer<typeof TicketActionBody>;

export const ResponsibilityItemView = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  description: z.string(),
  categoryCode: z.string(),
  categoryName: z.string(),
  handlerLevel: z.enum(['community', 'township', 'department']),
  departmentType: z.string().nullable(),
  urgent: z.boolean(),
  /** Words residents use for it, for searching the list. */
  keywords: z.array(z.string()),
  /** Limits in words, in the viewer's language: 受理 2 个工作小时 … */
  acceptLimit: z.string(),
  checkInLimit: z.string(),
  resolveLimit: z.string(),
  /** Extra time one approved extension grants, in words; null when not extendable. */
  extensionLimit: z.string().nullable(),
});
export type ResponsibilityItemView = z.infer<typeof ResponsibilityItemView>;

export const ResponsibilityListView = z.object({
  version: z.string(),
  items: z.array(ResponsibilityItemView),
});

/**
 * A limit in compact form: a whole number and a unit: m, h, d (clock minutes, hours, days) or
 * wm, wh, wd (working minutes, hours, days): '2wh', '30m', '15d'.
 */
export const LimitCode = z
  .string()
  .trim()
  .regex(/^[1-9]\d{0,3}(wm|wh|wd|m|h|d)$/, { message: 'limit' });

/** A whole list as published, exported and imported (JSON): the admin edits it as a document. */
export const ResponsibilityListDoc = z.object({
  version: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z][0-9A-Za-z._-]{0,19}$/, { message: 'version' }),
  note: z.string().trim().max(500).optional(),
  categories: z
    .array(z.object({ code: z.string().trim().min(1).max(20), name: z.string().trim().min(1).max(60) }))
    .min(1)
    .max(100),
  items: z
    .array(
      z.object({
        code: z.string().trim().min(1).max(20),
        categoryCode: z.string().trim().min(1).max(20),
        name: z.string().trim().min(1).max(80),
        description: z.string().trim().max(500).default(''),
        handlerLevel: z.enum(['community', 'township', 'department']),
        departmentType: z.string().trim().min(1).max(40).nullable().default(null),
        urgent: z.boolean().default(false),
        limits: z.object({
          accept: LimitCode,
          checkIn: LimitCode,
          resolve: LimitCode,
          extension: LimitCode.nullable().default(null),
        }),
        keywords: z.array(z.string().trim().min(1).max(20)).max(50).default([]),
      }),
    )
    .min(1)
    .max(1000),
});
export type ResponsibilityListDoc = z.infer<typeof ResponsibilityListDoc>;

export const ResponsibilityListSummary = z.object({
  version: z.string(),
  current: z.boolean(),
  publishedAt: z.string(),
  publishedByName: z.string().nullable(),
  note: z.string().nullable(),
  categoryCount: z.number(),
  itemCount: z.number(),
  /** Tickets routed under this version (they keep its rules). */
  ticketCount: z.number(),
});
export type ResponsibilityListSummary = z.infer<typeof ResponsibilityListSummary>;

/** What publishing a document changes against the current list, by item code. */
export const ResponsibilityListDiff = z.object({
  added: z.array(z.string()),
  removed: z.array(z.string()),
  changed: z.array(z.object({ code: z.string(), fields: z.array(z.string()) })),
});
export const ResponsibilityPublishResult = z.object({
  list: ResponsibilityListSummary.nullable(),
  diff: ResponsibilityListDiff,
  dryRun: z.boolean(),
});
export type ResponsibilityPublishResult = z.infer<typeof ResponsibilityPublishResult>;

/** A community a ticket may be transferred to, labelled with its township. */
export const TransferTarget = z.object({ code: z.string(), name: z.string(), townshipName: z.string() });
export const TransferTargetQuery = z.object({ q: z.string().trim().max(40).optional() });

export const SimilarQuery = z.object({
  compoundId: z.coerce.number().int().positive().optional(),
  lat: z.coerce.number().min(-90).max(90).optional(),
  lng: z.coerce.number().min(-180).max(180).optional(),
  text: z.string().trim().max(2000).optional(),
});
export type SimilarQuery = z.infer<typeof SimilarQuery>;

/** An open public ticket nearby that may be the same problem: no personal data. */
export const SimilarTicket = z.object({
  id: z.number(),
  number: z.string(),
  status: z.enum(TICKET_STATUSES),
  itemName: z.string().nullable(),
  description: z.string(),
  placeLabel: z.string(),
  createdAt: z.string(),
  followers: z.number(),
  /** Metres from the given point, when both have a location. */
  distance: z.number().nullable(),
  sameCompound: z.boolean(),
  /** Text similarity 0..1. */
  score: z.number(),
  /** The viewer already follows it (reported it or added +1). */
  following: z.boolean(),
});
export type SimilarTicket = z.infer<typeof SimilarTicket>;

export const NoticeView = z.object({
  id: z.number(),
  /** The move: accept, whistle, checkIn, update, resolve, confirm, rate, … */
  kind: z.string(),
  ticketId: z.number(),
  number: z.string(),
  /** What the ticket is about, so the reader knows which of theirs it is: its item, or the report's start. */
  about: z.string(),
  toStatus: z.enum(TICKET_STATUSES).nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export const NoticePage = z.object({
  unread: z.number(),
  items: z.array(NoticeView),
  nextCursor: z.string().nullable(),
});
export const NoticeRead = z.object({
  ids: z.union([z.array(z.number().int().positive()).max(200), z.literal('all')]),
});

export const SuggestBody = z.object({
  text: z.string().trim().min(1).max(2000),
  place: z.string().trim().max(200).optional(),
});
export const ItemSuggestion = z.object({
  itemId: z.number(),
  itemCode: z.string(),
  itemName: z.string(),
  /** 0..1 */
  score: z.number(),
  handlerLevel: z.enum(['community', 'township', 'department']),
  departmentType: z.string().nullable(),
  departmentName: z.string().nullable(),
  /** 'model' learned from resolved tickets, or 'keywords' on the list when the model is unsure. */
  source: z.enum(['model', 'keywords']),
  /** The words of the text that speak for it. */
  why: z.array(z.string()),
});

export const CalendarDay = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  workday: z.boolean(),
  note: z.string().nullable(),
});
export const CalendarYear = z.object({
  year: z.number(),
  /** Whether the year's official holidays are known (from the package or entered overrides). */
  covered: z.boolean(),
  overrides: z.array(CalendarDay),
});
export const CalendarOverrideBody = z.object({
  workday: z.boolean(),
  note: z.string().trim().max(60).optional(),
});
