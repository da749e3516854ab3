import { and, eq, ilike, like, type SQL, sql } from 'drizzle-orm';
import {
  COLOURS,
  type Colour,
  type ColourEntry,
  type ColourSchemeView,
  type ColourSet,
  DEFAULT_COLOUR_SCHEME,
  type Education,
  LEDGERS,
  type Ledger,
  type LedgerCounts,
  type LedgerMove,
  type MemberCreate,
  type MemberDetail,
  type MemberListQuery,
  type MemberPii,
  type MemberUpdate,
  type MemberView,
  type MobileInfo,
  type StatusChange,
} from '../../contracts/party.ts';
import { users } from '../auth/tables.ts';
import { type Actor, hasAnyRole, scopeWhere } from '../core/access.ts';
import { audit } from '../core/audit.ts';
import type { Ctx } from '../core/context.ts';
import { decodeIdCursor, encodeIdCursor } from '../core/cursor.ts';
import { AppError } from '../core/errors.ts';
import { maskName, maskPhone } from '../core/mask.ts';
import type { PiiCipher } from '../core/pii.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { underPattern } from '../geo/paths.ts';
import * as geo from '../geo/repo.ts';
import { buildings, households } from '../geo/tables.ts';
import { shanghaiDate } from '../tickets/worktime.ts';
import { ageOn, colourSql, suggestColour } from './colour.ts';
import { type IdNumberProblem, maskIdNumber, parseIdNumber } from './id-number.ts';
import { EDUCATION_ZH, exportWriter, LEDGER_ZH } from './ledger-xlsx.ts';
import { canEditMemberAt, canRevealAt, canSetSchemeAt, memberScopes, REVEAL_ROLES } from './policy.ts';
import * as repo from './repo.ts';
import { partyMembers } from './tables.ts';

export type Authed = Ctx & { actor: Actor };

const ID_PROBLEMS: Record<IdNumberProblem, { zh: string; en: string }> = {
  length: { zh: '应为 18 位', en: 'it must have 18 characters' },
  legacy15: {
    zh: '15 位旧号码已停用，请填写 18 位号码',
    en: '15-digit numbers are no longer in use; enter the 18-character one',
  },
  chars: { zh: '前 17 位应为数字，最后一位为数字或 X', en: 'it must be 17 digits and a digit or X' },
  region: { zh: '前两位不是有效的省份代码', en: 'the first two digits are not a province' },
  birthDate: { zh: '第 7–14 位不是有效的出生日期', en: 'characters 7–14 are not a valid birth date' },
  checksum: {
    zh: '校验位不符，请核对是否输错了数字',
    en: 'the check character does not match: a digit may be mistyped',
  },
};

export const LEDGER_LABELS: Record<Ledger, { zh: string; en: string }> = {
  direct: { zh: '直管党员', en: 'direct' },
  retired: { zh: '离退休党员', en: 'retired' },
  inService: { zh: '在职党员', en: 'in-service' },
  mobile: { zh: '流动党员', en: 'mobile' },
};

export const STATUS_LABELS = {
  normal: { zh: '正常', en: 'normal' },
  transferredOut: { zh: '已转出', en: 'transferred out' },
  deceased: { zh: '已去世', en: 'deceased' },
  removed: { zh: '已出党', en: 'removed' },
} as const;

const today = (ctx: Ctx) => shanghaiDate(ctx.clock.now());

/** The installation's PII cipher; a context without one is a wiring mistake, not bad input. */
export function cipher(ctx: Ctx): PiiCipher {
  if (!ctx.pii) throw new Error('party: no PII cipher in the context (PII_KEY)');
  return ctx.pii;
}

/** Validates an ID number; a bad one is a 400 naming the field and what is wrong with it. */
export function checkIdNumber(ctx: Ctx, raw: string) {
  const r = parseIdNumber(raw, today(ctx));
  if (r.ok) return r;
  const problem = ID_PROBLEMS[r.problem];
  throw new AppError('member.id_number_invalid', { problem }, [
    { path: 'idNumber', message: ctx.locale === 'en' ? problem.en : problem.zh },
  ]);
}

