/**
 * 季度积分公示: when a quarter ends, each community's ranking is frozen (one statement: every
 * normal member's points earned in the quarter, their rank in the community and in their branch,
 * names masked, because a posting is public), open to objections for a number of working days,
 * then final, then archived once a later posting of the community is final.
 *
 * "Earned" is what came into the member's account as an award in the quarter minus what was
 * deducted, in Asia/Shanghai time; spending at merchants (and its refunds) does not count. A
 * community posts once it has issued points before the quarter's end. Frozen rows never change: an
 * upheld objection is corrected by a ledger entry, which counts in the quarter it is made.
 */
import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { pino } from 'pino';
import type {
  MyPosting,
  ObjectionCreate,
  ObjectionResolve,
  ObjectionView,
  PostingRowView,
  PostingSummary,
  PostingView,
} from '../../contracts/points-rules.ts';
import {
  DEFAULT_OBJECTION_WORKDAYS,
  type ObjectionStatus,
  type PostingStatus,
} from '../../contracts/points-states.ts';
import { users } from '../auth/tables.ts';
import { type Actor, coversPath } from '../core/access.ts';
import { audit } from '../core/audit.ts';
import type { Clock } from '../core/clock.ts';
import type { Ctx } from '../core/context.ts';
import { AppError } from '../core/errors.ts';
import { maskName } from '../core/mask.ts';
import type { Db } from '../db/index.ts';
import { underPattern } from '../geo/paths.ts';
import * as geo from '../geo/repo.ts';
import { regions } from '../geo/tables.ts';
import { memberScopes, ORG_ROLES } from '../party/policy.ts';
import * as partyRepo from '../party/repo.ts';
import { partyMembers, partyOrgs } from '../party/tables.ts';
import { calendarOverrideRows } from '../tickets/repo.ts';
import { shanghaiDate, type WorkCalendar, workCalendar } from '../tickets/worktime.ts';
import { pointsObjections, pointsPostingRows, pointsPostings } from './tables.ts';

type Authed = Ctx & { actor: Actor };

export interface Quarter {
  year: number;
  quarter: number;
}

// Quarters and working days ----------------------------------------------------------------------------

/** The quarter's first instant and the next quarter's, midnight in Asia/Shanghai (UTC+8, no DST). */
export function quarterBounds(year: number, quarter: number): { start: Date; end: Date } {
  if (!Number.isInteger(year) || !Number.isInteger(quarter) || quarter < 1 || quarter > 4)
    throw new RangeError(`no quarter ${year}Q${quarter}`);
  const at = (y: number, m: number) => new Date(`${y}-${String(m).padStart(2, '0')}-01T00:00:00+08:00`);
  const start = at(year, 3 * quarter - 2);
  const end = quarter === 4 ? at(year + 1, 1) : at(year, 3 * quarter + 1);
  return { start, end };
}

/** The quarter an instant falls in, in Asia/Shanghai. */
export function quarterOf(t: Date): Quarter {
  const d = shanghaiDate(t);
  return { year: Number(d.slice(0, 4)), quarter: Math.ceil(Number(d.slice(5, 7)) / 3) };
}

export const previousQuarter = (q: Quarter): Quarter =>
  q.quarter === 1 ? { year: q.year - 1, quarter: 4 } : { year: q.year, quarter: q.quarter - 1 };

const nextDay = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * The last day objections are taken: the `workdays`-th working day after the day of freezing
 * (Asia/Shanghai), so the day it is frozen, often a holiday at quarter's end, never counts.
 */
export function objectionDeadline(cal: WorkCalendar, frozenAt: Date, workdays: number): string {
  if (!Number.isInteger(workdays) || workdays < 1) throw new RangeError(`bad objection period ${workdays}`);
  let day = shanghaiDate(frozenAt);
  for (let n = 0, scanned = 0; n < workdays; scanned++) {
    if (scanned > 3 * 366) throw new Error('points: no working days in the calendar');
    day = nextDay(day);
    if (cal.isWorkday(day)) n++;
  }
  return day;
}

