/**
 * 考勤与核定: members check in and out by scanning the organiser's rotating QR (or typing its six
 * digits), or by a printed single-use hour code; the organiser can enter attendance too. Hours
 * are the time actually on post, capped by the slot. The organiser then approves, adjusts (with
 * a reason) or declines; the points follow through the ledger, a correction posting the
 * difference. Records are never deleted; each step is an event.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Attendance, MyClaim, RecordView, Verify } from '../../contracts/service.ts';
import {
  CHECK_IN_EARLY_MINUTES,
  CHECK_OUT_LATE_MINUTES,
  type ClaimStatus,
  QR_WINDOW_SECONDS,
  type RecordMethod,
  type RecordStatus,
} from '../../contracts/service-states.ts';
import { users } from '../auth/tables.ts';
import { type Actor, scopeWhere } from '../core/access.ts';
import { audit } from '../core/audit.ts';
import type { Ctx } from '../core/context.ts';
import { decodeIdCursor, encodeIdCursor } from '../core/cursor.ts';
import { AppError } from '../core/errors.ts';
import { maskName } from '../core/mask.ts';
import type { Db } from '../db/index.ts';
import { fromJsonRow, jsonRowOf, preparedStatement } from '../db/sql.ts';
import { compounds, regions } from '../geo/tables.ts';
import { canEditMemberAt, memberScopes } from '../party/policy.ts';
import { partyMembers } from '../party/tables.ts';
import { issuerAccount, memberAccount, transfer } from '../points/ledger.ts';
import { ruleFor } from '../points/rules.ts';
import { tickets } from '../tickets/tables.ts';
import { shanghaiDate } from '../tickets/worktime.ts';
import {
  activeMember,
  cancelUntil,
  type PostRow,
  pointsPerHour,
  rosterRows,
  type SlotRow,
  waitPosition,
} from './posts.ts';
import {
  serviceClaims,
  serviceHourCodes,
  servicePosts,
  serviceRecordEvents,
  serviceRecords,
  serviceSlots,
} from './tables.ts';

type Authed = Ctx & { actor: Actor };
type RecordRow = typeof serviceRecords.$inferSelect;
type Phase = 'in' | 'out';

const MINUTE = 60_000;
/** Printed hour codes are taken until this many days after their slot ends. */
const HOUR_CODE_DAYS = 3;

// The rotating code ------------------------------------------------------------------------------

const windowAt = (t: Date) => Math.floor(t.getTime() / (QR_WINDOW_SECONDS * 1000));
const mac = (secret: Buffer, what: string) => createHmac('sha256', secret).update(what).digest();
const tokenMac = (secret: Buffer, slotId: number, phase: Phase, w: number) =>
  mac(secret, `qr.${slotId}.${phase}.${w}`).subarray(0, 12).toString('base64url');
const digitsOf = (secret: Buffer, phase: Phase, w: number) =>
  String(mac(secret, `digits.${phase}.${w}`).readUInt32BE(0) % 1_000_000).padStart(6, '0');

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The QR's content for a slot and phase at a moment (what the organiser's screen shows then). */
export function qrToken(secret: Buffer, slotId: number, phase: Phase, at: Date) {
  const w = windowAt(at);
  return `${slotId}.${phase}.${w}.${tokenMac(secret, slotId, phase, w)}`;
}

/** What the organiser's screen shows now: it changes every QR_WINDOW_SECONDS. */
export async function currentQr(ctx: Authed, slotId: number, phase: Phase) {
  const { slot, post } = await slotOf(ctx.db, slotId);
  if (!canEditMemberAt(ctx.actor, post.path)) throw new AppError('service.slot_not_found');
  const now = ctx.clock.now();
  const w = windowAt(now);
  const token = qrToken(slot.qrSecret, slot.id, phase, now);
  return {
    token,
    digits: digitsOf(slot.qrSecret, phase, w),
    url: `/m/service/scan?t=${encodeURIComponent(token)}`,
    expiresInSeconds: Math.max(1, Math.ceil(((w + 1) * QR_WINDOW_SECONDS * 1000 - now.getTime()) / 1000)),
  };
}

/** A code is good in its own window and the one before (a scan that straddles a change). */
function acceptedWindow(now: Date, w: number) {
  const cur = windowAt(now);
  return w === cur || w === cur - 1;
}

function parseToken(token: string) {
  const m = /^(\d{1,15})\.(in|out)\.(\d{1,15})\.([A-Za-z0-9_-]{16})$/.exec(token);
  if (!m) throw new AppError('service.code_invalid');
  return { slotId: Number(m[1]), phase: m[2] as Phase, w: Number(m[3]), mac: m[4] as string };
}