// Reading ---------------------------------------------------------------------------------------

async function schemes(ctx: Ctx) {
  return repo.schemesOf(ctx.db);
}

function schemeOf(all: Map<string, ColourEntry[]>, county: string): readonly ColourEntry[] {
  return all.get(county) ?? DEFAULT_COLOUR_SCHEME;
}

type Row = NonNullable<Awaited<ReturnType<typeof repo.memberById>>>;

const factsOf = (m: repo.MemberRow) => ({
  ledger: m.ledger as Ledger,
  frail: m.frail,
  birthDate: m.birthDate,
});

function present(ctx: Authed, r: Row, all: Map<string, ColourEntry[]>): MemberView {
  const m = r.m;
  const suggested = suggestColour(schemeOf(all, m.countyCode), factsOf(m), today(ctx));
  return {
    id: m.id,
    name: maskName(m.name),
    sex: m.sex as MemberView['sex'],
    birthDate: m.birthDate,
    age: ageOn(m.birthDate, today(ctx)),
    idNumber: m.idMasked,
    phone: m.phone ? maskPhone(m.phone) : null,
    education: (m.education ?? null) as MemberView['education'],
    joinedOn: m.joinedOn ?? null,
    standing: m.standing as MemberView['standing'],
    relationAt: m.relationAt ?? null,
    org: m.orgId && r.orgName ? { id: m.orgId, name: r.orgName } : null,
    compound: { id: m.compoundId, name: r.compoundName },
    buildingId: m.buildingId ?? null,
    householdId: m.householdId ?? null,
    communityCode: m.communityCode,
    ledger: m.ledger as Ledger,
    workUnit: m.workUnit ?? null,
    skills: m.skills,
    frail: m.frail,
    status: m.status as MemberView['status'],
    colour: (m.colour as Colour | null) ?? suggested,
    colourSuggested: suggested,
    colourOverridden: m.colour !== null,
    colourReason: m.colourReason ?? null,
    mobile:
      m.ledger === 'mobile' && m.mobileDirection
        ? {
            direction: m.mobileDirection as MobileInfo['direction'],
            place: m.mobilePlace ?? '',
            contact: m.mobileContact ?? '',
            certificate: m.mobileCertificate ?? '',
            since: m.mobileSince ?? null,
          }
        : null,
    version: m.version,
    updatedAt: m.updatedAt.toISOString(),
    can: { edit: canEditMemberAt(ctx.actor, m.path), reveal: canRevealAt(ctx.actor, m.path) },
  };
}

const visibleMembers = (a: Actor) => scopeWhere(partyMembers.path, memberScopes(a));

async function loadVisible(ctx: Authed, id: number): Promise<Row> {
  const r = await repo.memberById(ctx.db, id, visibleMembers(ctx.actor));
  if (!r) throw new AppError('member.not_found');
  return r;
}

async function loadEditable(ctx: Authed, id: number): Promise<Row> {
  const r = await loadVisible(ctx, id);
  if (!canEditMemberAt(ctx.actor, r.m.path)) throw new AppError('access.forbidden');
  return r;
}

/** Personal values in the history are masked like the record; the ID number is stored masked. */
function maskChange(field: string, v: unknown): unknown {
  if (typeof v !== 'string') return v;
  if (field === 'name') return maskName(v);
  if (field === 'phone') return maskPhone(v);
  return v;
}

export async function getMember(ctx: Authed, id: number): Promise<MemberDetail> {
  const r = await loadVisible(ctx, id);
  const all = await schemes(ctx);
  const events = await repo.memberEvents(ctx.db, id);
  return {
    ...present(ctx, r, all),
    history: events.map(({ e, actorName }) => ({
      id: e.id,
      at: e.at.toISOString(),
      kind: e.kind,
      actor: actorName ? maskName(actorName) : null,
      changes: e.changes
        ? Object.fromEntries(
            Object.entries(e.changes).map(([k, c]) => [
              k,
              { from: maskChange(k, c.from), to: maskChange(k, c.to) },
            ]),
          )
        : null,
      reason: e.reason ?? null,
    })),
  };
}

