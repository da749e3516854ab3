import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import type {
  Channel,
  DispatchStatus,
  ExtensionStatus,
  Outcome,
  TicketStatus,
} from '../../contracts/tickets.ts';
import { users } from '../auth/tables.ts';
import { buildings, compounds, departments, regions } from '../geo/tables.ts';

/**
 * 属地管理事项责任清单: published in versions. Items belong to one version and are never edited
 * after publication, so a ticket keeps the rules (handler level, deadlines) it was routed under.
 */
export const responsibilityLists = pgTable(
  'responsibility_lists',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    version: varchar('version', { length: 20 }).notNull().unique(),
    /** Exactly one list is current; new tickets are routed under it. */
    current: boolean('current').notNull().default(false),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
    publishedBy: bigint('published_by', { mode: 'number' }).references(() => users.id),
    note: text('note'),
  },
  (t) => [uniqueIndex('responsibility_lists_current_uq').on(t.current).where(sql`${t.current}`)],
);

export const responsibilityCategories = pgTable(
  'responsibility_categories',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    listId: bigint('list_id', { mode: 'number' })
      .notNull()
      .references(() => responsibilityLists.id),
    code: varchar('code', { length: 20 }).notNull(),
    name: text('name').notNull(),
    sort: integer('sort').notNull().default(0),
  },
  (t) => [uniqueIndex('responsibility_categories_list_code_uq').on(t.listId, t.code)],
);

export type HandlerLevel = 'community' | 'township' | 'department';

export const responsibilityItems = pgTable(
  'responsibility_items',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    listId: bigint('list_id', { mode: 'number' })
      .notNull()
      .references(() => responsibilityLists.id),
    categoryId: bigint('category_id', { mode: 'number' })
      .notNull()
      .references(() => responsibilityCategories.id),
    code: varchar('code', { length: 20 }).notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    handlerLevel: varchar('handler_level', { length: 12 }).notNull().$type<HandlerLevel>(),
    departmentType: varchar('department_type', { length: 40 }),
    urgent: boolean('urgent').notNull().default(false),
    /** Limits in the compact form of tickets/worktime.ts: '2wh', '30m', '1wd', '24h', '7d'. */
    acceptLimit: varchar('accept_limit', { length: 12 }).notNull(),
    checkInLimit: varchar('check_in_limit', { length: 12 }).notNull(),
    resolveLimit: varchar('resolve_limit', { length: 12 }).notNull(),
    /** Complex matters: the extra time one approved extension grants; null = not extendable. */
    extensionLimit: varchar('extension_limit', { length: 12 }),
    keywords: text('keywords').array().notNull().default(sql`'{}'::text[]`),
    sort: integer('sort').notNull().default(0),
  },
  (t) => [
    uniqueIndex('responsibility_items_list_code_uq').on(t.listId, t.code),
    check('responsibility_items_level_chk', sql`${t.handlerLevel} in ('community','township','department')`),
    check(
      'responsibility_items_department_chk',
      sql`(${t.handlerLevel} = 'department') = (${t.departmentType} is not null)`,
    ),
  ],
);

/**
 * Readable ticket numbers (20261126-000123) count within the Shanghai day. A report takes
 * `nextval(ticket_number_seq) - base` (gongzhi_ticket_number(), migration 0012): no row is
 * locked, so reports do not queue behind each other's COMMIT. `base` is set by the day's first
 * such report; `last` counts numbers handed out in blocks before that (bulk loaders, and reports
 * made before the sequence existed), and the sequence continues after them.
 */
export const ticketNumbers = pgTable('ticket_numbers', {
  day: date('day').primaryKey(),
  last: integer('last').notNull(),
  base: bigint('base', { mode: 'number' }),
});

export const ticketNumberSeq = pgSequence('ticket_number_seq');