/** The working calendar with the city's overrides (holidays and make-up days entered by hand). */
export async function loadCalendar(db: Db): Promise<WorkCalendar> {
  const rows = await calendarOverrideRows(db);
  return workCalendar(rows.map((r) => ({ date: r.day, workday: r.workday, note: r.note ?? undefined })));
}

// Freezing -----------------------------------------------------------------------------------------------

export interface PostingOptions {
  /** Working days objections are taken (POINTS_OBJECTION_WORKDAYS; default 5). */
  objectionWorkdays?: number;
  /** The working calendar; read from the database when left out. */
  calendar?: WorkCalendar;
}

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

/**
 * Freezes a quarter's posting for every community that had issued points before its end and has
 * none for it yet, in one statement (the postings, then every normal member's line, ranked by
 * window functions): a community frozen already is skipped, so running it again, or on two
 * instances at once, adds nothing.
 */
export async function freezeQuarter(
  db: Db,
  clock: Clock,
  year: number,
  quarter: number,
  opts: PostingOptions = {},
): Promise<{ postings: number; rows: number; objectionUntil: string }> {
  const { start, end } = quarterBounds(year, quarter);
  const now = clock.now();
  if (now < end) throw new Error(`points: ${year}Q${quarter} has not ended`);
  const cal = opts.calendar ?? (await loadCalendar(db));
  const until = objectionDeadline(cal, now, opts.objectionWorkdays ?? DEFAULT_OBJECTION_WORKDAYS);
  const r = await db.execute(sql`
    with created as (
      insert into points_postings (community_code, path, year, quarter, status, frozen_at, objection_until)
      select r.code, r.path, ${year}, ${quarter}, 'objection', ${now.toISOString()}::timestamptz, ${until}::date
      from points_accounts a
      join regions r on r.code = a.community_code and r.level = 'community'
      where a.kind = 'issuer'
        and (exists (select 1 from points_transfers t
                     where t.from_account_id = a.id and t.created_at < ${end.toISOString()}::timestamptz)
          or exists (select 1 from points_transfers t
                     where t.to_account_id = a.id and t.created_at < ${end.toISOString()}::timestamptz))
      on conflict (community_code, year, quarter) do nothing
      returning id, community_code
    ),
    earned as (
      select a.member_id, sum(case when t.kind = 'award' then t.amount else -t.amount end) as points
      from points_transfers t
      join points_accounts a
        on a.id = case when t.kind = 'award' then t.to_account_id else t.from_account_id end
      where t.kind in ('award', 'deduct') and a.kind = 'member'
        and t.created_at >= ${start.toISOString()}::timestamptz
        and t.created_at < ${end.toISOString()}::timestamptz
      group by a.member_id
    ),
    lines as (
      insert into points_posting_rows
        (posting_id, member_id, org_id, name_masked, points, community_rank, branch_rank)
      select c.id, m.id, m.org_id,
        case when char_length(m.name) <= 1 then m.name
             else left(m.name, 1) || repeat('*', char_length(m.name) - 1) end,
        coalesce(e.points, 0),
        rank() over (partition by c.id order by coalesce(e.points, 0) desc),
        case when m.org_id is not null
             then rank() over (partition by c.id, m.org_id order by coalesce(e.points, 0) desc) end
      from created c
      join party_members m on m.community_code = c.community_code and m.status = 'normal'
      left join earned e on e.member_id = m.id
      returning posting_id
    )
    select (select count(*) from created)::int as postings, (select count(*) from lines)::int as lines`);
  const [counts] = rowsOf<{ postings: number; lines: number }>(r);
  const out = {
    postings: Number(counts?.postings ?? 0),
    rows: Number(counts?.lines ?? 0),
    objectionUntil: until,
  };
  if (out.postings > 0)
    await audit(systemCtx(db, clock), {
      action: 'points.posting.freeze',
      entity: 'points_posting',
      entityId: `${year}Q${quarter}`,
      detail: { year, quarter, ...out },
    });
  return out;
}