async function slotOf(db: Db, slotId: number) {
  const [r] = await db
    .select({ slot: serviceSlots, post: servicePosts })
    .from(serviceSlots)
    .innerJoin(servicePosts, eq(servicePosts.id, serviceSlots.postId))
    .where(eq(serviceSlots.id, slotId));
  if (!r) throw new AppError('service.slot_not_found');
  return r;
}

// Records ---------------------------------------------------------------------------------------

async function organiserName(db: Db, post: PostRow) {
  const [c] = await db
    .select({ name: regions.name })
    .from(regions)
    .where(eq(regions.code, post.communityCode));
  const [k] = post.compoundId
    ? await db.select({ name: compounds.name }).from(compounds).where(eq(compounds.id, post.compoundId))
    : [];
  return [c?.name, k?.name].filter(Boolean).join(' ');
}

const slotMinutes = (slot: SlotRow) => Math.round((slot.endsAt.getTime() - slot.startsAt.getTime()) / MINUTE);

/** Time on post within the slot, in whole minutes. */
function onPostMinutes(slot: SlotRow, inAt: Date, outAt: Date) {
  const a = Math.max(inAt.getTime(), slot.startsAt.getTime());
  const b = Math.min(outAt.getTime(), slot.endsAt.getTime());
  return Math.max(0, Math.min(slotMinutes(slot), Math.floor((b - a) / MINUTE)));
}

async function event(
  ctx: Ctx,
  recordId: number,
  kind: string,
  data: Record<string, unknown> | null,
  transferId?: number,
) {
  await ctx.db.insert(serviceRecordEvents).values({
    recordId,
    at: ctx.clock.now(),
    actorUserId: ctx.actor?.userId ?? null,
    kind,
    data,
    transferId: transferId ?? null,
  });
}

async function newRecord(
  ctx: Authed,
  post: PostRow,
  slot: SlotRow,
  memberId: number,
  fields: Pick<RecordRow, 'method' | 'status'> & Partial<RecordRow>,
) {
  const now = ctx.clock.now();
  const [r] = await ctx.db
    .insert(serviceRecords)
    .values({
      memberId,
      postId: post.id,
      slotId: slot.id,
      path: post.path,
      activity: post.title,
      serviceDate: shanghaiDate(slot.startsAt),
      place: post.place,
      recipients: post.recipients,
      content: post.content,
      organiser: await organiserName(ctx.db, post),
      recordedBy: ctx.actor.userId,
      createdAt: now,
      updatedAt: now,
      ...fields,
    })
    .onConflictDoNothing()
    .returning();
  return r;
}

async function recordOf(db: Db, slotId: number, memberId: number) {
  const [r] = await db
    .select()
    .from(serviceRecords)
    .where(and(eq(serviceRecords.slotId, slotId), eq(serviceRecords.memberId, memberId)))
    .for('update');
  return r;
}

const p = sql.placeholder;

/** Everything a check-in or check-out decides on, in one round trip: me, the slot, my place, my record. */
const ATTEND_LOOKUP = preparedStatement<{
  member_id: string;
  member_name: string;
  member_status: string;
  slot: Record<string, unknown> | null;
  qr_secret: Buffer | null;
  post: Record<string, unknown> | null;
  organiser: string | null;
  claimed: boolean;
  record: Record<string, unknown> | null;
}>(
  'service_attend_lookup',
  sql`
    select m.id as member_id, m.name as member_name, m.status as member_status,
      (select ${jsonRowOf(serviceSlots, 's')} from ${serviceSlots} s where s.id = ${p('slotId')}::bigint) as slot,
      (select s.qr_secret from ${serviceSlots} s where s.id = ${p('slotId')}::bigint) as qr_secret,
      (select ${jsonRowOf(servicePosts, 'x')} from ${servicePosts} x
        join ${serviceSlots} s on s.post_id = x.id where s.id = ${p('slotId')}::bigint) as post,
      (select concat_ws(' ', r.name, c.name) from ${serviceSlots} s join ${servicePosts} x on x.id = s.post_id
        join ${regions} r on r.code = x.community_code left join ${compounds} c on c.id = x.compound_id
        where s.id = ${p('slotId')}::bigint) as organiser,
      exists (select 1 from ${serviceClaims} c where c.slot_id = ${p('slotId')}::bigint and c.member_id = m.id
        and c.status = 'claimed') as claimed,
      (select ${jsonRowOf(serviceRecords, 'r')} from ${serviceRecords} r
        where r.slot_id = ${p('slotId')}::bigint and r.member_id = m.id) as record
    from ${partyMembers} m where m.user_id = ${p('userId')}::bigint
  `,
);