export const tickets = pgTable(
  'tickets',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    number: varchar('number', { length: 20 }).notNull(),
    channel: varchar('channel', { length: 12 }).notNull().$type<Channel>(),
    status: varchar('status', { length: 12 }).notNull().$type<TicketStatus>(),
    itemId: bigint('item_id', { mode: 'number' }).references(() => responsibilityItems.id),
    description: text('description').notNull(),
    /** Not shown to neighbours (the compound's public list). */
    private: boolean('private').notNull().default(false),
    urgent: boolean('urgent').notNull().default(false),
    reporterUserId: bigint('reporter_user_id', { mode: 'number' }).references(() => users.id),
    /** Who keyed it in for someone else (hotline operator, grid worker). */
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id),
    contactName: text('contact_name'),
    contactPhone: varchar('contact_phone', { length: 20 }),
    communityCode: varchar('community_code', { length: 12 })
      .notNull()
      .references(() => regions.code),
    countyCode: varchar('county_code', { length: 6 }).notNull(),
    compoundId: bigint('compound_id', { mode: 'number' }).references(() => compounds.id),
    buildingId: bigint('building_id', { mode: 'number' }).references(() => buildings.id),
    /** Region path of the place: the compound's path, or the community's when no compound is named. */
    path: text('path').notNull(),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    place: text('place'),
    handledBySelf: boolean('handled_by_self').notNull().default(false),
    reopenCount: smallint('reopen_count').notNull().default(0),
    /** The one extension of the resolve limit a complex matter may get, with a supervisor's approval. */
    extension: varchar('extension', { length: 10 }).$type<ExtensionStatus>(),
    mergedIntoId: bigint('merged_into_id', { mode: 'number' }),
    acceptDueAt: timestamp('accept_due_at', { withTimezone: true }),
    acceptWarnAt: timestamp('accept_warn_at', { withTimezone: true }),
    resolveDueAt: timestamp('resolve_due_at', { withTimezone: true }),
    resolveWarnAt: timestamp('resolve_warn_at', { withTimezone: true }),
    followUpDueAt: timestamp('follow_up_due_at', { withTimezone: true }),
    /** Set once by the deadline sweep, so each warning and each overdue mark happens once. */
    acceptWarnedAt: timestamp('accept_warned_at', { withTimezone: true }),
    acceptOverdueAt: timestamp('accept_overdue_at', { withTimezone: true }),
    resolveWarnedAt: timestamp('resolve_warned_at', { withTimezone: true }),
    resolveOverdueAt: timestamp('resolve_overdue_at', { withTimezone: true }),
    /** Highest supervision level reached (township, county, city), for overdue escalation. */
    supervisedLevel: varchar('supervised_level', { length: 12 }),
    rating: smallint('rating'),
    outcome: varchar('outcome', { length: 12 }).$type<Outcome>(),
    idempotencyKey: varchar('idempotency_key', { length: 80 }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('tickets_number_uq').on(t.number),
    // A retried or double-tapped report creates one ticket: the key is unique per reporter.
    uniqueIndex('tickets_idempotency_uq').on(t.createdBy, t.idempotencyKey),
    index('tickets_path_idx').using('btree', t.path.op('text_pattern_ops'), t.createdAt),
    index('tickets_reporter_idx').on(t.reporterUserId, t.createdAt),
    index('tickets_compound_idx').on(t.compoundId, t.createdAt),
    index('tickets_status_idx').on(t.status, t.communityCode),
    // A community's lists, newest first (policy.workVisible names the community): by the path
    // alone, PostgreSQL walked the whole table backwards, 15,000 rows for a page of 31.
    index('tickets_community_idx').on(t.communityCode, t.id),
    // The deadline sweep (deadlines.ts) reads what has come due, oldest first, from indexes
    // holding only the tickets still waiting for that mark. Before them each round of each
    // instance read every ticket (by the primary key, for its ORDER BY id): 4 s a round at 1.5M
    // tickets.
    index('tickets_accept_warn_due_idx')
      .on(t.acceptWarnAt)
      .where(sql`status = 'submitted' and accept_warned_at is null`),
    index('tickets_accept_overdue_due_idx')
      .on(t.acceptDueAt)
      .where(sql`status = 'submitted' and accept_overdue_at is null`),
    index('tickets_resolve_warn_due_idx')
      .on(t.resolveWarnAt)
      .where(sql`status in ('accepted', 'whistled', 'inProgress') and resolve_warned_at is null`),
    index('tickets_resolve_overdue_due_idx')
      .on(t.resolveDueAt)
      .where(sql`status in ('accepted', 'whistled', 'inProgress') and resolve_overdue_at is null`),
    // …and those the township supervises, for the county escalation a day later.
    index('tickets_township_supervised_idx')
      .on(t.id)
      .where(
        sql`supervised_level = 'township' and status in ('submitted', 'accepted', 'whistled', 'inProgress')`,
      ),
    check(
      'tickets_status_chk',
      sql`${t.status} in ('submitted','accepted','whistled','inProgress','resolved','confirmed','closed','rejected','referred','merged')`,
    ),
    check('tickets_rating_chk', sql`${t.rating} is null or ${t.rating} between 1 and 5`),
    check(
      'tickets_extension_chk',
      sql`${t.extension} is null or ${t.extension} in ('requested','granted','refused')`,
    ),
    check('tickets_merged_chk', sql`(${t.status} = 'merged') = (${t.mergedIntoId} is not null)`),
  ],
);

