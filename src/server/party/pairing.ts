/**
 * 包联: the community marks households in difficulty (elderly living alone, disabled,
 * low-income, …), pairs party members with them, and the members log their visits. A household
 * whose next visit is past due is flagged overdue; one with nobody paired is flagged unpaired.
 * Household names and phones are personal data: masked in lists, revealed to community staff
 * with an audit entry, and shown to the paired member (the pairing is what entitles them).
 */
import { and, asc, desc, eq, ilike, inArray, isNull, like, or, type SQL, sql } from 'drizzle-orm';
import type {
  CareClose,
  CareCreate,
  CareDetail,
  CareListQuery,
  CareSummary,
  CareUpdate,
  CareView,
  MyCareView,
  PairingView,
  VisitCreate,
  VisitView,
} from '../../contracts/party-pairing.ts';
import {
  CARE_KINDS,
  CARE_STATES,
  type CareKind,
  type CareState,
  DUE_SOON_DAYS,
  type VisitMode,
} from '../../contracts/party-states.ts';
import { users } from '../auth/tables.ts';
import { scopeWhere } from '../core/access.ts';
import { audit } from '../core/audit.ts';
import { decodeIdCursor, encodeIdCursor } from '../core/cursor.ts';
import { AppError } from '../core/errors.ts';
import { maskName, maskPhone } from '../core/mask.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { underPattern } from '../geo/paths.ts';
import * as geo from '../geo/repo.ts';
import { buildings, compounds, households } from '../geo/tables.ts';
import { shanghaiDate } from '../tickets/worktime.ts';
import { canEditMemberAt, canRevealAt, memberScopes } from './policy.ts';
import * as repo from './repo.ts';
import type { Authed } from './service.ts';
import { partyCareEvents, partyCareHouseholds, partyMembers, partyPairings, partyVisits } from './tables.ts';

const care = partyCareHouseholds;
const today = (ctx: Authed) => shanghaiDate(ctx.clock.now());