/** Unmasked name, ID number and phone: community level and above, every read audited. */
export async function revealMember(ctx: Authed, id: number): Promise<MemberPii> {
  const r = await loadVisible(ctx, id);
  if (!canRevealAt(ctx.actor, r.m.path)) throw new AppError('access.forbidden');
  await audit(ctx, {
    action: 'pii.reveal',
    entity: 'party_member',
    entityId: id,
    scopePath: r.m.path,
    detail: { fields: ['name', 'idNumber', 'phone'] },
  });
  return { name: r.m.name, idNumber: cipher(ctx).open(r.m.idSealed), phone: r.m.phone ?? null };
}

/** The SQL filter of a member list (shared by the list, its counts and the export). */
export async function memberFilter(ctx: Authed, q: Omit<MemberListQuery, 'cursor' | 'limit'>) {
  const all = await schemes(ctx);
  const colour = colourSql(all, DEFAULT_COLOUR_SCHEME, today(ctx));
  const parts: (SQL | undefined)[] = [visibleMembers(ctx.actor)];
  if (q.region) {
    const region = await geo.regionByCode(ctx.db, q.region);
    if (!region) throw new AppError('region.not_found');
    parts.push(like(partyMembers.path, underPattern(region.path)));
  }
  if (q.compoundId) parts.push(eq(partyMembers.compoundId, q.compoundId));
  if (q.orgId) parts.push(eq(partyMembers.orgId, q.orgId));
  if (q.ledger) parts.push(eq(partyMembers.ledger, q.ledger));
  if (q.status) parts.push(eq(partyMembers.status, q.status));
  if (q.colour) parts.push(sql`${colour} = ${q.colour}`);
  if (q.q) {
    const text = q.q.replace(/[%_\\]/g, (c) => `\\${c}`);
    parts.push(
      /^[\dXx]{4}$/.test(q.q)
        ? like(partyMembers.idMasked, `%${text.toUpperCase()}`)
        : ilike(partyMembers.name, `%${text}%`),
    );
  }
  return { where: and(...parts) as SQL, colour, schemes: all };
}

export async function listMembers(ctx: Authed, q: MemberListQuery) {
  const { where, colour, schemes: all } = await memberFilter(ctx, q);
  const after = q.cursor ? decodeIdCursor(q.cursor) : null;
  const rows = await repo.listMembers(ctx.db, where, colour, after, q.limit + 1);
  const page = rows.slice(0, q.limit);
  return {
    items: page.map((r) => present(ctx, r, all)),
    nextCursor: rows.length > q.limit ? encodeIdCursor((page.at(-1) as Row).m.id) : null,
  };
}

export async function ledgerCounts(
  ctx: Authed,
  q: { region?: string; compoundId?: number },
): Promise<LedgerCounts> {
  const { where, colour } = await memberFilter(ctx, q);
  const { byCompound, byColour } = await repo.ledgerCounts(ctx.db, where, colour);
  const zero = () => Object.fromEntries(LEDGERS.map((l) => [l, 0])) as Record<Ledger, number>;
  const compounds = new Map<number, LedgerCounts['compounds'][number]>();
  const byLedger = zero();
  for (const r of byCompound) {
    const c = compounds.get(r.compoundId) ?? { id: r.compoundId, name: r.name, total: 0, byLedger: zero() };
    c.byLedger[r.ledger as Ledger] += r.n;
    c.total += r.n;
    byLedger[r.ledger as Ledger] += r.n;
    compounds.set(r.compoundId, c);
  }
  const colours = Object.fromEntries(COLOURS.map((c) => [c, 0])) as Record<Colour, number>;
  for (const r of byColour) if (r.colour) colours[r.colour as Colour] += r.n;
  return {
    total: Object.values(byLedger).reduce((a, b) => a + b, 0),
    byLedger,
    byColour: colours,
    compounds: [...compounds.values()],
  };
}