function systemCtx(db: Db, clock: Clock): Ctx {
  return { db, clock, actor: null, ip: null, locale: 'zh-CN', log: pino({ level: 'silent' }) };
}

/** Whether some community that issued points before the quarter's end has no posting for it yet. */
async function freezeDue(db: Db, q: Quarter): Promise<boolean> {
  const { end } = quarterBounds(q.year, q.quarter);
  const r = await db.execute(sql`
    select 1 from points_accounts a
    where a.kind = 'issuer'
      and not exists (select 1 from points_postings p
                      where p.community_code = a.community_code and p.year = ${q.year} and p.quarter = ${q.quarter})
      and (exists (select 1 from points_transfers t
                   where t.from_account_id = a.id and t.created_at < ${end.toISOString()}::timestamptz)
        or exists (select 1 from points_transfers t
                   where t.to_account_id = a.id and t.created_at < ${end.toISOString()}::timestamptz))
    limit 1`);
  return rowsOf(r).length > 0;
}

/**
 * The housekeeping step (server/main.ts, after each deadline sweep): freezes the quarter just
 * ended once it has ended, makes postings past their objection period final, and archives the
 * final postings a later final one of the same community has replaced.
 */
export async function sweepPostings(db: Db, clock: Clock, opts: PostingOptions = {}) {
  const now = clock.now();
  const prev = previousQuarter(quarterOf(now));
  let frozen = 0;
  if (await freezeDue(db, prev))
    frozen = (await freezeQuarter(db, clock, prev.year, prev.quarter, opts)).postings;
  const today = shanghaiDate(now);
  const finalised = await db
    .update(pointsPostings)
    .set({ status: 'final', finalisedAt: now })
    .where(
      and(eq(pointsPostings.status, 'objection'), sql`${pointsPostings.objectionUntil} < ${today}::date`),
    )
    .returning({ id: pointsPostings.id });
  const archived = await db.execute(sql`
    update points_postings p set status = 'archived', archived_at = ${now.toISOString()}::timestamptz
    where p.status = 'final'
      and exists (select 1 from points_postings n
                  where n.community_code = p.community_code and n.status = 'final'
                    and (n.year, n.quarter) > (p.year, p.quarter))
    returning p.id`);
  return { frozen, finalised: finalised.length, archived: rowsOf(archived).length };
}

// Reading ----------------------------------------------------------------------------------------------

const isOpen = (p: { status: string; objectionUntil: string }, today: string) =>
  p.status === 'objection' && today <= p.objectionUntil;

/** Postings (with counts), newest quarter first. Checks no access: callers put it in `where`. */
export async function postingSummaries(db: Db, where: SQL | undefined, today: string, limit = 500) {
  const rows = await db
    .select({
      p: pointsPostings,
      community: regions.name,
      members: sql<number>`(select count(*)::int from points_posting_rows r where r.posting_id = ${pointsPostings.id})`,
      open: sql<number>`(select count(*)::int from points_objections o where o.posting_id = ${pointsPostings.id} and o.status = 'open')`,
      objections: sql<number>`(select count(*)::int from points_objections o where o.posting_id = ${pointsPostings.id})`,
    })
    .from(pointsPostings)
    .innerJoin(regions, eq(regions.code, pointsPostings.communityCode))
    .where(where)
    .orderBy(desc(pointsPostings.year), desc(pointsPostings.quarter), asc(pointsPostings.communityCode))
    .limit(limit);
  return rows.map(
    ({ p, community, members, open, objections }): PostingSummary => ({
      id: p.id,
      community: { code: p.communityCode, name: community },
      year: p.year,
      quarter: p.quarter,
      status: p.status as PostingStatus,
      frozenAt: p.frozenAt.toISOString(),
      objectionUntil: p.objectionUntil,
      open: isOpen(p, today),
      finalisedAt: p.finalisedAt?.toISOString() ?? null,
      archivedAt: p.archivedAt?.toISOString() ?? null,
      members: Number(members),
      objections: { open: Number(open), total: Number(objections) },
    }),
  );
}