/** Checks in: the record and its first event in one statement; nothing when already there. */
const CHECK_IN = preparedStatement<{ record: Record<string, unknown> }>(
  'service_check_in',
  sql`
    with r as (
      insert into ${serviceRecords} (member_id, post_id, slot_id, path, activity, service_date, place,
        recipients, content, method, check_in_at, organiser, recorded_by, status, created_at, updated_at)
      values (${p('memberId')}::bigint, ${p('postId')}::bigint, ${p('slotId')}::bigint, ${p('path')}::text,
        ${p('activity')}::text, ${p('serviceDate')}::date, ${p('place')}::text, ${p('recipients')}::text,
        ${p('content')}::text, 'qr', ${p('at')}::timestamptz, ${p('organiser')}::text, ${p('userId')}::bigint,
        'onDuty', ${p('at')}::timestamptz, ${p('at')}::timestamptz)
      on conflict (slot_id, member_id) where slot_id is not null do nothing
      returning *
    ),
    e as (
      insert into ${serviceRecordEvents} (record_id, at, actor_user_id, kind, data)
      select r.id, ${p('at')}::timestamptz, ${p('userId')}::bigint, 'checkIn', '{"method":"qr"}'::jsonb from r
    )
    select ${jsonRowOf(serviceRecords, 'r')} as record from r
  `,
);

/** Checks out once: the conditional update is what refuses a second check-out. */
const CHECK_OUT = preparedStatement<{ record: Record<string, unknown> }>(
  'service_check_out',
  sql`
    with r as (
      update ${serviceRecords} set check_out_at = ${p('at')}::timestamptz, recorded_minutes = ${p('minutes')}::int,
        status = case when status = 'onDuty' then 'pending' else status end,
        updated_at = ${p('at')}::timestamptz, version = version + 1
      where id = ${p('recordId')}::bigint and check_out_at is null
      returning *
    ),
    e as (
      insert into ${serviceRecordEvents} (record_id, at, actor_user_id, kind, data)
      select r.id, ${p('at')}::timestamptz, ${p('userId')}::bigint, 'checkOut',
        jsonb_build_object('minutes', r.recorded_minutes) from r
    )
    select ${jsonRowOf(serviceRecords, 'r')} as record from r
  `,
);

/**
 * Check in or out with the organiser's code (scanned token, or its digits typed for a slot). The
 * busiest moment of an event is everyone scanning at once, so this is two statements and no
 * transaction: one read of everything it decides on, one write that is atomic on its own.
 */
async function byRotatingCode(
  ctx: Authed,
  input: { slotId: number; phase: Phase; check: (slot: SlotRow) => boolean },
): Promise<RecordView> {
  const look = async () =>
    (await ATTEND_LOOKUP.run(ctx.db, { userId: ctx.actor.userId, slotId: input.slotId }))[0];
  let x = await look();
  if (!x) {
    // First use: link my party record by my phone, then look again.
    await activeMember(ctx);
    x = await look();
  }
  if (x?.member_status !== 'normal') throw new AppError('service.not_member');
  if (!x.slot || !x.post) throw new AppError('service.slot_not_found');
  const slot = fromJsonRow(serviceSlots, { ...x.slot, qrSecret: null });
  const post = fromJsonRow(servicePosts, x.post);
  // json_build_object renders bytea as text: the secret comes as its own column.
  slot.qrSecret = x.qr_secret as Buffer;
  if (!input.check(slot)) throw new AppError('service.code_invalid');
  const now = ctx.clock.now();
  const opens = slot.startsAt.getTime() - CHECK_IN_EARLY_MINUTES * MINUTE;
  const closes = slot.endsAt.getTime() + CHECK_OUT_LATE_MINUTES * MINUTE;
  if (now.getTime() < opens || now.getTime() > closes || slot.status !== 'open')
    throw new AppError('service.not_open_now', {
      early: CHECK_IN_EARLY_MINUTES,
      late: CHECK_OUT_LATE_MINUTES,
    });
  if (!x.claimed) throw new AppError('service.not_claimed');
  const memberId = Number(x.member_id);
  let r: RecordRow | null = x.record ? fromJsonRow(serviceRecords, x.record) : null;
  if (input.phase === 'in') {
    // Checking in again changes nothing: the first time stands.
    if (!r) {
      const [made] = await CHECK_IN.run(ctx.db, {
        memberId,
        postId: post.id,
        slotId: slot.id,
        path: post.path,
        activity: post.title,
        serviceDate: shanghaiDate(slot.startsAt),
        place: post.place,
        recipients: post.recipients,
        content: post.content,
        at: now.toISOString(),
        organiser: x.organiser ?? '',
        userId: ctx.actor.userId,
      });
      if (!made) return recordView(ctx.db, (await recordOf(ctx.db, slot.id, memberId))?.id ?? 0, 'own');
      r = fromJsonRow(serviceRecords, made.record);
    }
  } else {
    if (!r?.checkInAt) throw new AppError('service.not_checked_in');
    if (r.checkOutAt) throw new AppError('service.already_out');
    const [out] = await CHECK_OUT.run(ctx.db, {
      recordId: r.id,
      minutes: onPostMinutes(slot, r.checkInAt, now),
      at: now.toISOString(),
      userId: ctx.actor.userId,
    });
    if (!out) throw new AppError('service.already_out');
    r = fromJsonRow(serviceRecords, out.record);
    if (r.verifiedBy) return recordView(ctx.db, r.id, 'own');
  }
  return present(
    {
      r,
      memberName: x.member_name,
      postTitle: post.title,
      slot: { id: slot.id, startsAt: slot.startsAt, endsAt: slot.endsAt },
      recordedBy: r.recordedBy === ctx.actor.userId ? ctx.actor.name : null,
      verifiedBy: null,
      ticketNumber: null,
    },
    'own',
  );
}