// Writing ---------------------------------------------------------------------------------------

interface Place {
  compoundId: number;
  buildingId: number | null;
  householdId: number | null;
  orgId: number | null;
  path: string;
  communityCode: string;
  countyCode: string;
}

/** Checks where a member lives: a compound the actor may edit in, and parts of it. */
async function placeOf(
  ctx: Authed,
  p: { compoundId: number; buildingId?: number | null; householdId?: number | null; orgId?: number | null },
): Promise<Place> {
  const c = await geo.compoundByIdRaw(ctx.db, p.compoundId);
  if (!c || !canEditMemberAt(ctx.actor, c.path)) throw new AppError('compound.not_found');
  const mismatch = () => new AppError('member.place_mismatch');
  if (p.buildingId) {
    const [b] = await ctx.db
      .select({ compoundId: buildings.compoundId })
      .from(buildings)
      .where(eq(buildings.id, p.buildingId));
    if (b?.compoundId !== c.id) throw mismatch();
  }
  if (p.householdId) {
    const [h] = await ctx.db
      .select({ compoundId: buildings.compoundId, buildingId: households.buildingId })
      .from(households)
      .innerJoin(buildings, eq(buildings.id, households.buildingId))
      .where(eq(households.id, p.householdId));
    if (h?.compoundId !== c.id || (p.buildingId && h.buildingId !== p.buildingId)) throw mismatch();
  }
  if (p.orgId) {
    const o = await repo.orgById(ctx.db, p.orgId);
    if (
      o?.status !== 'active' ||
      o.communityCode !== c.communityCode ||
      !['branch', 'group', 'centralHousehold'].includes(o.kind)
    )
      throw mismatch();
  }
  return {
    compoundId: c.id,
    buildingId: p.buildingId ?? null,
    householdId: p.householdId ?? null,
    orgId: p.orgId ?? null,
    path: c.path,
    communityCode: c.communityCode,
    countyCode: c.countyCode,
  };
}

function mobileColumns(ledger: Ledger, mobile: MobileInfo | undefined) {
  if (ledger !== 'mobile')
    return {
      mobileDirection: null,
      mobilePlace: null,
      mobileContact: null,
      mobileCertificate: null,
      mobileSince: null,
    };
  if (!mobile) throw new AppError('member.mobile_required');
  return {
    mobileDirection: mobile.direction,
    mobilePlace: mobile.place,
    mobileContact: mobile.contact,
    mobileCertificate: mobile.certificate,
    mobileSince: mobile.since ?? null,
  };
}

async function taken(ctx: Authed, existing: { id: number; name: string; path: string }): Promise<AppError> {
  // Staff who may see that record are told whose it is; others only that it exists.
  const visible = memberScopes(ctx.actor).some((s) => existing.path.startsWith(s));
  return new AppError('member.id_number_taken', {
    who: visible
      ? {
          zh: `（${maskName(existing.name)}，编号 ${existing.id}）`,
          en: ` (${maskName(existing.name)}, no. ${existing.id})`,
        }
      : { zh: '', en: '' },
  });
}

async function linkableUser(ctx: Ctx, phone: string | undefined): Promise<number | null> {
  if (!phone) return null;
  const [u] = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.phone, phone),
        sql`not exists (select 1 from party_members p where p.user_id = ${users.id})`,
      ),
    )
    .limit(1);
  return u?.id ?? null;
}

