/**
 * 党组织: create, rename, change the compounds a branch covers, merge, dissolve. Nothing is
 * deleted; every step is an event in the organisation's history and an audit entry.
 */
import { and, eq, sql } from 'drizzle-orm';
import {
  BRANCH_MIN_FULL_MEMBERS,
  ORG_PARENT,
  type OrgCreate,
  type OrgKind,
  type OrgTree,
  type OrgUpdate,
  type OrgView,
} from '../../contracts/party.ts';
import { coversPath } from '../core/access.ts';
import { audit } from '../core/audit.ts';
import { AppError } from '../core/errors.ts';
import * as geo from '../geo/repo.ts';
import { buildings, compounds, households } from '../geo/tables.ts';
import { shanghaiDate } from '../tickets/worktime.ts';
import { canEditOrgAt, PARTY_ROLES } from './policy.ts';
import * as repo from './repo.ts';
import type { Authed } from './service.ts';

export const ORG_KIND_LABELS: Record<OrgKind, { zh: string; en: string }> = {
  committee: { zh: '社区党委', en: 'committee' },
  generalBranch: { zh: '社区党总支', en: 'general branch' },
  branch: { zh: '党支部', en: 'branch' },
  group: { zh: '党小组', en: 'party group' },
  centralHousehold: { zh: '党员中心户', en: 'party-member household' },
};

async function community(ctx: Authed, code: string) {
  const r = await geo.regionByCode(ctx.db, code);
  if (r?.level !== 'community') throw new AppError('region.not_found');
  return r;
}

/** Who may look at a community's organisations: party roles over it, or a secretary of one of its compounds. */
function canViewCommunity(ctx: Authed, path: string): boolean {
  return (
    coversPath(ctx.actor, PARTY_ROLES, path) ||
    ctx.actor.grants.some((g) => g.role === 'compoundSecretary' && g.scopePath.startsWith(path))
  );
}

async function editable(ctx: Authed, id: number) {
  const o = await repo.lockOrg(ctx.db, id);
  if (!o) throw new AppError('party_org.not_found');
  const c = await community(ctx, o.communityCode);
  if (!canViewCommunity(ctx, c.path)) throw new AppError('party_org.not_found');
  if (!canEditOrgAt(ctx.actor, c.path)) throw new AppError('access.forbidden');
  if (o.status !== 'active') throw new AppError('party_org.not_active');
  return { org: o, community: c };
}

/** The compounds must be the community's, and covered by no other active branch. */
async function checkCompounds(ctx: Authed, communityCode: string, ids: number[], self: number | null) {
  for (const id of ids) {
    const c = await geo.compoundByIdRaw(ctx.db, id);
    if (!c || c.communityCode !== communityCode) throw new AppError('compound.not_found');
  }
  const [clash] = await repo.coveringBranches(ctx.db, ids, self);
  if (clash)
    throw new AppError('party_org.compound_taken', { compound: clash.compoundName, org: clash.orgName });
  const full = await repo.countFullMembersIn(ctx.db, ids);
  if (full < BRANCH_MIN_FULL_MEMBERS)
    throw new AppError('party_org.too_few_members', { min: BRANCH_MIN_FULL_MEMBERS, count: full });
}

async function event(
  ctx: Authed,
  orgId: number,
  kind: string,
  data: Record<string, unknown> | null,
  path: string,
) {
  await repo.insertOrgEvent(ctx.db, {
    orgId,
    at: ctx.clock.now(),
    actorUserId: ctx.actor.userId,
    kind,
    data,
  });
  await audit(ctx, {
    action: `party.org.${kind}`,
    entity: 'party_org',
    entityId: orgId,
    scopePath: path,
    detail: data ?? undefined,
  });
}

