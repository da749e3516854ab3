/**
 * 双报到: units register with the communities their staff live in (agreement, pledged
 * resources), and in-service members register with the community where they live from the phone
 * app; the community confirms (the member goes onto that compound's in-service ledger, linked to
 * their account) or rejects with a reason. Per unit: registered staff against its expected count.
 */
import { and, desc, eq, inArray, like, type SQL, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type {
  RegistrationCreate,
  RegistrationDecision,
  RegistrationView,
  UnitCreate,
  UnitView,
} from '../../contracts/party.ts';
import { users } from '../auth/tables.ts';
import { type Actor, coversPath, scopeWhere } from '../core/access.ts';
import { audit } from '../core/audit.ts';
import { AppError } from '../core/errors.ts';
import { maskName, maskPhone } from '../core/mask.ts';
import * as geo from '../geo/repo.ts';
import { compounds, regions } from '../geo/tables.ts';
import { createUser, ensureCommunityGrant } from '../users/service.ts';
import { maskIdNumber } from './id-number.ts';
import { canEditMemberAt, memberScopes, ORG_ROLES } from './policy.ts';
import * as repo from './repo.ts';
import { type Authed, checkIdNumber, cipher } from './service.ts';
import {
  partyMemberEvents,
  partyMembers,
  partyRegistrations,
  partyUnitAdmins,
  partyUnitCommunities,
  partyUnits,
} from './tables.ts';

const REASON = '双报到确认';

/** Communities confirm registrations: community level and above, over the member's compound. */
const canDecideAt = (a: Actor, path: string) => coversPath(a, ORG_ROLES, path);

/**
 * Where the actor sees units: their party-work areas, a compound secretary's widened to the
 * community (units register with communities, not compounds).
 */
const unitScopes = (a: Actor) => [
  ...new Set(
    memberScopes(a).map((p) =>
      p
        .split('.')
        .filter(Boolean)
        .slice(0, 4)
        .map((x) => `${x}.`)
        .join(''),
    ),
  ),
];

// Members registering --------------------------------------------------------------------------

export async function register(ctx: Authed, input: RegistrationCreate): Promise<RegistrationView> {
  const id = checkIdNumber(ctx, input.idNumber);
  const c = await geo.compoundByIdRaw(ctx.db, input.compoundId);
  if (!c) throw new AppError('compound.not_found');
  let unitName: string | null = null;
  if (input.unitId) {
    const [u] = await ctx.db.select().from(partyUnits).where(eq(partyUnits.id, input.unitId)).limit(1);
    if (!u) throw new AppError('unit.not_found');
    unitName = u.name;
  }
  const workUnit = input.workUnit?.trim() || unitName;
  if (!workUnit)
    throw new AppError('request.invalid', {}, [
      { path: 'workUnit', message: ctx.locale === 'en' ? 'Name your employer' : '请填写工作单位' },
    ]);
  const pii = cipher(ctx);
  const [pending] = await ctx.db
    .select({ id: partyRegistrations.id })
    .from(partyRegistrations)
    .where(and(eq(partyRegistrations.userId, ctx.actor.userId), eq(partyRegistrations.status, 'pending')))
    .limit(1);
  if (pending) throw new AppError('registration.pending_exists');
  const [row] = await ctx.db
    .insert(partyRegistrations)
    .values({
      userId: ctx.actor.userId,
      name: input.name,
      sex: id.sex,
      birthDate: id.birthDate,
      idSealed: pii.seal(id.value),
      idIndex: pii.index(id.value),
      idMasked: maskIdNumber(id.value),
      phone: ctx.actor.phone,
      unitId: input.unitId ?? null,
      workUnit,
      compoundId: c.id,
      communityCode: c.communityCode,
      path: c.path,
      skills: input.skills,
      leader: input.leader,
      createdAt: ctx.clock.now(),
    })
    .returning({ id: partyRegistrations.id });
  await audit(ctx, {
    action: 'party.registration.create',
    entity: 'party_registration',
    entityId: row?.id,
    scopePath: c.path,
  });
  return (
    await views(ctx, eq(partyRegistrations.id, row?.id as number), { own: true })
  )[0] as RegistrationView;
}

export async function myRegistrations(ctx: Authed): Promise<RegistrationView[]> {
  return views(ctx, eq(partyRegistrations.userId, ctx.actor.userId), { own: true });
}

export async function withdraw(ctx: Authed, id: number): Promise<RegistrationView> {
  const rows = await ctx.db
    .update(partyRegistrations)
    .set({ status: 'withdrawn', decidedAt: ctx.clock.now() })
    .where(
      and(
        eq(partyRegistrations.id, id),
        eq(partyRegistrations.userId, ctx.actor.userId),
        eq(partyRegistrations.status, 'pending'),
      ),
    )
    .returning({ id: partyRegistrations.id });
  if (rows.length === 0) throw new AppError('registration.not_found');
  return (await views(ctx, eq(partyRegistrations.id, id), { own: true }))[0] as RegistrationView;
}

// Communities deciding ---------------------------------------------------------------------------

export async function listRegistrations(ctx: Authed, q: { status?: string; unitId?: number }) {
  const parts: SQL[] = [scopeWhere(partyRegistrations.path, memberScopes(ctx.actor))];
  if (q.status) parts.push(eq(partyRegistrations.status, q.status));
  if (q.unitId) parts.push(eq(partyRegistrations.unitId, q.unitId));
  return views(ctx, and(...parts) as SQL);
}

export async function decide(
  ctx: Authed,
  id: number,
  input: RegistrationDecision,
): Promise<RegistrationView> {
  const [r] = await ctx.db
    .select()
    .from(partyRegistrations)
    .where(and(eq(partyRegistrations.id, id), scopeWhere(partyRegistrations.path, memberScopes(ctx.actor))))
    .for('update')
    .limit(1);
  if (!r) throw new AppError('registration.not_found');
  if (!canDecideAt(ctx.actor, r.path)) throw new AppError('access.forbidden');
  if (r.status !== 'pending') throw new AppError('registration.decided');
  const now = ctx.clock.now();
  if (input.decision === 'reject') {
    if (!input.reason)
      throw new AppError('request.invalid', {}, [
        { path: 'reason', message: ctx.locale === 'en' ? 'Say why' : '请填写不予确认的原因' },
      ]);
    await ctx.db
      .update(partyRegistrations)
      .set({ status: 'rejected', reason: input.reason, decidedBy: ctx.actor.userId, decidedAt: now })
      .where(eq(partyRegistrations.id, id));
    await audit(ctx, {
      action: 'party.registration.reject',
      entity: 'party_registration',
      entityId: id,
      scopePath: r.path,
    });
    return (await views(ctx, eq(partyRegistrations.id, id)))[0] as RegistrationView;
  }
  // Confirmed: onto the in-service ledger of the compound they live in.
  const c = await geo.compoundByIdRaw(ctx.db, r.compoundId);
  if (!c) throw new AppError('compound.not_found');
  const existing = await repo.memberByIndex(ctx.db, Buffer.from(r.idIndex));
  let memberId: number;
  if (existing) {
    if (!canEditMemberAt(ctx.actor, existing.path))
      throw new AppError('member.id_number_taken', { who: { zh: '', en: '' } });
    const [m] = await ctx.db
      .select()
      .from(partyMembers)
      .where(eq(partyMembers.id, existing.id))
      .for('update');
    if (!m) throw new AppError('member.not_found');
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (m.ledger !== 'inService') changes.ledger = { from: m.ledger, to: 'inService' };
    if (m.workUnit !== r.workUnit) changes.workUnit = { from: m.workUnit, to: r.workUnit };
    if (m.compoundId !== c.id) changes.compoundId = { from: m.compoundId, to: c.id };
    const skills = [...new Set([...m.skills, ...r.skills])];
    if (skills.length !== m.skills.length) changes.skills = { from: m.skills, to: skills };
    const linked = await userFree(ctx, r.userId, m.id);
    await ctx.db
      .update(partyMembers)
      .set({
        ledger: 'inService',
        workUnit: r.workUnit,
        relationAt: m.relationAt ?? r.workUnit,
        skills,
        orgId: null,
        compoundId: c.id,
        buildingId: m.compoundId === c.id ? m.buildingId : null,
        householdId: m.compoundId === c.id ? m.householdId : null,
        communityCode: c.communityCode,
        countyCode: c.countyCode,
        path: c.path,
        userId: m.userId ?? (linked ? r.userId : null),
        mobileDirection: null,
        mobilePlace: null,
        mobileContact: null,
        mobileCertificate: null,
        mobileSince: null,
        version: sql`${partyMembers.version} + 1`,
        updatedAt: now,
      })
      .where(eq(partyMembers.id, m.id));
    await ctx.db.insert(partyMemberEvents).values({
      memberId: m.id,
      at: now,
      actorUserId: ctx.actor.userId,
      kind: 'ledger' in changes ? 'ledgerMoved' : 'updated',
      changes,
      reason: REASON,
    });
    memberId = m.id;
  } else {
    const row = await repo.insertMember(ctx.db, {
      userId: (await userFree(ctx, r.userId, null)) ? r.userId : null,
      name: r.name,
      sex: r.sex,
      birthDate: r.birthDate,
      idSealed: Buffer.from(r.idSealed),
      idIndex: Buffer.from(r.idIndex),
      idMasked: r.idMasked,
      phone: r.phone,
      standing: 'full',
      relationAt: r.workUnit,
      compoundId: c.id,
      communityCode: c.communityCode,
      countyCode: c.countyCode,
      path: c.path,
      ledger: 'inService',
      workUnit: r.workUnit,
      skills: r.skills,
      createdAt: now,
      updatedAt: now,
    });
    await ctx.db
      .insert(partyMemberEvents)
      .values({ memberId: row.id, at: now, actorUserId: ctx.actor.userId, kind: 'created', reason: REASON });
    memberId = row.id;
  }
  await ctx.db
    .update(partyRegistrations)
    .set({
      status: 'confirmed',
      decidedBy: ctx.actor.userId,
      decidedAt: now,
      memberId,
      reason: input.reason ?? null,
    })
    .where(eq(partyRegistrations.id, id));
  await audit(ctx, {
    action: 'party.registration.confirm',
    entity: 'party_registration',
    entityId: id,
    scopePath: r.path,
    detail: { memberId },
  });
  return (await views(ctx, eq(partyRegistrations.id, id)))[0] as RegistrationView;
}

/** Whether the account may be linked to this record (no other record holds it). */
async function userFree(ctx: Authed, userId: number, memberId: number | null): Promise<boolean> {
  const [other] = await ctx.db
    .select({ id: partyMembers.id })
    .from(partyMembers)
    .where(eq(partyMembers.userId, userId))
    .limit(1);
  return !other || other.id === memberId;
}

async function views(ctx: Authed, where: SQL, o: { own?: boolean } = {}): Promise<RegistrationView[]> {
  const rows = await ctx.db
    .select({
      r: partyRegistrations,
      compoundName: compounds.name,
      communityName: regions.name,
      unitName: partyUnits.name,
    })
    .from(partyRegistrations)
    .innerJoin(compounds, eq(compounds.id, partyRegistrations.compoundId))
    .leftJoin(regions, eq(regions.code, partyRegistrations.communityCode))
    .leftJoin(partyUnits, eq(partyUnits.id, partyRegistrations.unitId))
    .where(where)
    .orderBy(desc(partyRegistrations.id))
    .limit(500);
  return rows.map(({ r, compoundName, communityName, unitName }) => ({
    id: r.id,
    name: o.own ? r.name : maskName(r.name),
    idNumber: r.idMasked,
    phone: o.own ? r.phone : maskPhone(r.phone),
    unit: r.unitId && unitName ? { id: r.unitId, name: unitName } : null,
    workUnit: r.workUnit,
    community: { code: r.communityCode, name: communityName ?? r.communityCode },
    compound: { id: r.compoundId, name: compoundName },
    skills: r.skills,
    leader: r.leader,
    status: r.status as RegistrationView['status'],
    reason: r.reason ?? null,
    createdAt: r.createdAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
    can: {
      decide: r.status === 'pending' && canDecideAt(ctx.actor, r.path),
      withdraw: r.status === 'pending' && r.userId === ctx.actor.userId,
    },
  }));
}

// Units ------------------------------------------------------------------------------------------

/** A unit registers with a community (made on first registration, found by name after). */
export async function registerUnit(ctx: Authed, input: UnitCreate): Promise<UnitView> {
  const c = await geo.regionByCode(ctx.db, input.communityCode);
  if (c?.level !== 'community' || !unitScopes(ctx.actor).some((s) => c.path.startsWith(s)))
    throw new AppError('region.not_found');
  if (!canDecideAt(ctx.actor, c.path)) throw new AppError('access.forbidden');
  const now = ctx.clock.now();
  await ctx.db
    .insert(partyUnits)
    .values({
      name: input.name,
      contactName: input.contactName ?? null,
      contactPhone: input.contactPhone ?? null,
      expectedMembers: input.expectedMembers,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing();
  const [unit] = await ctx.db.select().from(partyUnits).where(eq(partyUnits.name, input.name)).limit(1);
  if (!unit) throw new Error('unit vanished');
  const linked = await ctx.db
    .insert(partyUnitCommunities)
    .values({
      unitId: unit.id,
      communityCode: c.code,
      path: c.path,
      agreement: input.agreement ?? null,
      pledged: input.pledged ?? null,
      contactName: input.contactName ?? null,
      contactPhone: input.contactPhone ?? null,
      signedOn: input.signedOn ?? null,
      createdAt: now,
      createdBy: ctx.actor.userId,
    })
    .onConflictDoNothing()
    .returning({ id: partyUnitCommunities.id });
  if (linked.length === 0) throw new AppError('unit.already_registered', { name: unit.name });
  await audit(ctx, {
    action: 'party.unit.register',
    entity: 'party_unit',
    entityId: unit.id,
    scopePath: c.path,
    detail: { community: c.code },
  });
  return (await unitViews(ctx, [unit.id]))[0] as UnitView;
}

/** Units registered in the actor's area, and those they administer. */
export async function listUnits(ctx: Authed): Promise<UnitView[]> {
  const inArea = await ctx.db
    .selectDistinct({ id: partyUnitCommunities.unitId })
    .from(partyUnitCommunities)
    .where(scopeWhere(partyUnitCommunities.path, unitScopes(ctx.actor)));
  const mine = await ctx.db
    .select({ id: partyUnitAdmins.unitId })
    .from(partyUnitAdmins)
    .where(eq(partyUnitAdmins.userId, ctx.actor.userId));
  return unitViews(ctx, [...new Set([...inArea, ...mine].map((x) => x.id))]);
}

/** The units the actor administers (本单位报到): only those, whatever else their roles show them. */
export async function myUnits(ctx: Authed): Promise<UnitView[]> {
  const mine = await ctx.db
    .select({ id: partyUnitAdmins.unitId })
    .from(partyUnitAdmins)
    .where(eq(partyUnitAdmins.userId, ctx.actor.userId));
  return unitViews(
    ctx,
    mine.map((x) => x.id),
  );
}

/** Names of units to pick from in the phone app (no contacts, no counts). */
export async function searchUnits(ctx: Authed, q: string) {
  const text = q.replace(/[%_\\]/g, (ch) => `\\${ch}`);
  return ctx.db
    .select({ id: partyUnits.id, name: partyUnits.name })
    .from(partyUnits)
    .where(like(partyUnits.name, `%${text}%`))
    .orderBy(partyUnits.name)
    .limit(20);
}

/**
 * Makes someone (by phone) an administrator of a unit registered in the actor's area. Unit
 * administrators work in the console, which opens to the unitAdmin role: one who does not hold it
 * over this community is granted it here (audited as any grant). A phone without an account gets
 * one when a name is given (it signs in with an SMS code), as an administrator would create it.
 */
export async function addUnitAdmin(
  ctx: Authed,
  unitId: number,
  input: { phone: string; name?: string },
): Promise<UnitView> {
  const [link] = await ctx.db
    .select()
    .from(partyUnitCommunities)
    .where(
      and(
        eq(partyUnitCommunities.unitId, unitId),
        scopeWhere(partyUnitCommunities.path, unitScopes(ctx.actor)),
      ),
    )
    .limit(1);
  if (!link) throw new AppError('unit.not_found');
  if (!canDecideAt(ctx.actor, link.path)) throw new AppError('access.forbidden');
  const [u] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.phone, input.phone)).limit(1);
  let userId: number;
  if (u) {
    userId = u.id;
    await ensureCommunityGrant(
      ctx,
      userId,
      'unitAdmin',
      { code: link.communityCode, path: link.path },
      { unitId },
    );
  } else if (input.name) {
    userId = (
      await createUser(ctx, {
        phone: input.phone,
        name: input.name,
        grant: { role: 'unitAdmin', nodeRef: link.communityCode },
      })
    ).id;
  } else
    throw new AppError('request.invalid', {}, [
      {
        path: 'name',
        message:
          ctx.locale === 'en'
            ? 'This phone has no account yet: give the name to open one'
            : '该手机号还没有账号：填写姓名即可为其开通',
      },
    ]);
  await ctx.db.insert(partyUnitAdmins).values({ unitId, userId }).onConflictDoNothing();
  await audit(ctx, {
    action: 'party.unit.admin',
    entity: 'party_unit',
    entityId: unitId,
    scopePath: link.path,
    detail: { userId },
  });
  return (await unitViews(ctx, [unitId]))[0] as UnitView;
}

/** A unit's staff registrations: for its administrators, and party staff where the unit is registered. */
export async function unitRegistrations(
  ctx: Authed,
  unitId: number,
  q: { status?: string } = {},
): Promise<RegistrationView[]> {
  const [admin] = await ctx.db
    .select()
    .from(partyUnitAdmins)
    .where(and(eq(partyUnitAdmins.unitId, unitId), eq(partyUnitAdmins.userId, ctx.actor.userId)))
    .limit(1);
  if (admin)
    return views(
      ctx,
      and(
        eq(partyRegistrations.unitId, unitId),
        q.status ? eq(partyRegistrations.status, q.status) : undefined,
      ) as SQL,
    );
  const visible = (await listUnits(ctx)).some((u) => u.id === unitId);
  if (!visible) throw new AppError('unit.not_found');
  return listRegistrations(ctx, { unitId, status: q.status });
}

async function unitViews(ctx: Authed, ids: number[]): Promise<UnitView[]> {
  if (ids.length === 0) return [];
  const units = await ctx.db
    .select()
    .from(partyUnits)
    .where(inArray(partyUnits.id, ids))
    .orderBy(partyUnits.name);
  const links = await ctx.db
    .select({ l: partyUnitCommunities, name: regions.name })
    .from(partyUnitCommunities)
    .innerJoin(regions, eq(regions.code, partyUnitCommunities.communityCode))
    .where(inArray(partyUnitCommunities.unitId, ids));
  const counts = await ctx.db
    .select({
      unitId: partyRegistrations.unitId,
      confirmed: sql<number>`count(*) filter (where status = 'confirmed')::int`,
      pending: sql<number>`count(*) filter (where status = 'pending')::int`,
    })
    .from(partyRegistrations)
    .where(inArray(partyRegistrations.unitId, ids))
    .groupBy(partyRegistrations.unitId);
  return units.map((u) => {
    const mine = links.filter((x) => x.l.unitId === u.id);
    const n = counts.find((x) => x.unitId === u.id);
    return {
      id: u.id,
      name: u.name,
      contactName: u.contactName ? maskName(u.contactName) : null,
      contactPhone: u.contactPhone ? maskPhone(u.contactPhone) : null,
      expectedMembers: u.expectedMembers,
      registered: n?.confirmed ?? 0,
      pending: n?.pending ?? 0,
      communities: mine.map((x) => ({
        code: x.l.communityCode,
        name: x.name,
        agreement: x.l.agreement ?? null,
        pledged: x.l.pledged ?? null,
        signedOn: x.l.signedOn ?? null,
      })),
      can: { edit: mine.some((x) => canDecideAt(ctx.actor, x.l.path)) },
    };
  });
}

const STATUS_ZH: Record<RegistrationView['status'], string> = {
  pending: '待社区确认',
  confirmed: '已确认',
  rejected: '未通过',
  withdrawn: '已撤回',
};
/** 'YYYY-MM-DD HH:mm' in Asia/Shanghai (UTC+8 all year). */
const shanghai = (iso: string | null) =>
  iso ? new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') : '';

/** A unit's staff registrations as .xlsx, masked as on screen, for whoever may see them. */
export async function unitRegistrationsWorkbook(
  ctx: Authed,
  unitId: number,
  q: { status?: string } = {},
): Promise<{ unitName: string; body: Buffer }> {
  const rows = await unitRegistrations(ctx, unitId, q);
  const [unit] = await ctx.db
    .select({ name: partyUnits.name })
    .from(partyUnits)
    .where(eq(partyUnits.id, unitId))
    .limit(1);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('在职党员报到');
  ws.columns = [
    { header: '姓名', key: 'name', width: 10 },
    { header: '手机号', key: 'phone', width: 14 },
    { header: '报到社区', key: 'community', width: 16 },
    { header: '居住小区', key: 'compound', width: 22 },
    { header: '特长技能', key: 'skills', width: 20 },
    { header: '担任领导职务', key: 'leader', width: 12 },
    { header: '状态', key: 'status', width: 12 },
    { header: '说明', key: 'reason', width: 28 },
    { header: '报到时间', key: 'createdAt', width: 17 },
    { header: '处理时间', key: 'decidedAt', width: 17 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const r of rows)
    ws.addRow({
      name: r.name,
      phone: r.phone,
      community: r.community.name,
      compound: r.compound.name,
      skills: r.skills.join('、'),
      leader: r.leader ? '是' : '否',
      status: STATUS_ZH[r.status],
      reason: r.reason ?? '',
      createdAt: shanghai(r.createdAt),
      decidedAt: shanghai(r.decidedAt),
    });
  return { unitName: unit?.name ?? String(unitId), body: Buffer.from(await wb.xlsx.writeBuffer()) };
}