export async function createMember(ctx: Authed, input: MemberCreate): Promise<MemberDetail> {
  const id = checkIdNumber(ctx, input.idNumber);
  const place = await placeOf(ctx, input);
  // Unless told otherwise, a member whose relation is kept here joins the branch covering the compound.
  if (!place.orgId && input.ledger !== 'inService') {
    const [cover] = await repo.coveringBranches(ctx.db, [place.compoundId], null);
    place.orgId = cover?.orgId ?? null;
  }
  const pii = cipher(ctx);
  const idIndex = pii.index(id.value);
  const existing = await repo.memberByIndex(ctx.db, idIndex);
  if (existing) throw await taken(ctx, existing);
  const now = ctx.clock.now();
  let row: repo.MemberRow;
  try {
    row = await repo.insertMember(ctx.db, {
      userId: await linkableUser(ctx, input.phone),
      name: input.name,
      sex: id.sex,
      birthDate: id.birthDate,
      idSealed: pii.seal(id.value),
      idIndex,
      idMasked: maskIdNumber(id.value),
      phone: input.phone ?? null,
      education: input.education ?? null,
      joinedOn: input.joinedOn ?? null,
      standing: input.standing,
      relationAt: input.relationAt ?? null,
      ...place,
      ledger: input.ledger,
      workUnit: input.workUnit ?? null,
      skills: input.skills,
      frail: input.frail,
      ...mobileColumns(input.ledger, input.mobile),
      createdAt: now,
      updatedAt: now,
    });
  } catch (err) {
    // Two people entering the same number at once: the unique index decides.
    if (isUniqueViolation(err)) {
      const again = await repo.memberByIndex(ctx.db, idIndex);
      if (again) throw await taken(ctx, again);
    }
    throw err;
  }
  await repo.insertMemberEvent(ctx.db, {
    memberId: row.id,
    at: now,
    actorUserId: ctx.actor.userId,
    kind: 'created',
  });
  await audit(ctx, {
    action: 'party.member.create',
    entity: 'party_member',
    entityId: row.id,
    scopePath: row.path,
  });
  return getMember(ctx, row.id);
}

/** Fields of an edit, compared with the record: what changed, from what to what. */
const EDITABLE = [
  'name',
  'phone',
  'education',
  'joinedOn',
  'standing',
  'relationAt',
  'compoundId',
  'buildingId',
  'householdId',
  'orgId',
  'workUnit',
  'skills',
  'frail',
] as const;

async function commit(
  ctx: Authed,
  cur: Row,
  version: number,
  values: Partial<typeof partyMembers.$inferInsert>,
  event: { kind: string; changes: Record<string, { from: unknown; to: unknown }> | null; reason?: string },
  action: string,
): Promise<MemberDetail> {
  const now = ctx.clock.now();
  const row = await repo.updateMember(ctx.db, cur.m.id, version, { ...values, updatedAt: now });
  if (!row) throw new AppError('member.stale');
  await repo.insertMemberEvent(ctx.db, {
    memberId: row.id,
    at: now,
    actorUserId: ctx.actor.userId,
    kind: event.kind,
    changes: event.changes,
    reason: event.reason ?? null,
  });
  await audit(ctx, {
    action,
    entity: 'party_member',
    entityId: row.id,
    scopePath: row.path,
    detail: { fields: Object.keys(event.changes ?? {}) },
  });
  return getMember(ctx, row.id);
}