/** 吹哨: one row per department a ticket was whistled to. */
export const ticketDispatches = pgTable(
  'ticket_dispatches',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    ticketId: bigint('ticket_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id),
    departmentId: bigint('department_id', { mode: 'number' })
      .notNull()
      .references(() => departments.id),
    status: varchar('status', { length: 12 }).notNull().$type<DispatchStatus>(),
    /** The ticket's own status, copied here by triggers (migration 0009) so a department's queue
     * by stage is read from one index instead of hashing all its dispatches against the tickets. */
    ticketStatus: varchar('ticket_status', { length: 12 })
      .notNull()
      .default('whistled')
      .$type<TicketStatus>(),
    urgent: boolean('urgent').notNull().default(false),
    whistledAt: timestamp('whistled_at', { withTimezone: true }).notNull(),
    checkInDueAt: timestamp('check_in_due_at', { withTimezone: true }).notNull(),
    checkInWarnAt: timestamp('check_in_warn_at', { withTimezone: true }).notNull(),
    checkInWarnedAt: timestamp('check_in_warned_at', { withTimezone: true }),
    checkInOverdueAt: timestamp('check_in_overdue_at', { withTimezone: true }),
    checkedInAt: timestamp('checked_in_at', { withTimezone: true }),
    doneAt: timestamp('done_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('ticket_dispatches_ticket_department_uq').on(t.ticketId, t.departmentId),
    index('ticket_dispatches_department_idx').on(t.departmentId, t.status, t.checkInDueAt),
    // A department's queue, newest ticket first.
    index('ticket_dispatches_department_ticket_idx').on(t.departmentId, t.ticketId),
    index('ticket_dispatches_department_stage_idx').on(t.departmentId, t.ticketStatus, t.ticketId),
    // The deadline sweep's check-in steps, as for tickets.
    index('ticket_dispatches_check_in_warn_due_idx')
      .on(t.checkInWarnAt)
      .where(sql`status = 'pending' and check_in_warned_at is null`),
    index('ticket_dispatches_check_in_overdue_due_idx')
      .on(t.checkInDueAt)
      .where(sql`status = 'pending' and check_in_overdue_at is null`),
    check(
      'ticket_dispatches_status_chk',
      sql`${t.status} in ('pending','checkedIn','returned','done','cancelled')`,
    ),
  ],
);

/** The timeline: every event with actor, time and note. Rows are only ever added. */
export const ticketEvents = pgTable(
  'ticket_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    ticketId: bigint('ticket_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorUserId: bigint('actor_user_id', { mode: 'number' }).references(() => users.id),
    departmentId: bigint('department_id', { mode: 'number' }).references(() => departments.id),
    kind: varchar('kind', { length: 24 }).notNull(),
    fromStatus: varchar('from_status', { length: 12 }).$type<TicketStatus>(),
    toStatus: varchar('to_status', { length: 12 }).$type<TicketStatus>(),
    note: text('note'),
    /** Shown to the reporter (progress) or only to staff (internal notes, supervision). */
    public: boolean('public').notNull().default(true),
    data: jsonb('data').$type<Record<string, unknown>>(),
  },
  (t) => [index('ticket_events_ticket_idx').on(t.ticketId, t.at)],
);

/** People who follow a ticket: the reporter, neighbours who "+1", reporters of merged duplicates. */
export const ticketFollowers = pgTable(
  'ticket_followers',
  {
    ticketId: bigint('ticket_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id),
    reason: varchar('reason', { length: 12 }).notNull().$type<'reporter' | 'plusOne' | 'merged'>(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.userId] }), index('ticket_followers_user_idx').on(t.userId)],
);

/** 节假日调整: admin overrides of the national calendar (e.g. next year's schedule once published). */
export const calendarOverrides = pgTable('calendar_overrides', {
  day: date('day').primaryKey(),
  workday: boolean('workday').notNull(),
  note: text('note'),
  updatedBy: bigint('updated_by', { mode: 'number' }).references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/**
 * Notices about tickets: in-app ones for followers with an account, and an SMS outbox for hotline
 * callers without one. Written in the same transaction as the move they report; SMS rows are sent
 * afterwards by the sender loop (FOR UPDATE SKIP LOCKED, so several instances never send twice).
 */
export const notices = pgTable(
  'notices',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    channel: varchar('channel', { length: 8 }).notNull().$type<'app' | 'sms'>(),
    userId: bigint('user_id', { mode: 'number' }).references(() => users.id),
    phone: varchar('phone', { length: 20 }),
    ticketId: bigint('ticket_id', { mode: 'number' })
      .notNull()
      .references(() => tickets.id),
    /** The move that happened (accept, whistle, resolve, confirm, …); the text is rendered per reader. */
    kind: varchar('kind', { length: 24 }).notNull(),
    toStatus: varchar('to_status', { length: 12 }).$type<TicketStatus>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** An SMS being sent: no other sender takes it until then. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    attempts: smallint('attempts').notNull().default(0),
  },
  (t) => [
    index('notices_user_idx').on(t.userId, t.id),
    index('notices_outbox_idx').on(t.id).where(sql`${t.channel} = 'sms' and ${t.sentAt} is null`),
    check('notices_target_chk', sql`(${t.channel} = 'app') = (${t.userId} is not null)`),
  ],
);
