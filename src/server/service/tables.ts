import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import {
  CLAIM_STATUSES,
  POST_STATUSES,
  RECORD_METHODS,
  RECORD_STATUSES,
  SERVICE_KINDS,
  SLOT_STATUSES,
  TARGET_GROUPS,
} from '../../contracts/service-states.ts';
import { users } from '../auth/tables.ts';
import { bytea } from '../core/files.tables.ts';
import { oneOf } from '../db/checks.ts';
import { compounds, regions } from '../geo/tables.ts';
import { partyMembers } from '../party/tables.ts';
import { pointsTransfers } from '../points/tables.ts';
import { tickets } from '../tickets/tables.ts';

/**
 * 服务岗位: a community (or one of its compounds) asks members for help: what, which skills,
 * where, for whom, at a rate of points per verified hour (the county's rule when not set).
 * `path` is the compound's region path for a compound's post, else the community's.
 */
export const servicePosts = pgTable(
  'service_posts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    communityCode: varchar('community_code', { length: 12 })
      .notNull()
      .references(() => regions.code),
    compoundId: bigint('compound_id', { mode: 'number' }).references(() => compounds.id),
    path: text('path').notNull(),
    title: text('title').notNull(),
    kind: varchar('kind', { length: 12 }).notNull(),
    skills: text('skills').array().notNull().default(sql`'{}'::text[]`),
    place: text('place').notNull(),
    /** 服务对象 (national volunteer-record field). */
    recipients: text('recipients'),
    /** 服务内容. */
    content: text('content').notNull(),
    pointsPerHour: integer('points_per_hour'),
    /** Claims may be cancelled until this many hours before a slot starts. */
    cancelHours: integer('cancel_hours').notNull(),
    status: varchar('status', { length: 8 }).notNull().default('open'),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('service_posts_path_idx').using('btree', t.path.op('text_pattern_ops'), t.status),
    check('service_posts_kind_chk', oneOf('kind', SERVICE_KINDS)),
    check('service_posts_status_chk', oneOf('status', POST_STATUSES)),
    check('service_posts_points_chk', sql`points_per_hour is null or points_per_hour >= 0`),
    check('service_posts_cancel_chk', sql`cancel_hours >= 0`),
  ],
);

/**
 * A time slot of a post with its capacity. `claimed` counts the places taken, kept under the
 * slot's row lock with each claim and cancellation, so a slot is never overfilled. `qr_secret`
 * signs the rotating check-in code the organiser's screen shows (it never leaves the server).
 */
export const serviceSlots = pgTable(
  'service_slots',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    postId: bigint('post_id', { mode: 'number' })
      .notNull()
      .references(() => servicePosts.id),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    capacity: integer('capacity').notNull(),
    claimed: integer('claimed').notNull().default(0),
    status: varchar('status', { length: 10 }).notNull().default('open'),
    qrSecret: bytea('qr_secret').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('service_slots_post_idx').on(t.postId, t.startsAt),
    index('service_slots_starts_idx').on(t.startsAt),
    check('service_slots_time_chk', sql`ends_at > starts_at`),
    check('service_slots_capacity_chk', sql`capacity > 0 and claimed >= 0 and claimed <= capacity`),
    check('service_slots_status_chk', oneOf('status', SLOT_STATUSES)),
  ],
);