/** A member records attendance: a scanned QR, its digits typed, or a printed hour code. */
export async function attend(ctx: Authed, input: Attendance) {
  const now = ctx.clock.now();
  if ('token' in input) {
    const t = parseToken(input.token);
    return byRotatingCode(ctx, {
      slotId: t.slotId,
      phase: t.phase,
      check: (slot) =>
        acceptedWindow(now, t.w) && same(t.mac, tokenMac(slot.qrSecret, slot.id, t.phase, t.w)),
    });
  }
  if ('digits' in input) {
    const cur = windowAt(now);
    return byRotatingCode(ctx, {
      slotId: input.slotId,
      phase: input.phase,
      check: (slot) =>
        [cur, cur - 1].some((w) => same(input.digits, digitsOf(slot.qrSecret, input.phase, w))),
    });
  }
  return redeemHourCode(ctx, input.code);
}

/** A printed code: one member's attendance for its slot, the slot's full length, to be verified. */
async function redeemHourCode(ctx: Authed, code: string) {
  const m = await activeMember(ctx);
  const now = ctx.clock.now();
  const [hc] = await ctx.db
    .select({ id: serviceHourCodes.id, slotId: serviceHourCodes.slotId, usedAt: serviceHourCodes.usedAt })
    .from(serviceHourCodes)
    .where(eq(serviceHourCodes.code, code))
    .for('update');
  if (!hc || hc.usedAt) throw new AppError('service.hour_code_invalid');
  const { slot, post } = await slotOf(ctx.db, hc.slotId);
  const opens = slot.startsAt.getTime() - CHECK_IN_EARLY_MINUTES * MINUTE;
  const closes = slot.endsAt.getTime() + HOUR_CODE_DAYS * 86_400_000;
  if (now.getTime() < opens || now.getTime() > closes || slot.status !== 'open')
    throw new AppError('service.hour_code_invalid');
  if (await recordOf(ctx.db, slot.id, m.id)) throw new AppError('service.record_exists');
  const r = await newRecord(ctx, post, slot, m.id, {
    method: 'code',
    status: 'pending',
    recordedMinutes: slotMinutes(slot),
  });
  if (!r) throw new AppError('service.record_exists');
  // The conditional update is what makes the code single-use when two people type it at once.
  const used = await ctx.db
    .update(serviceHourCodes)
    .set({ usedBy: m.id, usedAt: now, recordId: r.id })
    .where(and(eq(serviceHourCodes.id, hc.id), sql`${serviceHourCodes.usedAt} is null`))
    .returning({ id: serviceHourCodes.id });
  if (!used.length) throw new AppError('service.hour_code_invalid');
  await event(ctx, r.id, 'code', { minutes: r.recordedMinutes });
  return recordView(ctx.db, r.id, 'own');
}