export async function updateMember(ctx: Authed, id: number, patch: MemberUpdate): Promise<MemberDetail> {
  const cur = await loadEditable(ctx, id);
  if (cur.m.version !== patch.version) throw new AppError('member.stale');
  const values: Partial<typeof partyMembers.$inferInsert> = {};
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const m = cur.m as Record<string, unknown>;
  for (const k of EDITABLE) {
    const v = patch[k];
    if (v === undefined) continue;
    const same = Array.isArray(v) ? JSON.stringify(v) === JSON.stringify(m[k]) : (m[k] ?? null) === v;
    if (same) continue;
    (values as Record<string, unknown>)[k] = v;
    changes[k] = { from: m[k] ?? null, to: v };
  }
  if (patch.idNumber !== undefined) {
    const parsed = checkIdNumber(ctx, patch.idNumber);
    const pii = cipher(ctx);
    const idIndex = pii.index(parsed.value);
    if (!idIndex.equals(Buffer.from(cur.m.idIndex))) {
      const other = await repo.memberByIndex(ctx.db, idIndex);
      if (other && other.id !== id) throw await taken(ctx, other);
      Object.assign(values, {
        idSealed: pii.seal(parsed.value),
        idIndex,
        idMasked: maskIdNumber(parsed.value),
        birthDate: parsed.birthDate,
        sex: parsed.sex,
      });
      changes.idNumber = { from: cur.m.idMasked, to: maskIdNumber(parsed.value) };
    }
  }
  if ('compoundId' in changes || 'buildingId' in changes || 'householdId' in changes || 'orgId' in changes) {
    const movedCompound = 'compoundId' in changes;
    const place = await placeOf(ctx, {
      compoundId: patch.compoundId ?? cur.m.compoundId,
      buildingId: patch.buildingId !== undefined ? patch.buildingId : movedCompound ? null : cur.m.buildingId,
      householdId:
        patch.householdId !== undefined ? patch.householdId : movedCompound ? null : cur.m.householdId,
      // A member moving to another community leaves their branch unless one is named.
      orgId: patch.orgId !== undefined ? patch.orgId : movedCompound ? null : cur.m.orgId,
    });
    if (place.orgId !== cur.m.orgId && !('orgId' in changes))
      changes.orgId = { from: cur.m.orgId, to: place.orgId };
    Object.assign(values, place);
  }
  if (Object.keys(changes).length === 0) return getMember(ctx, id);
  return commit(ctx, cur, patch.version, values, { kind: 'updated', changes }, 'party.member.update');
}

export async function moveLedger(ctx: Authed, id: number, input: LedgerMove): Promise<MemberDetail> {
  const cur = await loadEditable(ctx, id);
  if (cur.m.version !== input.version) throw new AppError('member.stale');
  if (cur.m.ledger === input.ledger)
    throw new AppError('member.same_ledger', { ledger: LEDGER_LABELS[input.ledger] });
  const values: Partial<typeof partyMembers.$inferInsert> = {
    ledger: input.ledger,
    ...mobileColumns(input.ledger, input.mobile),
  };
  const changes: Record<string, { from: unknown; to: unknown }> = {
    ledger: { from: cur.m.ledger, to: input.ledger },
  };
  if (input.mobile) changes.mobile = { from: null, to: input.mobile };
  if (input.workUnit !== undefined && input.workUnit !== cur.m.workUnit) {
    values.workUnit = input.workUnit;
    changes.workUnit = { from: cur.m.workUnit, to: input.workUnit };
  }
  // In-service members' party relation is at their employer: they leave the branch here.
  if (input.ledger === 'inService' && cur.m.orgId) {
    values.orgId = null;
    changes.orgId = { from: cur.m.orgId, to: null };
  }
  return commit(
    ctx,
    cur,
    input.version,
    values,
    { kind: 'ledgerMoved', changes, reason: input.reason },
    'party.member.ledger',
  );
}

export async function changeStatus(ctx: Authed, id: number, input: StatusChange): Promise<MemberDetail> {
  const cur = await loadEditable(ctx, id);
  if (cur.m.version !== input.version) throw new AppError('member.stale');
  if (cur.m.status === input.status)
    throw new AppError('member.same_status', { status: STATUS_LABELS[input.status] });
  return commit(
    ctx,
    cur,
    input.version,
    { status: input.status },
    {
      kind: 'statusChanged',
      changes: { status: { from: cur.m.status, to: input.status } },
      reason: input.reason,
    },
    'party.member.status',
  );
}

export async function setColour(ctx: Authed, id: number, input: ColourSet): Promise<MemberDetail> {
  const cur = await loadEditable(ctx, id);
  if (cur.m.version !== input.version) throw new AppError('member.stale');
  const all = await schemes(ctx);
  const suggested = suggestColour(schemeOf(all, cur.m.countyCode), factsOf(cur.m), today(ctx));
  // Choosing the suggestion (or null) clears the override; anything else needs a reason.
  const colour = input.colour === suggested ? null : input.colour;
  if (colour !== null && !input.reason) throw new AppError('member.reason_required');
  const before = (cur.m.colour as Colour | null) ?? suggested;
  return commit(
    ctx,
    cur,
    input.version,
    { colour, colourReason: colour === null ? null : (input.reason ?? null) },
    {
      kind: 'colourSet',
      changes: { colour: { from: before, to: colour ?? suggested } },
      reason: input.reason,
    },
    'party.member.colour',
  );
}