export async function createOrg(ctx: Authed, input: OrgCreate): Promise<OrgView> {
  const c = await community(ctx, input.communityCode);
  if (!canViewCommunity(ctx, c.path)) throw new AppError('region.not_found');
  if (!canEditOrgAt(ctx.actor, c.path)) throw new AppError('access.forbidden');
  // One organisation is set up at a time per community: the checks below read, then write.
  await ctx.db.execute(sql`select pg_advisory_xact_lock(hashtext(${`party-orgs:${c.code}`}))`);
  const kindLabel = ORG_KIND_LABELS[input.kind];
  const allowed = ORG_PARENT[input.kind];
  let parent: repo.OrgRow | undefined;
  if (input.parentId) {
    parent = await repo.orgById(ctx.db, input.parentId);
    if (
      !parent ||
      parent.communityCode !== c.code ||
      parent.status !== 'active' ||
      !allowed.includes(parent.kind as OrgKind)
    )
      throw new AppError('party_org.parent_invalid', { kind: kindLabel });
  } else if (!allowed.includes(null)) throw new AppError('party_org.parent_invalid', { kind: kindLabel });

  const siblings = await repo.orgsOfCommunity(ctx.db, c.code);
  if (input.kind === 'committee' || input.kind === 'generalBranch') {
    const head = siblings.find(
      (o) => o.status === 'active' && (o.kind === 'committee' || o.kind === 'generalBranch'),
    );
    if (head) throw new AppError('party_org.head_exists', { name: head.name });
  }
  let compoundIds: number[] = [];
  if (input.kind === 'branch') {
    compoundIds = [...new Set(input.compoundIds)];
    if (compoundIds.length === 0)
      throw new AppError('request.invalid', {}, [
        {
          path: 'compoundIds',
          message: ctx.locale === 'en' ? 'Choose the compounds it covers' : '请选择该支部覆盖的小区',
        },
      ]);
    await checkCompounds(ctx, c.code, compoundIds, null);
  }
  // A group sits in one of its branch's buildings; a party-member household in one of its households.
  const parentCompounds = parent ? (await repo.orgCompounds(ctx.db, [parent.id])).map((x) => x.id) : [];
  if (input.kind === 'group') {
    const [b] = input.buildingId
      ? await ctx.db
          .select({ compoundId: buildings.compoundId })
          .from(buildings)
          .where(eq(buildings.id, input.buildingId))
      : [];
    if (!b || !parentCompounds.includes(b.compoundId)) throw new AppError('member.place_mismatch');
  }
  if (input.kind === 'centralHousehold') {
    const [h] = input.householdId
      ? await ctx.db
          .select({ compoundId: buildings.compoundId })
          .from(households)
          .innerJoin(buildings, eq(buildings.id, households.buildingId))
          .where(eq(households.id, input.householdId))
      : [];
    const branchCompounds =
      parent?.kind === 'group' && parent.parentId
        ? (await repo.orgCompounds(ctx.db, [parent.parentId])).map((x) => x.id)
        : parentCompounds;
    if (!h || !branchCompounds.includes(h.compoundId)) throw new AppError('member.place_mismatch');
  }
  const now = ctx.clock.now();
  const org = await repo.insertOrg(ctx.db, {
    kind: input.kind,
    name: input.name,
    parentId: parent?.id ?? null,
    communityCode: c.code,
    countyCode: c.code.slice(0, 6),
    path: c.path,
    buildingId: input.kind === 'group' ? (input.buildingId ?? null) : null,
    householdId: input.kind === 'centralHousehold' ? (input.householdId ?? null) : null,
    foundedOn: input.foundedOn ?? shanghaiDate(now),
    createdAt: now,
    updatedAt: now,
  });
  await repo.setOrgCompounds(ctx.db, org.id, compoundIds);
  const adopted = input.kind === 'branch' ? await repo.adoptMembers(ctx.db, org.id, compoundIds) : [];
  await event(
    ctx,
    org.id,
    'created',
    { kind: input.kind, name: input.name, compoundIds, adopted: adopted.length },
    c.path,
  );
  return viewOf(ctx, org.id);
}

export async function updateOrg(ctx: Authed, id: number, input: OrgUpdate): Promise<OrgView> {
  const { org, community: c } = await editable(ctx, id);
  const now = ctx.clock.now();
  if (input.name !== undefined && input.name !== org.name) {
    await repo.updateOrg(ctx.db, id, { name: input.name, updatedAt: now });
    await event(ctx, id, 'renamed', { from: org.name, to: input.name, reason: input.reason ?? null }, c.path);
  }
  if (input.compoundIds !== undefined && org.kind === 'branch') {
    const next = [...new Set(input.compoundIds)];
    const before = (await repo.orgCompounds(ctx.db, [id])).map((x) => x.id);
    if (JSON.stringify([...before].sort()) !== JSON.stringify([...next].sort())) {
      await checkCompounds(ctx, c.code, next, id);
      await repo.setOrgCompounds(ctx.db, id, next);
      // Members of compounds the branch no longer covers leave it; those of new ones join it.
      const gone = before.filter((x) => !next.includes(x));
      if (gone.length)
        await ctx.db.execute(
          sql`update party_members set org_id = null where org_id = ${id} and compound_id in (${sql.join(
            gone.map((g) => sql`${g}`),
            sql`, `,
          )})`,
        );
      await repo.adoptMembers(ctx.db, id, next);
      await repo.updateOrg(ctx.db, id, { updatedAt: now });
      await event(
        ctx,
        id,
        'compoundsChanged',
        { from: before, to: next, reason: input.reason ?? null },
        c.path,
      );
    }
  }
  return viewOf(ctx, id);
}