/** Prints codes for a slot (8 digits, unique). */
export async function createHourCodes(ctx: Authed, slotId: number, count: number) {
  const { slot, post } = await slotOf(ctx.db, slotId);
  if (!canEditMemberAt(ctx.actor, post.path)) throw new AppError('service.slot_not_found');
  const made: string[] = [];
  while (made.length < count) {
    const code = String(randomInt(10_000_000, 100_000_000));
    const [r] = await ctx.db
      .insert(serviceHourCodes)
      .values({ slotId: slot.id, code, createdBy: ctx.actor.userId, createdAt: ctx.clock.now() })
      .onConflictDoNothing()
      .returning({ code: serviceHourCodes.code });
    if (r) made.push(r.code);
  }
  await audit(ctx, {
    action: 'service.codes.create',
    entity: 'service_slot',
    entityId: slot.id,
    scopePath: post.path,
    detail: { count },
  });
  return hourCodes(ctx, slotId);
}

export async function hourCodes(ctx: Authed, slotId: number) {
  const { post } = await slotOf(ctx.db, slotId);
  if (!canEditMemberAt(ctx.actor, post.path)) throw new AppError('service.slot_not_found');
  const rows = await ctx.db
    .select()
    .from(serviceHourCodes)
    .where(eq(serviceHourCodes.slotId, slotId))
    .orderBy(asc(serviceHourCodes.id));
  return rows.map((r) => ({
    code: r.code,
    used: r.usedAt !== null,
    usedAt: r.usedAt?.toISOString() ?? null,
  }));
}

/** The organiser records a member's attendance on a slot (no scan). */
export async function enterRecord(
  ctx: Authed,
  slotId: number,
  input: { memberId: number; minutes: number; note?: string },
) {
  const { slot, post } = await slotOf(ctx.db, slotId);
  if (!canEditMemberAt(ctx.actor, post.path)) throw new AppError('service.slot_not_found');
  const [m] = await ctx.db
    .select({ id: partyMembers.id, status: partyMembers.status })
    .from(partyMembers)
    .where(and(eq(partyMembers.id, input.memberId), scopeWhere(partyMembers.path, memberScopes(ctx.actor))));
  if (!m) throw new AppError('member.not_found');
  if (m.status !== 'normal') throw new AppError('pairing.member_inactive');
  const max = slotMinutes(slot);
  if (input.minutes > max) throw new AppError('service.minutes_over_slot', { max });
  if (ctx.clock.now() < slot.startsAt)
    throw new AppError('service.not_open_now', {
      early: CHECK_IN_EARLY_MINUTES,
      late: CHECK_OUT_LATE_MINUTES,
    });
  const r = await newRecord(ctx, post, slot, m.id, {
    method: 'organiser',
    status: 'pending',
    recordedMinutes: input.minutes,
  });
  if (!r) throw new AppError('service.record_exists');
  await event(ctx, r.id, 'entered', { minutes: input.minutes, note: input.note ?? null });
  await audit(ctx, {
    action: 'service.record.enter',
    entity: 'service_record',
    entityId: r.id,
    scopePath: post.path,
  });
  return recordView(ctx.db, r.id, 'staff');
}

/**
 * Verifies a record: approve what was recorded, adjust it (with a reason) or decline it (with a
 * reason). The member's points then equal the verified hours at the post's rate; a change after
 * approval posts the difference either way.
 */