/** Days between two YYYY-MM-DD dates (b − a). */
function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
function addDays(d: string, n: number): string {
  return new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The next visit falls due one interval after the clock's start (tables.ts: due_from). */
const dueSql = sql<string>`(${care.dueFrom} + ${care.visitEveryDays})`;
const pairedSql = sql`exists (select 1 from ${partyPairings} p where p.care_id = ${care.id} and p.ended_on is null)`;

/** One definition of a household's state, used by the list filter, the counts and the views. */
function stateSql(on: string): SQL<CareState> {
  return sql<CareState>`case
    when ${care.status} = 'closed' then 'closed'
    when not ${pairedSql} then 'unpaired'
    when ${dueSql} < ${on}::date then 'overdue'
    when ${dueSql} <= ${addDays(on, DUE_SOON_DAYS)}::date then 'dueSoon'
    else 'onTrack' end`;
}

type CareRow = typeof care.$inferSelect;

function dueOf(r: Pick<CareRow, 'dueFrom' | 'visitEveryDays'>): string {
  return addDays(r.dueFrom, r.visitEveryDays);
}

function stateOf(r: CareRow, paired: boolean, on: string): CareState {
  if (r.status === 'closed') return 'closed';
  if (!paired) return 'unpaired';
  const due = dueOf(r);
  if (due < on) return 'overdue';
  if (due <= addDays(on, DUE_SOON_DAYS)) return 'dueSoon';
  return 'onTrack';
}

const visibleCare = (ctx: Authed) => scopeWhere(care.path, memberScopes(ctx.actor));

// Reading ---------------------------------------------------------------------------------------

async function currentPairings(ctx: Authed, careIds: number[]) {
  if (careIds.length === 0) return new Map<number, PairingView[]>();
  const rows = await ctx.db
    .select({ p: partyPairings, name: partyMembers.name })
    .from(partyPairings)
    .innerJoin(partyMembers, eq(partyMembers.id, partyPairings.memberId))
    .where(and(inArray(partyPairings.careId, careIds), isNull(partyPairings.endedOn)))
    .orderBy(asc(partyPairings.id));
  const by = new Map<number, PairingView[]>();
  for (const { p, name } of rows) {
    const list = by.get(p.careId) ?? [];
    list.push(pairingView(p, name));
    by.set(p.careId, list);
  }
  return by;
}

function pairingView(p: typeof partyPairings.$inferSelect, memberName: string): PairingView {
  return {
    id: p.id,
    member: { id: p.memberId, name: maskName(memberName) },
    startedOn: p.startedOn,
    endedOn: p.endedOn ?? null,
    endReason: p.endReason ?? null,
  };
}

function present(ctx: Authed, r: CareRow, compoundName: string, pairings: PairingView[]): CareView {
  const on = today(ctx);
  const dueOn = dueOf(r);
  return {
    id: r.id,
    headName: maskName(r.headName),
    phone: r.phone ? maskPhone(r.phone) : null,
    compound: { id: r.compoundId, name: compoundName },
    buildingId: r.buildingId ?? null,
    householdId: r.householdId ?? null,
    address: r.address ?? null,
    kinds: r.kinds as CareKind[],
    note: r.note ?? null,
    visitEveryDays: r.visitEveryDays,
    status: r.status as CareView['status'],
    closedReason: r.closedReason ?? null,
    lastVisitedOn: r.lastVisitedOn ?? null,
    dueOn,
    overdueDays: r.status === 'active' ? Math.max(0, daysBetween(dueOn, on)) : 0,
    state: stateOf(r, pairings.length > 0, on),
    pairings,
    version: r.version,
    can: {
      edit: r.status === 'active' && canEditMemberAt(ctx.actor, r.path),
      reveal: canRevealAt(ctx.actor, r.path),
    },
  };
}

/** The SQL filter of a list of households (shared by the list and its counts). */
async function careFilter(ctx: Authed, q: Omit<CareListQuery, 'cursor' | 'limit' | 'state'>) {
  const parts: SQL[] = [visibleCare(ctx)];
  if (q.region) {
    const region = await geo.regionByCode(ctx.db, q.region);
    if (!region) throw new AppError('region.not_found');
    parts.push(like(care.path, underPattern(region.path)));
  }
  if (q.compoundId) parts.push(eq(care.compoundId, q.compoundId));
  if (q.kind) parts.push(sql`${q.kind} = any(${care.kinds})`);
  if (q.memberId)
    parts.push(
      sql`exists (select 1 from ${partyPairings} p where p.care_id = ${care.id} and p.ended_on is null and p.member_id = ${q.memberId})`,
    );
  if (q.q) {
    const text = `%${q.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    parts.push(or(ilike(care.headName, text), ilike(care.address, text)) as SQL);
  }
  return and(...parts) as SQL;
}

export async function listCare(ctx: Authed, q: CareListQuery) {
  const where = await careFilter(ctx, q);
  const parts = [where];
  if (q.state) parts.push(sql`${stateSql(today(ctx))} = ${q.state}`);
  else parts.push(eq(care.status, 'active'));
  const after = q.cursor ? decodeIdCursor(q.cursor) : null;
  if (after !== null) parts.push(sql`${care.id} < ${after}`);
  const rows = await ctx.db
    .select({ c: care, compoundName: compounds.name })
    .from(care)
    .innerJoin(compounds, eq(compounds.id, care.compoundId))
    .where(and(...parts))
    .orderBy(desc(care.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const pairings = await currentPairings(
    ctx,
    page.map((r) => r.c.id),
  );
  return {
    items: page.map((r) => present(ctx, r.c, r.compoundName, pairings.get(r.c.id) ?? [])),
    nextCursor: rows.length > q.limit ? encodeIdCursor(page.at(-1)?.c.id) : null,
  };
}

/** Counts by state, by kind and per compound, for what the list shows. */
export async function careSummary(
  ctx: Authed,
  q: { region?: string; compoundId?: number },
): Promise<CareSummary> {
  const where = await careFilter(ctx, q);
  const state = stateSql(today(ctx));
  const rows = await ctx.db
    .select({
      compoundId: care.compoundId,
      name: compounds.name,
      state: sql<CareState>`${state}`,
      n: sql<number>`count(*)::int`,
    })
    .from(care)
    .innerJoin(compounds, eq(compounds.id, care.compoundId))
    .where(where)
    .groupBy(care.compoundId, compounds.name, sql`3`);
  const kinds = await ctx.db
    .select({ kind: sql<CareKind>`k`, n: sql<number>`count(*)::int` })
    .from(sql`${care} cross join lateral unnest(${care.kinds}) as k`)
    .where(and(where, eq(care.status, 'active')))
    .groupBy(sql`k`);
  const byState = Object.fromEntries(CARE_STATES.map((s) => [s, 0])) as Record<CareState, number>;
  const byKind = Object.fromEntries(CARE_KINDS.map((k) => [k, 0])) as Record<CareKind, number>;
  const per = new Map<number, CareSummary['compounds'][number]>();
  for (const r of rows) {
    byState[r.state] += r.n;
    if (r.state === 'closed') continue;
    const c = per.get(r.compoundId) ?? { id: r.compoundId, name: r.name, total: 0, unpaired: 0, overdue: 0 };
    c.total += r.n;
    if (r.state === 'unpaired') c.unpaired += r.n;
    if (r.state === 'overdue') c.overdue += r.n;
    per.set(r.compoundId, c);
  }
  for (const k of kinds) if (k.kind in byKind) byKind[k.kind] += k.n;
  return {
    total: CARE_STATES.filter((s) => s !== 'closed').reduce((a, s) => a + byState[s], 0),
    byState,
    byKind,
    compounds: [...per.values()].sort(
      (a, b) => b.overdue + b.unpaired - (a.overdue + a.unpaired) || b.total - a.total,
    ),
  };
}

async function loadVisible(ctx: Authed, id: number, lock = false) {
  const q = ctx.db
    .select({ c: care, compoundName: compounds.name })
    .from(care)
    .innerJoin(compounds, eq(compounds.id, care.compoundId))
    .where(and(eq(care.id, id), visibleCare(ctx)))
    .limit(1);
  const [r] = lock ? await q.for('update', { of: care }) : await q;
  if (!r) throw new AppError('care.not_found');
  return r;
}

async function loadEditable(ctx: Authed, id: number) {
  const r = await loadVisible(ctx, id, true);
  if (!canEditMemberAt(ctx.actor, r.c.path)) throw new AppError('access.forbidden');
  if (r.c.status !== 'active') throw new AppError('care.closed');
  return r;
}

async function visitViews(ctx: Authed, where: SQL, limit: number): Promise<VisitView[]> {
  return (await visitRows(ctx, where, limit)).map((x) => x.view);
}

/** Visits with the household each belongs to, newest first. */
async function visitRows(ctx: Authed, where: SQL, limit: number) {
  const rows = await ctx.db
    .select({ v: partyVisits, visitorName: partyMembers.name, recorder: users.name })
    .from(partyVisits)
    .leftJoin(partyMembers, eq(partyMembers.id, partyVisits.memberId))
    .leftJoin(users, eq(users.id, partyVisits.recordedBy))
    .where(where)
    .orderBy(desc(partyVisits.visitedOn), desc(partyVisits.id))
    .limit(limit);
  return rows.map(({ v, visitorName, recorder }) => ({
    careId: v.careId,
    view: {
      id: v.id,
      visitedOn: v.visitedOn,
      mode: v.mode as VisitMode,
      notes: v.notes,
      problemsFound: v.problemsFound ?? null,
      problemsSolved: v.problemsSolved ?? null,
      visitor: v.memberId && visitorName ? { id: v.memberId, name: maskName(visitorName) } : null,
      recordedBy: recorder ? maskName(recorder) : null,
      recordedAt: v.recordedAt.toISOString(),
    } as VisitView,
  }));
}

export async function getCare(ctx: Authed, id: number): Promise<CareDetail> {
  const r = await loadVisible(ctx, id);
  const current = (await currentPairings(ctx, [id])).get(id) ?? [];
  const past = await ctx.db
    .select({ p: partyPairings, name: partyMembers.name })
    .from(partyPairings)
    .innerJoin(partyMembers, eq(partyMembers.id, partyPairings.memberId))
    .where(and(eq(partyPairings.careId, id), sql`${partyPairings.endedOn} is not null`))
    .orderBy(desc(partyPairings.endedOn), desc(partyPairings.id));
  const events = await ctx.db
    .select({ e: partyCareEvents, actorName: users.name })
    .from(partyCareEvents)
    .leftJoin(users, eq(users.id, partyCareEvents.actorUserId))
    .where(eq(partyCareEvents.careId, id))
    .orderBy(desc(partyCareEvents.at), desc(partyCareEvents.id));
  return {
    ...present(ctx, r.c, r.compoundName, current),
    pastPairings: past.map(({ p, name }) => pairingView(p, name)),
    visits: await visitViews(ctx, eq(partyVisits.careId, id), 200),
    history: events.map(({ e, actorName }) => ({
      id: e.id,
      at: e.at.toISOString(),
      kind: e.kind,
      actor: actorName ? maskName(actorName) : null,
      data: e.data ?? null,
    })),
  };
}

/** The household's name and phone in full: community level and above, every read audited. */
export async function revealCare(ctx: Authed, id: number) {
  const r = await loadVisible(ctx, id);
  if (!canRevealAt(ctx.actor, r.c.path)) throw new AppError('access.forbidden');
  await audit(ctx, {
    action: 'pii.reveal',
    entity: 'party_care_household',
    entityId: id,
    scopePath: r.c.path,
    detail: { fields: ['headName', 'phone'] },
  });
  return { headName: r.c.headName, phone: r.c.phone ?? null };
}

// Writing ---------------------------------------------------------------------------------------

/** Where the household is: a compound the actor may edit in, and a building and household of it. */
async function placeOf(ctx: Authed, p: { compoundId: number; buildingId?: number; householdId?: number }) {
  const c = await geo.compoundByIdRaw(ctx.db, p.compoundId);
  if (!c || !canEditMemberAt(ctx.actor, c.path)) throw new AppError('compound.not_found');
  let buildingId = p.buildingId ?? null;
  if (p.householdId) {
    const [h] = await ctx.db
      .select({ compoundId: buildings.compoundId, buildingId: households.buildingId })
      .from(households)
      .innerJoin(buildings, eq(buildings.id, households.buildingId))
      .where(eq(households.id, p.householdId));
    if (h?.compoundId !== c.id || (buildingId && h.buildingId !== buildingId))
      throw new AppError('member.place_mismatch');
    buildingId = h.buildingId;
  } else if (buildingId) {
    const [b] = await ctx.db
      .select({ compoundId: buildings.compoundId })
      .from(buildings)
      .where(eq(buildings.id, buildingId));
    if (b?.compoundId !== c.id) throw new AppError('member.place_mismatch');
  }
  return { c, buildingId, householdId: p.householdId ?? null };
}

async function event(ctx: Authed, careId: number, kind: string, data: Record<string, unknown> | null) {
  await ctx.db
    .insert(partyCareEvents)
    .values({ careId, at: ctx.clock.now(), actorUserId: ctx.actor.userId, kind, data });
}

const uniqKinds = (ks: readonly CareKind[]) => CARE_KINDS.filter((k) => ks.includes(k));

export async function createCare(ctx: Authed, input: CareCreate): Promise<CareDetail> {
  const { c, buildingId, householdId } = await placeOf(ctx, input);
  const now = ctx.clock.now();
  let id: number;
  try {
    const [row] = await ctx.db
      .insert(care)
      .values({
        headName: input.headName,
        phone: input.phone ?? null,
        compoundId: c.id,
        buildingId,
        householdId,
        address: input.address || null,
        communityCode: c.communityCode,
        countyCode: c.countyCode,
        path: c.path,
        kinds: uniqKinds(input.kinds),
        note: input.note || null,
        visitEveryDays: input.visitEveryDays,
        markedOn: today(ctx),
        dueFrom: today(ctx),
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: care.id });
    id = (row as { id: number }).id;
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('care.household_taken');
    throw e;
  }
  await event(ctx, id, 'marked', { kinds: uniqKinds(input.kinds), visitEveryDays: input.visitEveryDays });
  await audit(ctx, {
    action: 'party.care.create',
    entity: 'party_care_household',
    entityId: id,
    scopePath: c.path,
  });
  return getCare(ctx, id);
}

export async function updateCare(ctx: Authed, id: number, patch: CareUpdate): Promise<CareDetail> {
  const { c: r } = await loadEditable(ctx, id);
  if (patch.version !== r.version) throw new AppError('care.stale');
  const next: Partial<CareRow> = {};
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const set = <K extends keyof CareRow>(k: K, v: CareRow[K], shown = (x: unknown) => x) => {
    if (JSON.stringify(r[k]) === JSON.stringify(v)) return;
    next[k] = v;
    changes[k] = { from: shown(r[k]), to: shown(v) };
  };
  const masked = (f: (s: string) => string) => (x: unknown) => (typeof x === 'string' ? f(x) : x);
  if (patch.headName !== undefined) set('headName', patch.headName, masked(maskName));
  if (patch.phone !== undefined) set('phone', patch.phone, masked(maskPhone));
  if (patch.address !== undefined) set('address', patch.address || null);
  if (patch.kinds !== undefined) set('kinds', uniqKinds(patch.kinds));
  if (patch.note !== undefined) set('note', patch.note || null);
  if (patch.visitEveryDays !== undefined) set('visitEveryDays', patch.visitEveryDays);
  if (patch.buildingId !== undefined || patch.householdId !== undefined) {
    const p = await placeOf(ctx, {
      compoundId: r.compoundId,
      buildingId: patch.buildingId ?? undefined,
      householdId: patch.householdId ?? undefined,
    });
    set('buildingId', p.buildingId);
    set('householdId', p.householdId);
  }
  if (Object.keys(changes).length === 0) return getCare(ctx, id);
  try {
    await ctx.db
      .update(care)
      .set({ ...next, version: r.version + 1, updatedAt: ctx.clock.now() })
      .where(eq(care.id, id));
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('care.household_taken');
    throw e;
  }
  await event(ctx, id, 'updated', changes);
  await audit(ctx, {
    action: 'party.care.update',
    entity: 'party_care_household',
    entityId: id,
    scopePath: r.path,
  });
  return getCare(ctx, id);
}

/** No longer in difficulty: the record and its visits stay; current pairings end with it. */
export async function closeCare(ctx: Authed, id: number, input: CareClose): Promise<CareDetail> {
  const { c: r } = await loadEditable(ctx, id);
  if (input.version !== r.version) throw new AppError('care.stale');
  await ctx.db
    .update(care)
    .set({ status: 'closed', closedReason: input.reason, version: r.version + 1, updatedAt: ctx.clock.now() })
    .where(eq(care.id, id));
  const ended = await ctx.db
    .update(partyPairings)
    .set({ endedOn: today(ctx), endReason: input.reason })
    .where(and(eq(partyPairings.careId, id), isNull(partyPairings.endedOn)))
    .returning({ id: partyPairings.id });
  await event(ctx, id, 'closed', { reason: input.reason, pairingsEnded: ended.length });
  await audit(ctx, {
    action: 'party.care.close',
    entity: 'party_care_household',
    entityId: id,
    scopePath: r.path,
  });
  return getCare(ctx, id);
}

export async function pair(ctx: Authed, careId: number, memberId: number): Promise<CareDetail> {
  const { c: r } = await loadEditable(ctx, careId);
  const others = (await currentPairings(ctx, [careId])).get(careId) ?? [];
  const m = await repo.memberById(ctx.db, memberId, scopeWhere(partyMembers.path, memberScopes(ctx.actor)));
  if (!m) throw new AppError('member.not_found');
  if (m.m.status !== 'normal') throw new AppError('pairing.member_inactive');
  try {
    await ctx.db.insert(partyPairings).values({
      careId,
      memberId,
      startedOn: today(ctx),
      createdBy: ctx.actor.userId,
      createdAt: ctx.clock.now(),
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('pairing.exists');
    throw e;
  }
  // A household nobody looked after starts its clock when someone takes it on.
  if (others.length === 0)
    await ctx.db
      .update(care)
      .set({ dueFrom: sql`greatest(${care.dueFrom}, ${today(ctx)}::date)` })
      .where(eq(care.id, careId));
  await event(ctx, careId, 'paired', { member: { id: memberId, name: maskName(m.m.name) } });
  await audit(ctx, {
    action: 'party.pairing.create',
    entity: 'party_care_household',
    entityId: careId,
    scopePath: r.path,
    detail: { memberId },
  });
  return getCare(ctx, careId);
}

export async function endPairing(ctx: Authed, pairingId: number, reason: string): Promise<CareDetail> {
  const [p] = await ctx.db.select().from(partyPairings).where(eq(partyPairings.id, pairingId)).limit(1);
  if (!p) throw new AppError('pairing.not_found');
  const { c: r } = await loadEditable(ctx, p.careId).catch((e) => {
    throw e instanceof AppError && e.code === 'care.not_found' ? new AppError('pairing.not_found') : e;
  });
  const ended = await ctx.db
    .update(partyPairings)
    .set({ endedOn: today(ctx), endReason: reason })
    .where(and(eq(partyPairings.id, pairingId), isNull(partyPairings.endedOn)))
    .returning({ memberId: partyPairings.memberId });
  if (ended.length === 0) throw new AppError('pairing.ended');
  const [m] = await ctx.db
    .select({ name: partyMembers.name })
    .from(partyMembers)
    .where(eq(partyMembers.id, p.memberId));
  await event(ctx, p.careId, 'unpaired', {
    member: { id: p.memberId, name: maskName(m?.name ?? '') },
    reason,
  });
  await audit(ctx, {
    action: 'party.pairing.end',
    entity: 'party_care_household',
    entityId: p.careId,
    scopePath: r.path,
    detail: { memberId: p.memberId },
  });
  return getCare(ctx, p.careId);
}

/** Saves a visit and moves the household's last-visited date forward (never back). */
async function insertVisit(ctx: Authed, r: CareRow, memberId: number | null, input: VisitCreate) {
  const on = today(ctx);
  if (input.visitedOn > on) throw new AppError('visit.in_future');
  if (daysBetween(input.visitedOn, on) > 366) throw new AppError('visit.too_old');
  const [v] = await ctx.db
    .insert(partyVisits)
    .values({
      careId: r.id,
      memberId,
      visitedOn: input.visitedOn,
      mode: input.mode,
      notes: input.notes,
      problemsFound: input.problemsFound || null,
      problemsSolved: input.problemsSolved || null,
      recordedBy: ctx.actor.userId,
      recordedAt: ctx.clock.now(),
    })
    .returning({ id: partyVisits.id });
  await ctx.db
    .update(care)
    .set({
      lastVisitedOn: sql`greatest(${care.lastVisitedOn}, ${input.visitedOn}::date)`,
      dueFrom: sql`greatest(${care.dueFrom}, ${input.visitedOn}::date)`,
    })
    .where(eq(care.id, r.id));
  await audit(ctx, {
    action: 'party.visit.create',
    entity: 'party_care_household',
    entityId: r.id,
    scopePath: r.path,
    detail: { visitId: v?.id, memberId },
  });
}

async function currentPairing(ctx: Authed, careId: number, memberId: number) {
  const [p] = await ctx.db
    .select()
    .from(partyPairings)
    .where(
      and(
        eq(partyPairings.careId, careId),
        eq(partyPairings.memberId, memberId),
        isNull(partyPairings.endedOn),
      ),
    )
    .limit(1);
  return p;
}

/** Staff record a visit: their own, or a paired member's they name. */
export async function logVisit(ctx: Authed, careId: number, input: VisitCreate): Promise<CareDetail> {
  const { c: r } = await loadEditable(ctx, careId);
  if (input.memberId && !(await currentPairing(ctx, careId, input.memberId)))
    throw new AppError('pairing.not_paired');
  await insertVisit(ctx, r, input.memberId ?? null, input);
  return getCare(ctx, careId);
}

// The paired member's side ------------------------------------------------------------------------

/** My record in normal standing (linked by phone on first use, as 我的 does). */
async function myMemberId(ctx: Authed): Promise<number | null> {
  const m = await repo.ownRecord(ctx.db, ctx.actor.userId, ctx.actor.phone);
  return m?.status === 'normal' ? m.id : null;
}

/** The households I am paired with, most urgent first, with my visits to each. */
export async function myCare(ctx: Authed): Promise<MyCareView[]> {
  const memberId = await myMemberId(ctx);
  if (!memberId) return [];
  const rows = await ctx.db
    .select({ c: care, compoundName: compounds.name, since: partyPairings.startedOn })
    .from(partyPairings)
    .innerJoin(care, eq(care.id, partyPairings.careId))
    .innerJoin(compounds, eq(compounds.id, care.compoundId))
    .where(
      and(eq(partyPairings.memberId, memberId), isNull(partyPairings.endedOn), eq(care.status, 'active')),
    )
    .orderBy(asc(dueSql), asc(care.id));
  const on = today(ctx);
  // My latest 20 visits to each of them, in one query.
  const visits = new Map<number, VisitView[]>();
  if (rows.length) {
    const ids = sql.join(
      rows.map((r) => sql`${r.c.id}`),
      sql`, `,
    );
    const latest = sql`${partyVisits.id} in (select id from (
      select id, row_number() over (partition by care_id order by visited_on desc, id desc) as n
      from party_visits where member_id = ${memberId} and care_id in (${ids})) t where n <= 20)`;
    for (const { careId, view } of await visitRows(ctx, latest, 20 * rows.length))
      visits.set(careId, [...(visits.get(careId) ?? []), view]);
  }
  const out: MyCareView[] = [];
  for (const { c, compoundName, since } of rows) {
    const dueOn = dueOf(c);
    out.push({
      id: c.id,
      headName: c.headName,
      phone: c.phone ? maskPhone(c.phone) : null,
      compound: { id: c.compoundId, name: compoundName },
      address: c.address ?? null,
      kinds: c.kinds as CareKind[],
      note: c.note ?? null,
      visitEveryDays: c.visitEveryDays,
      lastVisitedOn: c.lastVisitedOn ?? null,
      dueOn,
      overdueDays: Math.max(0, daysBetween(dueOn, on)),
      state: stateOf(c, true, on),
      pairedSince: since,
      visits: visits.get(c.id) ?? [],
    });
  }
  return out;
}

async function myPairedCare(ctx: Authed, careId: number) {
  const memberId = await myMemberId(ctx);
  const p = memberId ? await currentPairing(ctx, careId, memberId) : undefined;
  const [r] = p ? await ctx.db.select().from(care).where(eq(care.id, careId)).for('update').limit(1) : [];
  if (!p || !r || r.status !== 'active') throw new AppError('care.not_found');
  return { r, memberId: p.memberId };
}

/** A paired member logs their own visit from the phone. */
export async function logMyVisit(ctx: Authed, careId: number, input: VisitCreate): Promise<MyCareView> {
  const { r, memberId } = await myPairedCare(ctx, careId);
  await insertVisit(ctx, r, memberId, { ...input, memberId: undefined });
  const mine = await myCare(ctx);
  return mine.find((x) => x.id === careId) as MyCareView;
}

/** The phone of a household I look after, to call it: audited like any unmasked read. */
export async function myCarePhone(ctx: Authed, careId: number) {
  const [p] = await ctx.db
    .select({ phone: care.phone, path: care.path })
    .from(care)
    .innerJoin(partyPairings, eq(partyPairings.careId, care.id))
    .innerJoin(partyMembers, eq(partyMembers.id, partyPairings.memberId))
    .where(
      and(
        eq(care.id, careId),
        eq(care.status, 'active'),
        isNull(partyPairings.endedOn),
        eq(partyMembers.userId, ctx.actor.userId),
      ),
    )
    .limit(1);
  if (!p) throw new AppError('care.not_found');
  await audit(ctx, {
    action: 'pii.reveal',
    entity: 'party_care_household',
    entityId: careId,
    scopePath: p.path,
    detail: { fields: ['phone'], as: 'pairedMember' },
  });
  return { phone: p.phone ?? null };
}