/**
 * A posting's lines, all of them or one branch's (in branch order then), and the branches that
 * appear in it. Checks no access: a posting is public to its community (and, later, its kiosk).
 */
export async function postingLines(
  db: Db,
  postingId: number,
  o: { orgId?: number; viewerMemberId?: number | null },
) {
  const rows = await db
    .select()
    .from(pointsPostingRows)
    .where(
      and(
        eq(pointsPostingRows.postingId, postingId),
        o.orgId ? eq(pointsPostingRows.orgId, o.orgId) : undefined,
      ),
    )
    .orderBy(
      o.orgId ? asc(pointsPostingRows.branchRank) : asc(pointsPostingRows.communityRank),
      asc(pointsPostingRows.memberId),
    );
  const branches = await db
    .select({ id: partyOrgs.id, name: partyOrgs.name })
    .from(partyOrgs)
    .where(
      inArray(
        partyOrgs.id,
        db
          .selectDistinct({ id: sql<number>`${pointsPostingRows.orgId}` })
          .from(pointsPostingRows)
          .where(
            and(eq(pointsPostingRows.postingId, postingId), sql`${pointsPostingRows.orgId} is not null`),
          ),
      ),
    )
    .orderBy(asc(partyOrgs.name));
  return {
    branches,
    rows: rows.map(
      (r): PostingRowView => ({
        memberId: r.memberId,
        name: r.nameMasked,
        orgId: r.orgId ?? null,
        points: r.points,
        communityRank: r.communityRank,
        branchRank: r.branchRank ?? null,
        mine: r.memberId === o.viewerMemberId,
      }),
    ),
  };
}

/** A community's current posting: its latest. Reusable without a signed-in user (the kiosk). */
export async function currentPostingId(db: Db, communityCode: string): Promise<number | null> {
  const [p] = await db
    .select({ id: pointsPostings.id })
    .from(pointsPostings)
    .where(eq(pointsPostings.communityCode, communityCode))
    .orderBy(desc(pointsPostings.year), desc(pointsPostings.quarter))
    .limit(1);
  return p?.id ?? null;
}

async function objectionViews(ctx: Authed, where: SQL, canResolve: boolean): Promise<ObjectionView[]> {
  const about = sql`(select m2.name from party_members m2 where m2.id = ${pointsObjections.aboutMemberId})`;
  const rows = await ctx.db
    .select({
      o: pointsObjections,
      name: partyMembers.name,
      aboutName: sql<string | null>`${about}`,
      resolver: users.name,
    })
    .from(pointsObjections)
    .innerJoin(partyMembers, eq(partyMembers.id, pointsObjections.memberId))
    .leftJoin(users, eq(users.id, pointsObjections.resolvedBy))
    .where(where)
    .orderBy(desc(pointsObjections.id))
    .limit(500);
  return rows.map(({ o, name, aboutName, resolver }) => ({
    id: o.id,
    postingId: o.postingId,
    member: maskName(name),
    about: o.aboutMemberId ? { memberId: o.aboutMemberId, name: maskName(aboutName ?? '') } : null,
    text: o.text,
    status: o.status as ObjectionStatus,
    reply: o.reply ?? null,
    resolvedBy: resolver ? maskName(resolver) : null,
    resolvedAt: o.resolvedAt?.toISOString() ?? null,
    createdAt: o.createdAt.toISOString(),
    can: { resolve: canResolve && o.status === 'open' },
  }));
}

const today = (ctx: Ctx) => shanghaiDate(ctx.clock.now());

// Members --------------------------------------------------------------------------------------------

async function myMember(ctx: Authed) {
  const m = await partyRepo.ownRecord(ctx.db, ctx.actor.userId, ctx.actor.phone);
  if (m?.status !== 'normal') throw new AppError('points.members_only');
  return m;
}