export async function verify(ctx: Authed, recordId: number, input: Verify) {
  const [r] = await ctx.db.select().from(serviceRecords).where(eq(serviceRecords.id, recordId)).for('update');
  if (!r || !canEditMemberAt(ctx.actor, r.path)) throw new AppError('service.record_not_found');
  if (r.version !== input.version) throw new AppError('service.record_stale');
  const [post] = await ctx.db.select().from(servicePosts).where(eq(servicePosts.id, r.postId));
  const [slot] = r.slotId
    ? await ctx.db.select().from(serviceSlots).where(eq(serviceSlots.id, r.slotId))
    : [];
  if (!post) throw new AppError('service.record_not_found');
  let minutes: number | null;
  let status: RecordStatus;
  if (input.decision === 'decline') {
    minutes = null;
    status = 'declined';
  } else if (input.decision === 'adjust') {
    const max = slot ? slotMinutes(slot) : 24 * 60;
    if (input.minutes > max) throw new AppError('service.minutes_over_slot', { max });
    minutes = input.minutes;
    status = 'approved';
  } else {
    if (r.status === 'onDuty' || r.recordedMinutes === null) throw new AppError('service.on_duty');
    minutes = r.recordedMinutes;
    status = 'approved';
  }
  const rule = await ruleFor(ctx.db, post.communityCode.slice(0, 6), 'service');
  const rate = await pointsPerHour(ctx.db, post);
  const due = minutes === null ? 0 : Math.min(rule.maxPerEntry, Math.round((minutes / 60) * rate));
  const diff = due - r.points;
  const version = r.version + 1;
  let transferId: number | undefined;
  if (diff !== 0) {
    const issuer = await issuerAccount(ctx, post.communityCode);
    const mine = await memberAccount(ctx, r.memberId);
    const hours = ((minutes ?? 0) / 60).toFixed(1).replace(/\.0$/, '');
    const posted = await transfer(ctx, {
      key: `service-record:${r.id}:v${version}`,
      kind: diff > 0 ? 'award' : 'deduct',
      fromAccountId: diff > 0 ? issuer : mine,
      toAccountId: diff > 0 ? mine : issuer,
      amount: Math.abs(diff),
      source: 'service',
      reason:
        diff > 0 && r.points === 0
          ? `志愿服务：${r.activity}（${r.serviceDate}，${hours} 小时）`
          : `志愿服务核定更正：${r.activity}（${r.serviceDate}）`,
      evidence: `service_record:${r.id}`,
      approvedBy: ctx.actor.userId,
    });
    transferId = posted.id;
  }
  const now = ctx.clock.now();
  await ctx.db
    .update(serviceRecords)
    .set({
      status,
      minutes,
      points: due,
      rating: input.decision === 'decline' ? r.rating : (input.rating ?? r.rating),
      reason: input.decision === 'approve' ? r.reason : input.reason,
      verifiedBy: ctx.actor.userId,
      verifiedAt: now,
      updatedAt: now,
      version,
    })
    .where(eq(serviceRecords.id, r.id));
  const kind =
    r.status === 'approved' || r.status === 'declined'
      ? 'corrected'
      : input.decision === 'approve'
        ? 'approved'
        : input.decision === 'adjust'
          ? 'adjusted'
          : 'declined';
  await event(
    ctx,
    r.id,
    kind,
    {
      decision: input.decision,
      from: r.minutes ?? r.recordedMinutes,
      minutes,
      points: due,
      reason: 'reason' in input ? input.reason : null,
    },
    transferId,
  );
  await audit(ctx, {
    action: `service.record.${input.decision}`,
    entity: 'service_record',
    entityId: r.id,
    scopePath: r.path,
    detail: { minutes, points: due, diff },
  });
  return recordView(ctx.db, r.id, 'staff');
}

/** A member notes what they solved for residents on their record, optionally naming the ticket. */
export async function recordProblems(
  ctx: Authed,
  recordId: number,
  input: { problemsSolved: string; ticketNumber?: string },
) {
  const m = await activeMember(ctx);
  const [r] = await ctx.db.select().from(serviceRecords).where(eq(serviceRecords.id, recordId)).for('update');
  const staff = r ? canEditMemberAt(ctx.actor, r.path) : false;
  if (!r || (r.memberId !== m.id && !staff)) throw new AppError('service.record_not_found');
  return setProblems(ctx, r, input, 'own');
}

/** Staff note problems solved on a record in their place. */
export async function recordProblemsByStaff(
  ctx: Authed,
  recordId: number,
  input: { problemsSolved: string; ticketNumber?: string },
) {
  const [r] = await ctx.db.select().from(serviceRecords).where(eq(serviceRecords.id, recordId)).for('update');
  if (!r || !canEditMemberAt(ctx.actor, r.path)) throw new AppError('service.record_not_found');
  return setProblems(ctx, r, input, 'staff');
}

async function setProblems(
  ctx: Authed,
  r: RecordRow,
  input: { problemsSolved: string; ticketNumber?: string },
  as: 'own' | 'staff',
) {
  let ticketId: number | null = null;
  if (input.ticketNumber) {
    const [t] = await ctx.db
      .select({ id: tickets.id })
      .from(tickets)
      .where(eq(tickets.number, input.ticketNumber));
    if (!t) throw new AppError('service.ticket_not_found', { number: input.ticketNumber });
    ticketId = t.id;
  }
  await ctx.db
    .update(serviceRecords)
    .set({
      problemsSolved: input.problemsSolved,
      ticketId,
      updatedAt: ctx.clock.now(),
      version: sql`${serviceRecords.version} + 1`,
    })
    .where(eq(serviceRecords.id, r.id));
  await event(ctx, r.id, 'problems', {
    problemsSolved: input.problemsSolved,
    ticketNumber: input.ticketNumber ?? null,
  });
  return recordView(ctx.db, r.id, as);
}

// Reading ---------------------------------------------------------------------------------------

const recorder = alias(users, 'recorder');
const verifier = alias(users, 'verifier');