export async function mergeOrg(
  ctx: Authed,
  id: number,
  input: { intoId: number; reason: string },
): Promise<OrgView> {
  // Lock both in id order, so two merges the other way round cannot deadlock.
  const [first, second] = id < input.intoId ? [id, input.intoId] : [input.intoId, id];
  const a = await editable(ctx, first);
  if (id === input.intoId) throw new AppError('party_org.merge_mismatch');
  const b = await editable(ctx, second);
  const from = a.org.id === id ? a : b;
  const into = a.org.id === id ? b : a;
  if (from.org.kind !== into.org.kind || from.org.communityCode !== into.org.communityCode)
    throw new AppError('party_org.merge_mismatch');
  const now = ctx.clock.now();
  const moved = await repo.moveOrgMembers(ctx.db, id, input.intoId);
  const fromCompounds = (await repo.orgCompounds(ctx.db, [id])).map((x) => x.id);
  const intoCompounds = (await repo.orgCompounds(ctx.db, [input.intoId])).map((x) => x.id);
  await repo.setOrgCompounds(ctx.db, id, []);
  await repo.setOrgCompounds(ctx.db, input.intoId, [...new Set([...intoCompounds, ...fromCompounds])]);
  await repo.reparentChildren(ctx.db, id, input.intoId);
  await repo.updateOrg(ctx.db, id, {
    status: 'merged',
    mergedIntoId: input.intoId,
    endedOn: shanghaiDate(now),
    updatedAt: now,
  });
  await repo.updateOrg(ctx.db, input.intoId, { updatedAt: now });
  const data = {
    intoId: input.intoId,
    compoundIds: fromCompounds,
    members: moved.length,
    reason: input.reason,
  };
  await event(ctx, id, 'merged', data, from.community.path);
  await event(
    ctx,
    input.intoId,
    'absorbed',
    { fromId: id, compoundIds: fromCompounds, members: moved.length, reason: input.reason },
    into.community.path,
  );
  return viewOf(ctx, input.intoId);
}

export async function dissolveOrg(ctx: Authed, id: number, input: { reason: string }): Promise<OrgView> {
  const { org, community: c } = await editable(ctx, id);
  const children = await repo.activeChildren(ctx.db, id);
  if (children > 0) throw new AppError('party_org.has_children', { count: children });
  const now = ctx.clock.now();
  const released = await repo.moveOrgMembers(ctx.db, id, null);
  const compoundIds = (await repo.orgCompounds(ctx.db, [id])).map((x) => x.id);
  await repo.setOrgCompounds(ctx.db, id, []);
  await repo.updateOrg(ctx.db, id, { status: 'dissolved', endedOn: shanghaiDate(now), updatedAt: now });
  await event(ctx, id, 'dissolved', { compoundIds, members: released.length, reason: input.reason }, c.path);
  return viewOf(ctx, org.id);
}

/** One organisation as it is now (after the change just made). */
async function viewOf(ctx: Authed, id: number): Promise<OrgView> {
  const o = await repo.orgById(ctx.db, id);
  if (!o) throw new AppError('party_org.not_found');
  return (await views(ctx, [o]))[0] as OrgView;
}

async function views(ctx: Authed, orgs: repo.OrgRow[]): Promise<OrgView[]> {
  const ids = orgs.map((o) => o.id);
  const cs = await repo.orgCompounds(ctx.db, ids);
  const counts = await repo.orgMemberCounts(ctx.db, ids);
  const places = await geo.placesOf(
    ctx.db,
    orgs.flatMap((o) => (o.kind === 'group' && o.buildingId ? [o.buildingId] : [])),
    orgs.flatMap((o) => (o.kind === 'centralHousehold' && o.householdId ? [o.householdId] : [])),
  );
  const placeOf = (o: repo.OrgRow): OrgView['place'] => {
    const h = o.householdId ? places.byHousehold.find((x) => x.id === o.householdId) : undefined;
    if (h) return { compound: h.compound, building: h.building, unit: h.unit, room: h.room };
    const b = o.buildingId ? places.byBuilding.find((x) => x.id === o.buildingId) : undefined;
    return b ? { compound: b.compound, building: b.building, unit: null, room: null } : null;
  };
  const paths = new Map<string, boolean>();
  for (const o of orgs) if (!paths.has(o.path)) paths.set(o.path, canEditOrgAt(ctx.actor, o.path));
  return orgs.map((o) => ({
    id: o.id,
    kind: o.kind,
    name: o.name,
    parentId: o.parentId ?? null,
    communityCode: o.communityCode,
    status: o.status,
    foundedOn: o.foundedOn ?? null,
    endedOn: o.endedOn ?? null,
    mergedIntoId: o.mergedIntoId ?? null,
    compounds: cs.filter((x) => x.orgId === o.id).map((x) => ({ id: x.id, name: x.name })),
    buildingId: o.buildingId ?? null,
    householdId: o.householdId ?? null,
    place: placeOf(o),
    members: counts.get(o.id) ?? { full: 0, probationary: 0 },
    can: { edit: o.status === 'active' && (paths.get(o.path) ?? false) },
  }));
}

/** A community's organisations (merged and dissolved ones too), and its compounds no branch covers. */
export async function orgTree(ctx: Authed, communityCode: string): Promise<OrgTree> {
  const c = await community(ctx, communityCode);
  if (!canViewCommunity(ctx, c.path)) throw new AppError('region.not_found');
  const orgs = await repo.orgsOfCommunity(ctx.db, c.code);
  const gaps = await ctx.db
    .select({ id: compounds.id, name: compounds.name })
    .from(compounds)
    .where(
      and(
        eq(compounds.communityCode, c.code),
        sql`not exists (select 1 from party_org_compounds oc join party_orgs o on o.id = oc.org_id
                        where oc.compound_id = ${compounds.id} and o.status = 'active')`,
      ),
    )
    .orderBy(compounds.code);
  return { orgs: await views(ctx, orgs), gaps };
}