/** My community's current posting (or an earlier one of it), my line, my objections. */
export async function myPosting(ctx: Authed, q: { postingId?: number; orgId?: number }): Promise<MyPosting> {
  const m = await myMember(ctx);
  const history = await ctx.db
    .select({
      id: pointsPostings.id,
      year: pointsPostings.year,
      quarter: pointsPostings.quarter,
      status: pointsPostings.status,
    })
    .from(pointsPostings)
    .where(eq(pointsPostings.communityCode, m.communityCode))
    .orderBy(desc(pointsPostings.year), desc(pointsPostings.quarter))
    .limit(40);
  const id = q.postingId ?? history[0]?.id;
  if (q.postingId && !history.some((h) => h.id === q.postingId)) throw new AppError('posting.not_found');
  const past = history.map((h) => ({ ...h, status: h.status as PostingStatus }));
  if (!id) return { posting: null, mine: null, history: past };
  const [summary] = await postingSummaries(ctx.db, eq(pointsPostings.id, id), today(ctx));
  if (!summary) throw new AppError('posting.not_found');
  const lines = await postingLines(ctx.db, id, { orgId: q.orgId, viewerMemberId: m.id });
  const [own] = await ctx.db
    .select()
    .from(pointsPostingRows)
    .where(and(eq(pointsPostingRows.postingId, id), eq(pointsPostingRows.memberId, m.id)));
  return {
    posting: {
      ...summary,
      ...lines,
      objectionList: await objectionViews(
        ctx,
        and(eq(pointsObjections.postingId, id), eq(pointsObjections.memberId, m.id)) as SQL,
        false,
      ),
      can: { object: summary.open, resolve: false },
    },
    mine: own
      ? {
          memberId: own.memberId,
          name: own.nameMasked,
          orgId: own.orgId ?? null,
          points: own.points,
          communityRank: own.communityRank,
          branchRank: own.branchRank ?? null,
          mine: true,
        }
      : null,
    history: past,
  };
}

/** A member objects to their community's posting (a line of it, or the whole) while it is open. */
export async function object(ctx: Authed, postingId: number, input: ObjectionCreate): Promise<ObjectionView> {
  const m = await myMember(ctx);
  const [p] = await ctx.db
    .select()
    .from(pointsPostings)
    .where(and(eq(pointsPostings.id, postingId), eq(pointsPostings.communityCode, m.communityCode)))
    .limit(1);
  if (!p) throw new AppError('posting.not_found');
  if (!isOpen(p, today(ctx))) throw new AppError('posting.closed', { until: p.objectionUntil });
  // The member's lock: two sends of one form queue, and the second finds the first.
  await ctx.db
    .select({ id: partyMembers.id })
    .from(partyMembers)
    .where(eq(partyMembers.id, m.id))
    .for('update');
  if (input.aboutMemberId) {
    const [line] = await ctx.db
      .select({ id: pointsPostingRows.memberId })
      .from(pointsPostingRows)
      .where(and(eq(pointsPostingRows.postingId, p.id), eq(pointsPostingRows.memberId, input.aboutMemberId)));
    if (!line) throw new AppError('objection.not_in_posting');
  }
  const [open] = await ctx.db
    .select({ id: pointsObjections.id })
    .from(pointsObjections)
    .where(
      and(
        eq(pointsObjections.postingId, p.id),
        eq(pointsObjections.memberId, m.id),
        eq(pointsObjections.status, 'open'),
        input.aboutMemberId
          ? eq(pointsObjections.aboutMemberId, input.aboutMemberId)
          : sql`${pointsObjections.aboutMemberId} is null`,
      ),
    )
    .limit(1);
  if (open) throw new AppError('objection.exists');
  const [o] = await ctx.db
    .insert(pointsObjections)
    .values({
      postingId: p.id,
      memberId: m.id,
      aboutMemberId: input.aboutMemberId ?? null,
      text: input.text,
      createdAt: ctx.clock.now(),
    })
    .returning({ id: pointsObjections.id });
  await audit(ctx, {
    action: 'points.objection.create',
    entity: 'points_objection',
    entityId: o?.id,
    scopePath: p.path,
    detail: { postingId: p.id, aboutMemberId: input.aboutMemberId ?? null },
  });
  return (await objectionViews(ctx, eq(pointsObjections.id, o?.id as number), false))[0] as ObjectionView;
}