function recordQuery(db: Db) {
  return db
    .select({
      r: serviceRecords,
      memberName: partyMembers.name,
      postTitle: servicePosts.title,
      slot: { id: serviceSlots.id, startsAt: serviceSlots.startsAt, endsAt: serviceSlots.endsAt },
      recordedBy: recorder.name,
      verifiedBy: verifier.name,
      ticketNumber: tickets.number,
    })
    .from(serviceRecords)
    .innerJoin(partyMembers, eq(partyMembers.id, serviceRecords.memberId))
    .innerJoin(servicePosts, eq(servicePosts.id, serviceRecords.postId))
    .leftJoin(serviceSlots, eq(serviceSlots.id, serviceRecords.slotId))
    .leftJoin(recorder, eq(recorder.id, serviceRecords.recordedBy))
    .leftJoin(verifier, eq(verifier.id, serviceRecords.verifiedBy))
    .leftJoin(tickets, eq(tickets.id, serviceRecords.ticketId));
}
type RecordJoin = Awaited<ReturnType<ReturnType<typeof recordQuery>['where']>>[number];

function present(x: RecordJoin, as: 'own' | 'staff'): RecordView {
  const r = x.r;
  return {
    id: r.id,
    member: { id: r.memberId, name: as === 'own' ? x.memberName : maskName(x.memberName) },
    post: { id: r.postId, title: x.postTitle },
    slot: x.slot?.id
      ? { id: x.slot.id, startsAt: x.slot.startsAt.toISOString(), endsAt: x.slot.endsAt.toISOString() }
      : null,
    activity: r.activity,
    serviceDate: r.serviceDate,
    place: r.place,
    recipients: r.recipients ?? null,
    content: r.content,
    method: r.method as RecordMethod,
    checkInAt: r.checkInAt?.toISOString() ?? null,
    checkOutAt: r.checkOutAt?.toISOString() ?? null,
    recordedMinutes: r.recordedMinutes ?? null,
    minutes: r.minutes ?? null,
    rating: r.rating ?? null,
    organiser: r.organiser,
    recordedBy: x.recordedBy ? maskName(x.recordedBy) : null,
    verifiedBy: x.verifiedBy ? maskName(x.verifiedBy) : null,
    status: r.status as RecordStatus,
    reason: r.reason ?? null,
    points: r.points,
    problemsSolved: r.problemsSolved ?? null,
    ticketNumber: x.ticketNumber ?? null,
    version: r.version,
  };
}

export async function recordView(db: Db, id: number, as: 'own' | 'staff') {
  const [x] = await recordQuery(db).where(eq(serviceRecords.id, id));
  if (!x) throw new AppError('service.record_not_found');
  return present(x, as);
}

