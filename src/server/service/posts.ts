/**
 * 服务岗位: communities and compounds publish posts with time slots; members claim a place, give
 * it back before the post's deadline, or wait in line when a slot is full. A slot's row lock
 * decides every claim and cancellation, so a slot is never overfilled and the first in line
 * moves up when a place frees.
 */
import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, inArray, lt, ne, sql } from 'drizzle-orm';
import type { PostCreate, PostView, SlotCreate, SlotView } from '../../contracts/service.ts';
import {
  type ClaimStatus,
  DEFAULT_CANCEL_HOURS,
  type PostStatus,
  type ServiceKind,
  type SlotStatus,
} from '../../contracts/service-states.ts';
import { type Actor, scopeWhere } from '../core/access.ts';
import { audit } from '../core/audit.ts';
import type { Ctx } from '../core/context.ts';
import { decodeIdCursor, encodeIdCursor } from '../core/cursor.ts';
import { AppError } from '../core/errors.ts';
import type { Db } from '../db/index.ts';
import * as geo from '../geo/repo.ts';
import { compounds, regions } from '../geo/tables.ts';
import { canEditMemberAt, memberScopes } from '../party/policy.ts';
import * as partyRepo from '../party/repo.ts';
import { partyMembers } from '../party/tables.ts';
import { ruleFor } from '../points/rules.ts';
import { serviceClaims, servicePosts, serviceSlots } from './tables.ts';

type Authed = Ctx & { actor: Actor };
export type PostRow = typeof servicePosts.$inferSelect;
export type SlotRow = typeof serviceSlots.$inferSelect;

const HOUR = 3_600_000;
const BACKFILL_DAYS = 30;
export const cancelUntil = (slot: SlotRow, post: PostRow) =>
  new Date(slot.startsAt.getTime() - post.cancelHours * HOUR);

function checkSlots(ctx: Ctx, slots: SlotCreate[]) {
  const now = ctx.clock.now().getTime();
  slots.forEach((s, i) => {
    const a = Date.parse(s.startsAt);
    const b = Date.parse(s.endsAt);
    const bad = (message: string) => new AppError('request.invalid', {}, [{ path: `slots.${i}`, message }]);
    if (b <= a) throw bad(ctx.locale === 'en' ? 'A slot must end after it starts' : '结束时间应晚于开始时间');
    if (b - a > 12 * HOUR)
      throw bad(ctx.locale === 'en' ? 'A slot lasts at most 12 hours' : '一个时段最长 12 小时');
    // Organisers may record an activity held without the app afterwards (补录), within a month.
    if (b < now - BACKFILL_DAYS * 24 * HOUR)
      throw bad(
        ctx.locale === 'en'
          ? `Slots can be added up to ${BACKFILL_DAYS} days after they end`
          : `只能补录 ${BACKFILL_DAYS} 天内的服务时段`,
      );
  });
}

async function insertSlots(ctx: Ctx, postId: number, slots: SlotCreate[]) {
  return ctx.db
    .insert(serviceSlots)
    .values(
      slots.map((s) => ({
        postId,
        startsAt: new Date(s.startsAt),
        endsAt: new Date(s.endsAt),
        capacity: s.capacity,
        qrSecret: randomBytes(32),
        createdAt: ctx.clock.now(),
      })),
    )
    .returning();
}

/** Where a post goes: a compound the actor works in, or a community they cover. */
async function placeFor(ctx: Authed, input: Pick<PostCreate, 'communityCode' | 'compoundId'>) {
  if (input.compoundId) {
    const c = await geo.compoundByIdRaw(ctx.db, input.compoundId);
    if (!c || !canEditMemberAt(ctx.actor, c.path)) throw new AppError('compound.not_found');
    return { communityCode: c.communityCode, compoundId: c.id, path: c.path };
  }
  if (!input.communityCode) throw new AppError('request.invalid');
  const r = await geo.regionByCode(ctx.db, input.communityCode);
  if (r?.level !== 'community' || !canEditMemberAt(ctx.actor, r.path)) throw new AppError('region.not_found');
  return { communityCode: r.code, compoundId: null, path: r.path };
}