/** 认领: a member's place on a slot, or their place in its waiting list (in id order). */
export const serviceClaims = pgTable(
  'service_claims',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    slotId: bigint('slot_id', { mode: 'number' })
      .notNull()
      .references(() => serviceSlots.id),
    memberId: bigint('member_id', { mode: 'number' })
      .notNull()
      .references(() => partyMembers.id),
    status: varchar('status', { length: 10 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** When a waiting member moved up into a place. */
    promotedAt: timestamp('promoted_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('service_claims_live_uq').on(t.slotId, t.memberId).where(sql`status <> 'cancelled'`),
    index('service_claims_slot_idx').on(t.slotId, t.status, t.id),
    index('service_claims_member_idx').on(t.memberId, t.id),
    check('service_claims_status_chk', oneOf('status', CLAIM_STATUSES)),
  ],
);

/**
 * 志愿服务记录, with the national volunteer-record fields: activity, date, place, recipients,
 * content, hours, rating, organiser, recorder. Hours are minutes actually on post, capped by the
 * slot; the organiser verifies them (approve, adjust with a reason, decline). Never deleted:
 * every correction is an event below, and points follow by transfers (the difference).
 */
export const serviceRecords = pgTable(
  'service_records',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    memberId: bigint('member_id', { mode: 'number' })
      .notNull()
      .references(() => partyMembers.id),
    postId: bigint('post_id', { mode: 'number' })
      .notNull()
      .references(() => servicePosts.id),
    slotId: bigint('slot_id', { mode: 'number' }).references(() => serviceSlots.id),
    path: text('path').notNull(),
    activity: text('activity').notNull(),
    serviceDate: date('service_date').notNull(),
    place: text('place').notNull(),
    recipients: text('recipients'),
    content: text('content').notNull(),
    method: varchar('method', { length: 10 }).notNull(),
    checkInAt: timestamp('check_in_at', { withTimezone: true }),
    checkOutAt: timestamp('check_out_at', { withTimezone: true }),
    /** Time on post as recorded (capped by the slot); what the member asks to be credited. */
    recordedMinutes: integer('recorded_minutes'),
    /** What the organiser verified. */
    minutes: integer('minutes'),
    rating: smallint('rating'),
    /** 组织单位: the post's community or compound, by name at the time. */
    organiser: text('organiser').notNull(),
    /** 记录人: who entered the attendance (the member themselves for a scan or code). */
    recordedBy: bigint('recorded_by', { mode: 'number' }).references(() => users.id),
    verifiedBy: bigint('verified_by', { mode: 'number' }).references(() => users.id),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    status: varchar('status', { length: 10 }).notNull(),
    reason: text('reason'),
    /** Points posted for it so far (a correction posts the difference). */
    points: integer('points').notNull().default(0),
    /** 解决群众问题: what was solved for residents, and the ticket it answers, if any. */
    problemsSolved: text('problems_solved'),
    ticketId: bigint('ticket_id', { mode: 'number' }).references(() => tickets.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('service_records_slot_member_uq').on(t.slotId, t.memberId).where(sql`slot_id is not null`),
    index('service_records_member_idx').on(t.memberId, t.serviceDate),
    index('service_records_path_idx').using('btree', t.path.op('text_pattern_ops'), t.status),
    index('service_records_slot_idx').on(t.slotId, t.status),
    index('service_records_date_idx').on(t.serviceDate),
    check('service_records_method_chk', oneOf('method', RECORD_METHODS)),
    check('service_records_status_chk', oneOf('status', RECORD_STATUSES)),
    check('service_records_minutes_chk', sql`minutes is null or minutes >= 0`),
    check('service_records_rating_chk', sql`rating is null or rating between 1 and 5`),
    check('service_records_points_chk', sql`points >= 0`),
  ],
);

/** What happened to a record: checked in or out, entered, approved, adjusted, declined, corrected. */
export const serviceRecordEvents = pgTable(
  'service_record_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    recordId: bigint('record_id', { mode: 'number' })
      .notNull()
      .references(() => serviceRecords.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorUserId: bigint('actor_user_id', { mode: 'number' }).references(() => users.id),
    kind: varchar('kind', { length: 12 }).notNull(),
    data: jsonb('data').$type<Record<string, unknown>>(),
    transferId: bigint('transfer_id', { mode: 'number' }).references(() => pointsTransfers.id),
  },
  (t) => [index('service_record_events_record_idx').on(t.recordId, t.at)],
);

/** 时长码: single-use codes printed for a slot; each one records one member's attendance. */
export const serviceHourCodes = pgTable(
  'service_hour_codes',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    slotId: bigint('slot_id', { mode: 'number' })
      .notNull()
      .references(() => serviceSlots.id),
    code: varchar('code', { length: 12 }).notNull(),
    usedBy: bigint('used_by', { mode: 'number' }).references(() => partyMembers.id),
    usedAt: timestamp('used_at', { withTimezone: true }),
    recordId: bigint('record_id', { mode: 'number' }).references(() => serviceRecords.id),
    createdBy: bigint('created_by', { mode: 'number' }).references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('service_hour_codes_code_uq').on(t.code),
    index('service_hour_codes_slot_idx').on(t.slotId),
    check('service_hour_codes_used_chk', sql`(used_at is null) = (used_by is null)`),
  ],
);

/**
 * 年度服务目标, per year, county and group: at least so many times and hours; members behind
 * are reminded on the listed dates. A county without a row uses DEFAULT_TARGET for in-service
 * cadres.
 */
export const serviceTargets = pgTable(
  'service_targets',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    year: integer('year').notNull(),
    countyCode: varchar('county_code', { length: 6 }).notNull(),
    group: varchar('group', { length: 16 }).notNull(),
    minTimes: integer('min_times').notNull(),
    minHours: integer('min_hours').notNull(),
    remindOn: date('remind_on').array().notNull().default(sql`'{}'::date[]`),
    updatedBy: bigint('updated_by', { mode: 'number' }).references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('service_targets_uq').on(t.year, t.countyCode, t.group),
    check('service_targets_group_chk', oneOf('"group"', TARGET_GROUPS)),
    check('service_targets_min_chk', sql`min_times >= 0 and min_hours >= 0`),
  ],
);

/** A reminder sent to a member behind their target on one of its dates (once each). */
export const serviceReminders = pgTable(
  'service_reminders',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    targetId: bigint('target_id', { mode: 'number' })
      .notNull()
      .references(() => serviceTargets.id),
    remindOn: date('remind_on').notNull(),
    memberId: bigint('member_id', { mode: 'number' })
      .notNull()
      .references(() => partyMembers.id),
    times: integer('times').notNull(),
    minutes: integer('minutes').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('service_reminders_uq').on(t.targetId, t.remindOn, t.memberId),
    index('service_reminders_member_idx').on(t.memberId, t.id),
  ],
);

/**
 * 志愿服务证明: issued to a member for a period, with what it certifies frozen at issue; anyone
 * can check it by its number (the verification page shows the masked name and the figures).
 */
export const serviceCertificates = pgTable(
  'service_certificates',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    number: varchar('number', { length: 24 }).notNull(),
    memberId: bigint('member_id', { mode: 'number' })
      .notNull()
      .references(() => partyMembers.id),
    nameMasked: text('name_masked').notNull(),
    idMasked: varchar('id_masked', { length: 18 }).notNull(),
    periodFrom: date('period_from').notNull(),
    periodTo: date('period_to').notNull(),
    times: integer('times').notNull(),
    minutes: integer('minutes').notNull(),
    content: text('content').notNull(),
    issuer: text('issuer').notNull(),
    path: text('path').notNull(),
    issuedBy: bigint('issued_by', { mode: 'number' }).references(() => users.id),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokeReason: text('revoke_reason'),
  },
  (t) => [
    uniqueIndex('service_certificates_number_uq').on(t.number),
    index('service_certificates_member_idx').on(t.memberId),
    check('service_certificates_period_chk', sql`period_to >= period_from`),
  ],
);