/**
 * A member's own record (their own name and phone in full, the ID number masked) and their
 * branch; null for someone with no record. A record entered by staff with this phone is linked
 * to the account on first look.
 */
export async function myParty(ctx: Authed) {
  let r = await repo.memberOfUser(ctx.db, ctx.actor.userId);
  if (!r && (await repo.linkMemberByPhone(ctx.db, ctx.actor.userId, ctx.actor.phone)))
    r = await repo.memberOfUser(ctx.db, ctx.actor.userId);
  if (!r) return { member: null, branch: null };
  const all = await schemes(ctx);
  const view = present(ctx, r, all);
  const member = { ...view, name: r.m.name, phone: r.m.phone ?? null, can: { edit: false, reveal: false } };
  if (!r.m.orgId) return { member, branch: null };
  const org = await repo.orgById(ctx.db, r.m.orgId);
  if (!org) return { member, branch: null };
  const counts = (await repo.orgMemberCounts(ctx.db, [org.id])).get(org.id) ?? { full: 0, probationary: 0 };
  const cs = await repo.orgCompounds(ctx.db, [org.id]);
  return {
    member,
    branch: {
      id: org.id,
      kind: org.kind,
      name: org.name,
      compounds: cs.map((c) => ({ id: c.id, name: c.name })),
      members: counts,
    },
  };
}

// Export -----------------------------------------------------------------------------------------

const EXPORT_COLUMNS = [
  { header: '姓名', key: 'name', width: 10 },
  { header: '性别', key: 'sex', width: 6 },
  { header: '出生日期', key: 'birthDate', width: 12 },
  { header: '身份证号', key: 'idNumber', width: 22 },
  { header: '手机号', key: 'phone', width: 14 },
  { header: '小区', key: 'compound', width: 18 },
  { header: '小区名称', key: 'compoundName', width: 20 },
  { header: '台账类别', key: 'ledger', width: 12 },
  { header: '党员类别', key: 'standing', width: 10 },
  { header: '学历', key: 'education', width: 10 },
  { header: '入党日期', key: 'joinedOn', width: 12 },
  { header: '组织关系所在', key: 'relationAt', width: 20 },
  { header: '工作单位', key: 'workUnit', width: 20 },
  { header: '特长', key: 'skills', width: 16 },
  { header: '体弱', key: 'frail', width: 6 },
  { header: '颜色', key: 'colour', width: 6 },
  { header: '所在支部', key: 'org', width: 20 },
  { header: '状态', key: 'status', width: 8 },
  { header: '流动方向', key: 'mobileDirection', width: 10 },
  { header: '流向地或来源地', key: 'mobilePlace', width: 18 },
  { header: '流动党员联系方式', key: 'mobileContact', width: 16 },
  { header: '活动证号', key: 'mobileCertificate', width: 14 },
  { header: '流动起始日期', key: 'mobileSince', width: 12 },
];
const COLOUR_ZH: Record<Colour, string> = { red: '红', orange: '橙', purple: '紫', blue: '蓝', green: '绿' };

/**
 * A filtered list as .xlsx, streamed. Masked unless `full` is asked for by someone who may
 * unmask (then per row, where they may); either way the export is in the audit log. Its headers
 * are the import template's, so an unmasked export can be corrected and imported again.
 */