/** Records in the actor's places: the verification queue (status pending), newest first. */
export async function listRecords(
  ctx: Authed,
  q: { status?: RecordStatus; postId?: number; cursor?: string; limit: number },
) {
  const after = q.cursor ? decodeIdCursor(q.cursor) : null;
  const where = [scopeWhere(serviceRecords.path, memberScopes(ctx.actor))];
  if (q.status) where.push(eq(serviceRecords.status, q.status));
  if (q.postId) where.push(eq(serviceRecords.postId, q.postId));
  if (after !== null) where.push(lt(serviceRecords.id, after));
  const rows = await recordQuery(ctx.db)
    .where(and(...where))
    .orderBy(desc(serviceRecords.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return {
    items: page.map((x) => present(x, 'staff')),
    nextCursor: rows.length > q.limit ? encodeIdCursor(page.at(-1)?.r.id) : null,
  };
}

export async function recordDetail(ctx: Authed, id: number) {
  const [x] = await recordQuery(ctx.db).where(eq(serviceRecords.id, id));
  if (!x || !canEditMemberAt(ctx.actor, x.r.path)) throw new AppError('service.record_not_found');
  const events = await ctx.db
    .select({ e: serviceRecordEvents, actor: users.name })
    .from(serviceRecordEvents)
    .leftJoin(users, eq(users.id, serviceRecordEvents.actorUserId))
    .where(eq(serviceRecordEvents.recordId, id))
    .orderBy(asc(serviceRecordEvents.id));
  return {
    ...present(x, 'staff'),
    events: events.map(({ e, actor }) => ({
      at: e.at.toISOString(),
      kind: e.kind,
      actor: actor ? maskName(actor) : null,
      data: e.data ?? null,
    })),
  };
}

/** The organiser's view of a slot: places, the line, and who has checked in or out. */
export async function roster(ctx: Authed, slotId: number) {
  const { slot, post } = await slotOf(ctx.db, slotId);
  if (!canEditMemberAt(ctx.actor, post.path)) throw new AppError('service.slot_not_found');
  const claims = await rosterRows(ctx.db, slotId);
  const records = await ctx.db.select().from(serviceRecords).where(eq(serviceRecords.slotId, slotId));
  const names = records.length
    ? await ctx.db
        .select({ id: partyMembers.id, name: partyMembers.name })
        .from(partyMembers)
        .where(
          inArray(
            partyMembers.id,
            records.map((r) => r.memberId),
          ),
        )
    : [];
  const entries: {
    claimId: number | null;
    memberId: number;
    name: string;
    claim: ClaimStatus | null;
    position: number | null;
  }[] = claims.map((c, i) => ({
    claimId: c.claimId,
    memberId: c.memberId,
    name: maskName(c.name),
    claim: c.status as ClaimStatus,
    position:
      c.status === 'waitlisted'
        ? claims.slice(0, i + 1).filter((x) => x.status === 'waitlisted').length
        : null,
  }));
  // Walk-ins entered by the organiser or by an hour code have a record but no claim.
  for (const r of records)
    if (!entries.some((e) => e.memberId === r.memberId))
      entries.push({
        claimId: null,
        memberId: r.memberId,
        name: maskName(names.find((n) => n.id === r.memberId)?.name ?? ''),
        claim: null,
        position: null,
      });
  const waitlisted = claims.filter((c) => c.status === 'waitlisted').length;
  return {
    post: { id: post.id, title: post.title },
    slot: {
      id: slot.id,
      startsAt: slot.startsAt.toISOString(),
      endsAt: slot.endsAt.toISOString(),
      capacity: slot.capacity,
      claimed: slot.claimed,
      waitlisted,
      status: slot.status as 'open' | 'cancelled',
      mine: null,
      cancelUntil: cancelUntil(slot, post).toISOString(),
    },
    entries: entries.map((e) => {
      const r = records.find((x) => x.memberId === e.memberId);
      return {
        ...e,
        record: r
          ? {
              id: r.id,
              status: r.status as RecordStatus,
              method: r.method as RecordMethod,
              checkInAt: r.checkInAt?.toISOString() ?? null,
              checkOutAt: r.checkOutAt?.toISOString() ?? null,
              recordedMinutes: r.recordedMinutes ?? null,
            }
          : null,
      };
    }),
  };
}

/** My claims on slots not yet long over, soonest first, with my record on each. */
export async function myClaims(ctx: Authed): Promise<MyClaim[]> {
  const m = await activeMember(ctx);
  const since = new Date(ctx.clock.now().getTime() - 7 * 86_400_000);
  const rows = await ctx.db
    .select({ c: serviceClaims, slot: serviceSlots, post: servicePosts, position: waitPosition })
    .from(serviceClaims)
    .innerJoin(serviceSlots, eq(serviceSlots.id, serviceClaims.slotId))
    .innerJoin(servicePosts, eq(servicePosts.id, serviceSlots.postId))
    .where(
      and(
        eq(serviceClaims.memberId, m.id),
        sql`${serviceClaims.status} <> 'cancelled'`,
        sql`${serviceSlots.endsAt} > ${since}`,
      ),
    )
    .orderBy(asc(serviceSlots.startsAt));
  const recs = rows.length
    ? await recordQuery(ctx.db).where(
        and(
          eq(serviceRecords.memberId, m.id),
          inArray(
            serviceRecords.slotId,
            rows.map((r) => r.slot.id),
          ),
        ),
      )
    : [];
  return rows.map(({ c, slot, post, position }) => {
    const rec = recs.find((x) => x.r.slotId === slot.id);
    return {
      claimId: c.id,
      status: c.status as ClaimStatus,
      position: position ?? null,
      post: { id: post.id, title: post.title, place: post.place },
      slot: { id: slot.id, startsAt: slot.startsAt.toISOString(), endsAt: slot.endsAt.toISOString() },
      cancelUntil: cancelUntil(slot, post).toISOString(),
      record: rec ? present(rec, 'own') : null,
    };
  });
}

/** My service records (my hours), newest first. */
export async function myRecords(ctx: Authed, page: { cursor?: string; limit: number }) {
  const m = await activeMember(ctx);
  const after = page.cursor ? decodeIdCursor(page.cursor) : null;
  const where = [eq(serviceRecords.memberId, m.id)];
  if (after !== null) where.push(lt(serviceRecords.id, after));
  const rows = await recordQuery(ctx.db)
    .where(and(...where))
    .orderBy(desc(serviceRecords.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit);
  return {
    items: items.map((x) => present(x, 'own')),
    nextCursor: rows.length > page.limit ? encodeIdCursor(items.at(-1)?.r.id) : null,
  };
}