export async function createPost(ctx: Authed, input: PostCreate) {
  checkSlots(ctx, input.slots);
  const place = await placeFor(ctx, input);
  const now = ctx.clock.now();
  const [p] = await ctx.db
    .insert(servicePosts)
    .values({
      ...place,
      title: input.title,
      kind: input.kind,
      skills: [...new Set(input.skills)],
      place: input.place,
      recipients: input.recipients || null,
      content: input.content,
      pointsPerHour: input.pointsPerHour ?? null,
      cancelHours: input.cancelHours ?? DEFAULT_CANCEL_HOURS,
      createdBy: ctx.actor.userId,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!p) throw new Error('insert service post returned nothing');
  await insertSlots(ctx, p.id, input.slots);
  await audit(ctx, {
    action: 'service.post.create',
    entity: 'service_post',
    entityId: p.id,
    scopePath: p.path,
  });
  return postView(ctx, p.id, null);
}

/** A post the actor organises (party staff covering its place). */
export async function organisedPost(ctx: Authed, postId: number) {
  const [p] = await ctx.db.select().from(servicePosts).where(eq(servicePosts.id, postId)).limit(1);
  if (!p || !canEditMemberAt(ctx.actor, p.path)) throw new AppError('service.post_not_found');
  return p;
}

export async function addSlots(ctx: Authed, postId: number, slots: SlotCreate[]) {
  const p = await organisedPost(ctx, postId);
  if (p.status !== 'open') throw new AppError('service.post_closed');
  checkSlots(ctx, slots);
  const added = await insertSlots(ctx, p.id, slots);
  await audit(ctx, {
    action: 'service.slot.add',
    entity: 'service_post',
    entityId: p.id,
    scopePath: p.path,
    detail: { slots: added.map((s) => s.id) },
  });
  return postView(ctx, p.id, null);
}

export async function closePost(ctx: Authed, postId: number) {
  const p = await organisedPost(ctx, postId);
  await ctx.db
    .update(servicePosts)
    .set({ status: 'closed', updatedAt: ctx.clock.now() })
    .where(eq(servicePosts.id, p.id));
  await audit(ctx, {
    action: 'service.post.close',
    entity: 'service_post',
    entityId: p.id,
    scopePath: p.path,
  });
  return postView(ctx, p.id, null);
}

/** Calls a slot off: every claim on it is cancelled; attendance already recorded stays. */
export async function cancelSlot(ctx: Authed, slotId: number, reason: string) {
  const { slot, post } = await lockedSlot(ctx.db, slotId);
  if (!canEditMemberAt(ctx.actor, post.path)) throw new AppError('service.slot_not_found');
  if (slot.status === 'cancelled') return postView(ctx, post.id, null);
  const now = ctx.clock.now();
  await ctx.db
    .update(serviceSlots)
    .set({ status: 'cancelled', claimed: 0 })
    .where(eq(serviceSlots.id, slot.id));
  await ctx.db
    .update(serviceClaims)
    .set({ status: 'cancelled', cancelledAt: now })
    .where(and(eq(serviceClaims.slotId, slot.id), ne(serviceClaims.status, 'cancelled')));
  await audit(ctx, {
    action: 'service.slot.cancel',
    entity: 'service_slot',
    entityId: slot.id,
    scopePath: post.path,
    detail: { reason },
  });
  return postView(ctx, post.id, null);
}

// Reading ---------------------------------------------------------------------------------------

/** A claim's place in its slot's line (1 = next to move up), null for a claim holding a place. */
export const waitPosition = sql<number | null>`case when ${serviceClaims.status} = 'waitlisted' then (
  select count(*)::int from service_claims w
  where w.slot_id = ${serviceClaims.slotId} and w.status = 'waitlisted' and w.id <= ${serviceClaims.id}) end`;

async function slotViews(db: Db, posts: PostRow[], memberId: number | null) {
  const ids = posts.map((p) => p.id);
  if (!ids.length) return new Map<number, SlotView[]>();
  const slots = await db
    .select()
    .from(serviceSlots)
    .where(inArray(serviceSlots.postId, ids))
    .orderBy(asc(serviceSlots.startsAt), asc(serviceSlots.id));
  const slotIds = slots.map((s) => s.id);
  const waiting = slotIds.length
    ? await db
        .select({ slotId: serviceClaims.slotId, n: sql<number>`count(*)::int` })
        .from(serviceClaims)
        .where(and(inArray(serviceClaims.slotId, slotIds), eq(serviceClaims.status, 'waitlisted')))
        .groupBy(serviceClaims.slotId)
    : [];
  const mine =
    memberId && slotIds.length
      ? await db
          .select({
            id: serviceClaims.id,
            slotId: serviceClaims.slotId,
            status: serviceClaims.status,
            position: waitPosition,
          })
          .from(serviceClaims)
          .where(
            and(
              inArray(serviceClaims.slotId, slotIds),
              eq(serviceClaims.memberId, memberId),
              ne(serviceClaims.status, 'cancelled'),
            ),
          )
      : [];
  const byPost = new Map<number, SlotView[]>();
  const postOf = new Map(posts.map((p) => [p.id, p]));
  for (const s of slots) {
    const p = postOf.get(s.postId) as PostRow;
    const m = mine.find((c) => c.slotId === s.id);
    const list = byPost.get(s.postId) ?? [];
    list.push({
      id: s.id,
      startsAt: s.startsAt.toISOString(),
      endsAt: s.endsAt.toISOString(),
      capacity: s.capacity,
      claimed: s.claimed,
      waitlisted: waiting.find((w) => w.slotId === s.id)?.n ?? 0,
      status: s.status as SlotStatus,
      mine: m ? { claimId: m.id, status: m.status as ClaimStatus, position: m.position ?? null } : null,
      cancelUntil: cancelUntil(s, p).toISOString(),
    });
    byPost.set(s.postId, list);
  }
  return byPost;
}

/** The rate a post credits: its own, else its county's rule for service hours. */
export async function pointsPerHour(db: Db, p: Pick<PostRow, 'pointsPerHour' | 'communityCode'>) {
  if (p.pointsPerHour !== null) return p.pointsPerHour;
  return (await ruleFor(db, p.communityCode.slice(0, 6), 'service')).points;
}

async function views(
  ctx: Ctx,
  posts: PostRow[],
  member: { id: number; compoundId: number; skills: string[] } | null,
): Promise<PostView[]> {
  const slots = await slotViews(ctx.db, posts, member?.id ?? null);
  const names = await ctx.db
    .select({ code: regions.code, name: regions.name })
    .from(regions)
    .where(inArray(regions.code, [...new Set(posts.map((p) => p.communityCode))]));
  const compoundIds = posts.flatMap((p) => (p.compoundId ? [p.compoundId] : []));
  const cs = compoundIds.length
    ? await ctx.db
        .select({ id: compounds.id, name: compounds.name })
        .from(compounds)
        .where(inArray(compounds.id, compoundIds))
    : [];
  const rates = new Map<string, number>();
  const out: PostView[] = [];
  for (const p of posts) {
    const county = p.communityCode.slice(0, 6);
    if (p.pointsPerHour === null && !rates.has(county)) rates.set(county, await pointsPerHour(ctx.db, p));
    const compound = p.compoundId ? (cs.find((c) => c.id === p.compoundId) ?? null) : null;
    out.push({
      id: p.id,
      title: p.title,
      kind: p.kind as ServiceKind,
      skills: p.skills,
      place: p.place,
      recipients: p.recipients ?? null,
      content: p.content,
      pointsPerHour: p.pointsPerHour ?? (rates.get(county) as number),
      cancelHours: p.cancelHours,
      status: p.status as PostStatus,
      community: { code: p.communityCode, name: names.find((n) => n.code === p.communityCode)?.name ?? '' },
      compound,
      slots: slots.get(p.id) ?? [],
      fit: member
        ? {
            compound: p.compoundId === member.compoundId,
            skills: p.skills.filter((s) => member.skills.includes(s)),
          }
        : null,
    });
  }
  return out;
}

/** A post as an organiser sees it (member null) or as a member does (their place and fit). */
export async function postView(
  ctx: Ctx,
  postId: number,
  member: { id: number; compoundId: number; skills: string[] } | null,
): Promise<PostView> {
  const [p] = await ctx.db.select().from(servicePosts).where(eq(servicePosts.id, postId));
  if (!p) throw new AppError('service.post_not_found');
  const [v] = await views(ctx, [p], member);
  return v as PostView;
}

/** Posts in the actor's places, newest first. */
export async function listPosts(
  ctx: Authed,
  q: { status?: PostStatus; q?: string; cursor?: string; limit: number },
) {
  const after = q.cursor ? decodeIdCursor(q.cursor) : null;
  const where = [scopeWhere(servicePosts.path, memberScopes(ctx.actor))];
  if (q.status) where.push(eq(servicePosts.status, q.status));
  if (q.q) where.push(sql`${servicePosts.title} like ${`%${q.q.replace(/[\\%_]/g, '\\$&')}%`}`);
  if (after !== null) where.push(lt(servicePosts.id, after));
  const rows = await ctx.db
    .select()
    .from(servicePosts)
    .where(and(...where))
    .orderBy(desc(servicePosts.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return {
    items: await views(ctx, page, null),
    nextCursor: rows.length > q.limit ? encodeIdCursor(page.at(-1)?.id) : null,
  };
}

export async function getPost(ctx: Authed, postId: number) {
  const p = await organisedPost(ctx, postId);
  return postView(ctx, p.id, null);
}

/** The caller's own party record, active, with what matching needs. */
export async function activeMember(ctx: Authed) {
  const own = await partyRepo.ownRecord(ctx.db, ctx.actor.userId, ctx.actor.phone);
  if (!own) throw new AppError('service.not_member');
  const [m] = await ctx.db
    .select({
      id: partyMembers.id,
      name: partyMembers.name,
      compoundId: partyMembers.compoundId,
      communityCode: partyMembers.communityCode,
      skills: partyMembers.skills,
      status: partyMembers.status,
      userId: partyMembers.userId,
    })
    .from(partyMembers)
    .where(eq(partyMembers.id, own.id));
  if (m?.status !== 'normal') throw new AppError('service.not_member');
  return m;
}

/**
 * Open posts of my community with slots still to come: my compound's and those wanting my
 * skills first, then by the soonest slot.
 */
export async function postsForMe(ctx: Authed) {
  const m = await activeMember(ctx);
  const now = ctx.clock.now();
  const rows = await ctx.db
    .select()
    .from(servicePosts)
    .where(
      and(
        eq(servicePosts.communityCode, m.communityCode),
        eq(servicePosts.status, 'open'),
        sql`exists (select 1 from service_slots s where s.post_id = ${servicePosts.id}
                    and s.status = 'open' and s.ends_at > ${now})`,
      ),
    )
    .limit(200);
  const list = await views(ctx, rows, m);
  const soonest = (v: PostView) =>
    Math.min(
      ...v.slots
        .filter((s) => s.status === 'open' && Date.parse(s.endsAt) > now.getTime())
        .map((s) => Date.parse(s.startsAt)),
    );
  const score = (v: PostView) => (v.fit?.compound ? 2 : 0) + (v.fit?.skills.length ? 1 : 0);
  return list
    .map((v) => ({ ...v, slots: v.slots.filter((s) => Date.parse(s.endsAt) > now.getTime()) }))
    .sort((a, b) => score(b) - score(a) || soonest(a) - soonest(b) || a.id - b.id);
}

// Claims ----------------------------------------------------------------------------------------

export async function lockedSlot(db: Db, slotId: number) {
  const [slot] = await db.select().from(serviceSlots).where(eq(serviceSlots.id, slotId)).for('update');
  if (!slot) throw new AppError('service.slot_not_found');
  const [post] = await db.select().from(servicePosts).where(eq(servicePosts.id, slot.postId));
  if (!post) throw new AppError('service.slot_not_found');
  return { slot, post };
}

/** Claims a place on a slot, or a place in its line when it is full; claiming twice returns the first. */
export async function claim(ctx: Authed, slotId: number) {
  const m = await activeMember(ctx);
  const { slot, post } = await lockedSlot(ctx.db, slotId);
  if (post.communityCode !== m.communityCode) throw new AppError('service.slot_not_found');
  if (post.status !== 'open' || slot.status !== 'open') throw new AppError('service.slot_closed');
  if (slot.startsAt <= ctx.clock.now()) throw new AppError('service.slot_started');
  const [live] = await ctx.db
    .select()
    .from(serviceClaims)
    .where(
      and(
        eq(serviceClaims.slotId, slot.id),
        eq(serviceClaims.memberId, m.id),
        ne(serviceClaims.status, 'cancelled'),
      ),
    );
  if (!live) {
    const full = slot.claimed >= slot.capacity;
    await ctx.db.insert(serviceClaims).values({
      slotId: slot.id,
      memberId: m.id,
      status: full ? 'waitlisted' : 'claimed',
      createdAt: ctx.clock.now(),
    });
    if (!full)
      await ctx.db
        .update(serviceSlots)
        .set({ claimed: sql`${serviceSlots.claimed} + 1` })
        .where(eq(serviceSlots.id, slot.id));
  }
  return postView(ctx, post.id, m);
}

/**
 * Gives a claim back: a place only until the post's deadline before the slot starts (then the
 * first in line moves up into it), a place in line at any time before the start.
 */
export async function cancelClaim(ctx: Authed, claimId: number) {
  const m = await activeMember(ctx);
  const [c0] = await ctx.db.select().from(serviceClaims).where(eq(serviceClaims.id, claimId));
  if (!c0 || c0.memberId !== m.id) throw new AppError('service.claim_not_found');
  const { slot, post } = await lockedSlot(ctx.db, c0.slotId);
  const [c] = await ctx.db.select().from(serviceClaims).where(eq(serviceClaims.id, claimId));
  if (!c || c.status === 'cancelled') return postView(ctx, post.id, m);
  const now = ctx.clock.now();
  if (c.status === 'claimed' && now >= cancelUntil(slot, post))
    throw new AppError('service.cancel_too_late', { hours: post.cancelHours });
  if (c.status === 'waitlisted' && now >= slot.startsAt) throw new AppError('service.slot_started');
  await ctx.db
    .update(serviceClaims)
    .set({ status: 'cancelled', cancelledAt: now })
    .where(eq(serviceClaims.id, c.id));
  if (c.status === 'claimed') {
    const [next] = await ctx.db
      .select({ id: serviceClaims.id })
      .from(serviceClaims)
      .where(and(eq(serviceClaims.slotId, slot.id), eq(serviceClaims.status, 'waitlisted')))
      .orderBy(asc(serviceClaims.id))
      .limit(1);
    if (next)
      await ctx.db
        .update(serviceClaims)
        .set({ status: 'claimed', promotedAt: now })
        .where(eq(serviceClaims.id, next.id));
    else
      await ctx.db
        .update(serviceSlots)
        .set({ claimed: sql`${serviceSlots.claimed} - 1` })
        .where(eq(serviceSlots.id, slot.id));
  }
  return postView(ctx, post.id, m);
}

/** Who is on a slot: places, the line, and their attendance. */
export async function rosterRows(db: Db, slotId: number) {
  return db
    .select({
      claimId: serviceClaims.id,
      memberId: serviceClaims.memberId,
      name: partyMembers.name,
      status: serviceClaims.status,
    })
    .from(serviceClaims)
    .innerJoin(partyMembers, eq(partyMembers.id, serviceClaims.memberId))
    .where(and(eq(serviceClaims.slotId, slotId), ne(serviceClaims.status, 'cancelled')))
    .orderBy(asc(serviceClaims.id));
}