export async function exportMembers(
  ctx: Authed,
  q: Omit<MemberListQuery, 'cursor' | 'limit'>,
  full: boolean,
): Promise<{ stream: NodeJS.ReadableStream; rows: number }> {
  if (full && !hasAnyRole(ctx.actor, REVEAL_ROLES)) throw new AppError('access.forbidden');
  const { where, colour } = await memberFilter(ctx, q);
  const rows = await repo.countMembers(ctx.db, where);
  await audit(ctx, {
    action: full ? 'party.member.export_full' : 'party.member.export',
    entity: 'party_member',
    scopePath: memberScopes(ctx.actor)[0] ?? null,
    detail: { rows, filters: q },
  });
  const w = exportWriter(EXPORT_COLUMNS);
  const pii = cipher(ctx);
  void (async () => {
    let after: number | null = null;
    for (;;) {
      const page = await repo.listMembers(ctx.db, where, colour, after, 2_000);
      for (const r of page) {
        const m = r.m;
        const open = full && canRevealAt(ctx.actor, m.path);
        w.add({
          name: open ? m.name : maskName(m.name),
          sex: m.sex === 'male' ? '男' : '女',
          birthDate: m.birthDate,
          idNumber: open ? pii.open(Buffer.from(m.idSealed)) : m.idMasked,
          phone: m.phone ? (open ? m.phone : maskPhone(m.phone)) : '',
          compound: r.compoundCode,
          compoundName: r.compoundName,
          ledger: LEDGER_ZH[m.ledger as Ledger],
          standing: m.standing === 'full' ? '正式党员' : '预备党员',
          education: m.education ? EDUCATION_ZH[m.education as Education] : '',
          joinedOn: m.joinedOn ?? '',
          relationAt: m.relationAt ?? '',
          workUnit: m.workUnit ?? '',
          skills: m.skills.join('、'),
          frail: m.frail ? '是' : '否',
          colour: r.effectiveColour ? COLOUR_ZH[r.effectiveColour as Colour] : '',
          org: r.orgName ?? '',
          status: STATUS_LABELS[m.status as keyof typeof STATUS_LABELS].zh,
          mobileDirection: m.mobileDirection === 'out' ? '流出' : m.mobileDirection === 'in' ? '流入' : '',
          mobilePlace: m.mobilePlace ?? '',
          mobileContact: m.mobileContact ?? '',
          mobileCertificate: m.mobileCertificate ?? '',
          mobileSince: m.mobileSince ?? '',
        });
      }
      if (page.length < 2_000) break;
      after = (page.at(-1) as Row).m.id;
    }
    await w.end();
  })().catch((err) => {
    ctx.log.error({ err }, 'party member export failed');
    (w.stream as import('node:stream').PassThrough).destroy(err as Error);
  });
  return { stream: w.stream, rows };
}

// Five-colour schemes ----------------------------------------------------------------------------

async function county(ctx: Authed, code: string) {
  const r = await geo.regionByCode(ctx.db, code);
  const within = (path: string) =>
    memberScopes(ctx.actor).some((p) => p.startsWith(path) || path.startsWith(p));
  if (r?.level !== 'county' || !within(r.path)) throw new AppError('region.not_found');
  return r;
}

/** A county's scheme (浑源's when it has none), for anyone doing party work in or over it. */
export async function colourScheme(ctx: Authed, countyCode: string): Promise<ColourSchemeView> {
  const c = await county(ctx, countyCode);
  const own = (await repo.schemesOf(ctx.db, [c.code])).get(c.code);
  return {
    countyCode: c.code,
    entries: own ?? DEFAULT_COLOUR_SCHEME,
    isDefault: !own,
    can: { edit: canSetSchemeAt(ctx.actor, c.path) },
  };
}

export async function setColourScheme(
  ctx: Authed,
  countyCode: string,
  entries: ColourEntry[],
): Promise<ColourSchemeView> {
  const c = await county(ctx, countyCode);
  if (!canSetSchemeAt(ctx.actor, c.path)) throw new AppError('access.forbidden');
  await repo.upsertScheme(ctx.db, c.code, entries, ctx.clock.now(), ctx.actor.userId);
  await audit(ctx, {
    action: 'party.colour_scheme.set',
    entity: 'party_colour_scheme',
    entityId: c.code,
    scopePath: c.path,
    detail: { colours: entries.map((e) => `${e.colour}:${e.rule.kind}`) },
  });
  return colourScheme(ctx, c.code);
}