// Staff -------------------------------------------------------------------------------------------

/**
 * Postings the actor may see: those of communities in, over or around their party-work area (a
 * compound secretary sees their community's, which its members see anyway).
 */
function visible(actor: Actor): SQL {
  const scopes = memberScopes(actor);
  if (scopes.length === 0) return sql`false`;
  return sql`(${sql.join(
    scopes.map(
      (s) => sql`(${pointsPostings.path} like ${underPattern(s)} or ${s} like ${pointsPostings.path} || '%')`,
    ),
    sql` or `,
  )})`;
}

export async function listPostings(
  ctx: Authed,
  q: { region?: string; year?: number; quarter?: number; status?: PostingStatus },
) {
  const parts: (SQL | undefined)[] = [visible(ctx.actor)];
  if (q.region) {
    const r = await geo.regionByCode(ctx.db, q.region);
    if (!r) throw new AppError('region.not_found');
    parts.push(
      sql`(${pointsPostings.path} like ${underPattern(r.path)} or ${r.path} like ${pointsPostings.path} || '%')`,
    );
  }
  if (q.year) parts.push(eq(pointsPostings.year, q.year));
  if (q.quarter) parts.push(eq(pointsPostings.quarter, q.quarter));
  if (q.status) parts.push(eq(pointsPostings.status, q.status));
  return postingSummaries(ctx.db, and(...parts), today(ctx));
}

async function visiblePosting(ctx: Authed, id: number) {
  const [p] = await ctx.db
    .select()
    .from(pointsPostings)
    .where(and(eq(pointsPostings.id, id), visible(ctx.actor)))
    .limit(1);
  if (!p) throw new AppError('posting.not_found');
  return p;
}

/** A posting for staff: its lines, every objection, and whether they may resolve them. */
export async function postingDetail(ctx: Authed, id: number, q: { orgId?: number }): Promise<PostingView> {
  const p = await visiblePosting(ctx, id);
  const [summary] = await postingSummaries(ctx.db, eq(pointsPostings.id, p.id), today(ctx));
  const resolve = coversPath(ctx.actor, ORG_ROLES, p.path);
  return {
    ...(summary as PostingSummary),
    ...(await postingLines(ctx.db, p.id, { orgId: q.orgId })),
    objectionList: await objectionViews(ctx, eq(pointsObjections.postingId, p.id), resolve),
    can: { object: false, resolve },
  };
}

/**
 * Upholds or dismisses an objection with a reply (community level and above). Upholding does not
 * touch the frozen lines: the correction is a ledger entry, which the reply tells the member.
 */
export async function resolveObjection(
  ctx: Authed,
  id: number,
  body: ObjectionResolve,
): Promise<ObjectionView> {
  const [row] = await ctx.db
    .select({ o: pointsObjections, path: pointsPostings.path })
    .from(pointsObjections)
    .innerJoin(pointsPostings, eq(pointsPostings.id, pointsObjections.postingId))
    .where(and(eq(pointsObjections.id, id), visible(ctx.actor)))
    .for('update', { of: pointsObjections })
    .limit(1);
  if (!row) throw new AppError('objection.not_found');
  if (!coversPath(ctx.actor, ORG_ROLES, row.path)) throw new AppError('access.forbidden');
  if (row.o.status !== 'open') throw new AppError('objection.resolved');
  const status: ObjectionStatus = body.decision === 'uphold' ? 'upheld' : 'dismissed';
  await ctx.db
    .update(pointsObjections)
    .set({ status, reply: body.reply, resolvedBy: ctx.actor.userId, resolvedAt: ctx.clock.now() })
    .where(eq(pointsObjections.id, id));
  await audit(ctx, {
    action: body.decision === 'uphold' ? 'points.objection.uphold' : 'points.objection.dismiss',
    entity: 'points_objection',
    entityId: id,
    scopePath: row.path,
    detail: { postingId: row.o.postingId },
  });
  return (await objectionViews(ctx, eq(pointsObjections.id, id), true))[0] as ObjectionView;
}
