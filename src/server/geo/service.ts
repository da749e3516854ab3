import { and, eq, inArray, like, type SQL } from 'drizzle-orm';
import type {
  BuildingCreate,
  BuildingView,
  CompoundCreate,
  CompoundView,
  GridView,
  HouseholdView,
  RegionNode,
} from '../../contracts/geo.ts';
import { STAFF_ROLES } from '../../contracts/roles.ts';
import { type Actor, hasAnyRole, requireActor } from '../core/access.ts';
import { audit } from '../core/audit.ts';
import type { Ctx } from '../core/context.ts';
import { AppError } from '../core/errors.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { DEPARTMENT_TYPES } from './department-types.ts';
import { childPath, compoundCode, countyOf, gridCode, underPattern } from './paths.ts';
import {
  canWriteBuildings,
  canWriteGeo,
  deepestRegion,
  readScopes,
  regionVisible,
  visibleUnder,
} from './policy.ts';
import * as repo from './repo.ts';
import { buildings, compounds, departments, grids, regions } from './tables.ts';

type Authed = Ctx & { actor: Actor };

function presentRegion(r: repo.RegionRow, compoundCount: number): RegionNode {
  return {
    code: r.code,
    name: r.name,
    officialName: r.officialName,
    level: r.level,
    kind: r.kind,
    parentCode: r.parentCode,
    path: r.path,
    hasChildren: r.level !== 'community',
    compoundCount,
  };
}

export async function regionChildren(ctx: Ctx, parent?: string): Promise<RegionNode[]> {
  const actor = requireActor(ctx.actor);
  if (!parent) {
    const codes = [
      ...new Set(
        readScopes(actor)
          .map(deepestRegion)
          .filter((c): c is string => !!c),
      ),
    ];
    if (codes.length === 0) return [];
    const rows = await repo.regionChildren(ctx.db, inArray(regions.code, codes));
    return rows.map((r) => presentRegion(r.region, r.compoundCount));
  }
  const p = await repo.regionByCode(ctx.db, parent);
  if (!p) throw new AppError('region.not_found');
  const rows = await repo.regionChildren(
    ctx.db,
    and(eq(regions.parentCode, parent), regionVisible(actor, regions.path)) as SQL,
  );
  if (rows.length === 0) {
    // Distinguish "no children" from "not yours to see" without leaking which.
    const visible = await repo.regionChildren(
      ctx.db,
      and(eq(regions.code, parent), regionVisible(actor, regions.path)) as SQL,
    );
    if (visible.length === 0) throw new AppError('region.not_found');
  }
  return rows.map((r) => presentRegion(r.region, r.compoundCount));
}

export async function regionDetail(ctx: Ctx, code: string) {
  const actor = requireActor(ctx.actor);
  const [row] = await repo.regionChildren(
    ctx.db,
    and(eq(regions.code, code), regionVisible(actor, regions.path)) as SQL,
  );
  if (!row) throw new AppError('region.not_found');
  const codes = row.region.path.split('.').filter(Boolean);
  const ancestors = (await repo.regionsByCodes(ctx.db, codes.slice(0, -1)))
    .sort((a, b) => a.code.length - b.code.length)
    .map((r) => ({ code: r.code, name: r.name }));
  return { ...presentRegion(row.region, row.compoundCount), ancestors };
}

export async function searchRegions(ctx: Ctx, q: string): Promise<RegionNode[]> {
  const actor = requireActor(ctx.actor);
  const rows = await repo.searchRegions(ctx.db, q, visibleUnder(actor, regions.path));
  return rows.map((r) => presentRegion(r.region, r.compoundCount));
}

// Grids ---------------------------------------------------------------------------------------

function presentGrid(actor: Actor, row: NonNullable<Awaited<ReturnType<typeof repo.gridById>>>): GridView {
  const writable = canWriteGeo(actor, row.grid.path);
  return {
    id: row.grid.id,
    code: row.grid.code,
    name: row.grid.name,
    communityCode: row.grid.communityCode,
    workerUserId: row.grid.workerUserId,
    workerName: row.workerName,
    compoundCount: row.compoundCount,
    can: { update: writable, delete: writable && row.compoundCount === 0 },
  };
}

async function visibleCommunity(ctx: Ctx, actor: Actor, code: string) {
  const [row] = await repo.regionChildren(
    ctx.db,
    and(eq(regions.code, code), regionVisible(actor, regions.path)) as SQL,
  );
  if (!row) throw new AppError('region.not_found');
  if (row.region.level !== 'community') throw new AppError('region.wrong_level');
  return row.region;
}

export async function listGrids(ctx: Ctx, communityCode: string): Promise<GridView[]> {
  const actor = requireActor(ctx.actor);
  await visibleCommunity(ctx, actor, communityCode);
  const rows = await repo.gridsOfCommunity(ctx.db, communityCode, visibleUnder(actor, grids.path));
  return rows.map((r) => presentGrid(actor, r));
}

async function gridOr404(ctx: Ctx, actor: Actor, id: number) {
  const row = await repo.gridById(ctx.db, id, visibleUnder(actor, grids.path));
  if (!row) throw new AppError('grid.not_found');
  return row;
}

export async function getGrid(ctx: Ctx, id: number): Promise<GridView> {
  const actor = requireActor(ctx.actor);
  return presentGrid(actor, await gridOr404(ctx, actor, id));
}

export async function createGrid(
  ctx: Authed,
  input: { communityCode: string; name: string },
): Promise<GridView> {
  const community = await visibleCommunity(ctx, ctx.actor, input.communityCode);
  if (!canWriteGeo(ctx.actor, community.path)) throw new AppError('access.forbidden');
  const seq = await repo.nextSeqInCommunity(ctx.db, 'grid', community.code);
  const code = gridCode(community.code, seq);
  let row: repo.GridRow;
  try {
    row = await repo.insertGrid(ctx.db, {
      code,
      name: input.name,
      communityCode: community.code,
      countyCode: countyOf(community.code) ?? community.code.slice(0, 6),
      path: childPath(community.path, code),
    });
  } catch (err) {
    if (isUniqueViolation(err, 'grids_community_name_uq'))
      throw new AppError('grid.duplicate', { name: input.name });
    throw err;
  }
  await audit(ctx, {
    action: 'grid.create',
    entity: 'grid',
    entityId: row.id,
    scopePath: row.path,
    detail: input,
  });
  return getGrid(ctx, row.id);
}

export async function updateGrid(
  ctx: Authed,
  id: number,
  input: { name?: string; workerUserId?: number | null },
): Promise<GridView> {
  const row = await gridOr404(ctx, ctx.actor, id);
  if (!canWriteGeo(ctx.actor, row.grid.path)) throw new AppError('access.forbidden');
  if (
    input.workerUserId != null &&
    !(await repo.userHoldsGrant(ctx.db, input.workerUserId, 'gridWorker', row.grid.path))
  ) {
    throw new AppError('grid.worker_invalid');
  }
  try {
    await repo.updateGrid(ctx.db, id, input);
  } catch (err) {
    if (isUniqueViolation(err, 'grids_community_name_uq'))
      throw new AppError('grid.duplicate', { name: input.name ?? '' });
    throw err;
  }
  await audit(ctx, {
    action: 'grid.update',
    entity: 'grid',
    entityId: id,
    scopePath: row.grid.path,
    detail: input,
  });
  return getGrid(ctx, id);
}

export async function deleteGrid(ctx: Authed, id: number): Promise<void> {
  const row = await gridOr404(ctx, ctx.actor, id);
  if (!canWriteGeo(ctx.actor, row.grid.path)) throw new AppError('access.forbidden');
  if ((await repo.countCompoundsInGrid(ctx.db, id)) > 0) throw new AppError('grid.has_compounds');
  if ((await repo.countGrantsUnder(ctx.db, row.grid.path)) > 0) throw new AppError('grid.in_use');
  await repo.deleteGrid(ctx.db, id);
  await audit(ctx, {
    action: 'grid.delete',
    entity: 'grid',
    entityId: id,
    scopePath: row.grid.path,
    detail: { name: row.grid.name },
  });
}

// Compounds -----------------------------------------------------------------------------------

type CompoundJoined = NonNullable<Awaited<ReturnType<typeof repo.compoundById>>>;

export async function presentCompounds(
  ctx: Ctx,
  actor: Actor | null,
  rows: CompoundJoined[],
): Promise<CompoundView[]> {
  const communityOf = (p: string) => `${p.split('.').slice(0, 4).join('.')}.`;
  const communityPaths = [...new Set(rows.map((r) => communityOf(r.compound.path)))];
  const labels = await repo.pathLabels(ctx.db, communityPaths);
  return rows.map((r) => {
    const writable = actor ? canWriteGeo(actor, r.compound.path) : false;
    return {
      id: r.compound.id,
      code: r.compound.code,
      name: r.compound.name,
      communityCode: r.compound.communityCode,
      communityName: r.communityName,
      regionLabel: labels.get(communityOf(r.compound.path)) ?? '',
      gridId: r.compound.gridId,
      gridName: r.gridName,
      address: r.compound.address,
      lat: r.compound.lat,
      lng: r.compound.lng,
      buildingCount: r.buildingCount,
      can: {
        update: writable,
        delete: writable && r.buildingCount === 0,
        addBuilding: actor ? canWriteBuildings(actor, r.compound.path) : false,
      },
    };
  });
}

function encodeCursor(code: string): string {
  return Buffer.from(code).toString('base64url');
}
function decodeCursor(cursor: string | undefined): string | null {
  if (!cursor) return null;
  const s = Buffer.from(cursor, 'base64url').toString();
  if (!/^\d{15}$/.test(s)) throw new AppError('request.invalid');
  return s;
}

export async function listCompounds(
  ctx: Ctx,
  q: { region?: string; gridId?: number; q?: string; cursor?: string; limit: number },
): Promise<{ items: CompoundView[]; nextCursor: string | null }> {
  const actor = requireActor(ctx.actor);
  const conds: SQL[] = [visibleUnder(actor, compounds.path)];
  if (q.region) {
    const r = await repo.regionByCode(ctx.db, q.region);
    if (!r) throw new AppError('region.not_found');
    conds.push(like(compounds.path, underPattern(r.path)));
  }
  if (q.gridId) conds.push(eq(compounds.gridId, q.gridId));
  if (q.q) conds.push(like(compounds.name, `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`));
  const rows = await repo.listCompounds(ctx.db, and(...conds) as SQL, decodeCursor(q.cursor), q.limit + 1);
  const more = rows.length > q.limit;
  const pageRows = more ? rows.slice(0, q.limit) : rows;
  return {
    items: await presentCompounds(ctx, actor, pageRows),
    nextCursor: more ? encodeCursor(pageRows.at(-1)?.compound.code ?? '') : null,
  };
}

async function compoundOr404(ctx: Ctx, actor: Actor, id: number): Promise<CompoundJoined> {
  const row = await repo.compoundById(ctx.db, id, visibleUnder(actor, compounds.path));
  if (!row) throw new AppError('compound.not_found');
  return row;
}

export async function getCompound(ctx: Ctx, id: number): Promise<CompoundView> {
  const actor = requireActor(ctx.actor);
  const [view] = await presentCompounds(ctx, actor, [await compoundOr404(ctx, actor, id)]);
  return view as CompoundView;
}

export async function createCompound(ctx: Authed, input: CompoundCreate): Promise<CompoundView> {
  const community = await visibleCommunity(ctx, ctx.actor, input.communityCode);
  if (!canWriteGeo(ctx.actor, community.path)) throw new AppError('access.forbidden');
  const grid = await repo.gridByIdRaw(ctx.db, input.gridId);
  if (!grid || grid.communityCode !== community.code) throw new AppError('compound.grid_mismatch');
  const code = compoundCode(
    community.code,
    await repo.nextSeqInCommunity(ctx.db, 'compound', community.code),
  );
  let row: repo.CompoundRow;
  try {
    row = await repo.insertCompound(ctx.db, {
      code,
      name: input.name,
      communityCode: community.code,
      countyCode: countyOf(community.code) ?? community.code.slice(0, 6),
      gridId: grid.id,
      path: childPath(grid.path, code),
      address: input.address ?? null,
      lat: input.lat ?? null,
      lng: input.lng ?? null,
      createdAt: ctx.clock.now(),
      updatedAt: ctx.clock.now(),
    });
  } catch (err) {
    if (isUniqueViolation(err, 'compounds_community_name_uq'))
      throw new AppError('compound.duplicate', { name: input.name });
    throw err;
  }
  await audit(ctx, {
    action: 'compound.create',
    entity: 'compound',
    entityId: row.id,
    scopePath: row.path,
    detail: { ...input, code },
  });
  return getCompound(ctx, row.id);
}

export async function updateCompound(
  ctx: Authed,
  id: number,
  input: Partial<Omit<CompoundCreate, 'communityCode'>>,
): Promise<CompoundView> {
  const row = await compoundOr404(ctx, ctx.actor, id);
  if (!canWriteGeo(ctx.actor, row.compound.path)) throw new AppError('access.forbidden');
  const { gridId, ...rest } = input;
  try {
    await repo.updateCompound(ctx.db, id, { ...rest, updatedAt: ctx.clock.now() });
  } catch (err) {
    if (isUniqueViolation(err, 'compounds_community_name_uq'))
      throw new AppError('compound.duplicate', { name: input.name ?? '' });
    throw err;
  }
  if (gridId && gridId !== row.compound.gridId) {
    const grid = await repo.gridByIdRaw(ctx.db, gridId);
    if (!grid || grid.communityCode !== row.compound.communityCode)
      throw new AppError('compound.grid_mismatch');
    await repo.updateCompound(ctx.db, id, { gridId });
    const newPath = childPath(grid.path, row.compound.code);
    await repo.repathCompound(ctx.db, id, row.compound.path, newPath);
    row.compound.path = newPath;
  }
  await audit(ctx, {
    action: 'compound.update',
    entity: 'compound',
    entityId: id,
    scopePath: row.compound.path,
    detail: input,
  });
  return getCompound(ctx, id);
}

export async function deleteCompound(ctx: Authed, id: number): Promise<void> {
  const row = await compoundOr404(ctx, ctx.actor, id);
  if (!canWriteGeo(ctx.actor, row.compound.path)) throw new AppError('access.forbidden');
  if ((await repo.countBuildings(ctx.db, id)) > 0) throw new AppError('compound.has_buildings');
  if ((await repo.countGrantsUnder(ctx.db, row.compound.path)) > 0) throw new AppError('compound.in_use');
  await repo.deleteCompound(ctx.db, id);
  await audit(ctx, {
    action: 'compound.delete',
    entity: 'compound',
    entityId: id,
    scopePath: row.compound.path,
    detail: { name: row.compound.name, code: row.compound.code },
  });
}

/** "My compound": where the user holds a resident or member role. */
export async function myCompounds(ctx: Ctx): Promise<CompoundView[]> {
  const actor = requireActor(ctx.actor);
  const paths = actor.grants.filter((g) => g.nodeKind === 'compound').map((g) => g.scopePath);
  const rows = await repo.compoundsByPaths(ctx.db, [...new Set(paths)]);
  return presentCompounds(ctx, actor, rows);
}

// Buildings -----------------------------------------------------------------------------------

function presentBuilding(
  actor: Actor,
  path: string,
  r: { building: repo.BuildingRow; householdCount: number },
): BuildingView {
  const w = canWriteBuildings(actor, path);
  return {
    id: r.building.id,
    compoundId: r.building.compoundId,
    name: r.building.name,
    units: r.building.units,
    floors: r.building.floors,
    householdCount: r.householdCount,
    can: { update: w, delete: w && r.householdCount === 0 },
  };
}

export async function listBuildings(ctx: Ctx, compoundId: number): Promise<BuildingView[]> {
  const actor = requireActor(ctx.actor);
  const c = await compoundOr404(ctx, actor, compoundId);
  const rows = await repo.buildingsOfCompound(ctx.db, compoundId);
  return rows.map((r) => presentBuilding(actor, c.compound.path, r));
}

export async function createBuilding(
  ctx: Authed,
  compoundId: number,
  input: BuildingCreate,
): Promise<BuildingView> {
  const c = await compoundOr404(ctx, ctx.actor, compoundId);
  if (!canWriteBuildings(ctx.actor, c.compound.path)) throw new AppError('access.forbidden');
  let b: repo.BuildingRow;
  try {
    b = await repo.insertBuilding(ctx.db, {
      compoundId,
      name: input.name,
      units: input.units,
      floors: input.floors,
      countyCode: c.compound.countyCode,
      path: c.compound.path,
      createdAt: ctx.clock.now(),
    });
  } catch (err) {
    if (isUniqueViolation(err, 'buildings_compound_name_uq'))
      throw new AppError('building.duplicate', { name: input.name });
    throw err;
  }
  await audit(ctx, {
    action: 'building.create',
    entity: 'building',
    entityId: b.id,
    scopePath: b.path,
    detail: { ...input },
  });
  return presentBuilding(ctx.actor, c.compound.path, { building: b, householdCount: 0 });
}

async function buildingOr404(ctx: Ctx, actor: Actor, id: number) {
  const row = await repo.buildingById(ctx.db, id, visibleUnder(actor, buildings.path));
  if (!row) throw new AppError('building.not_found');
  return row;
}

export async function updateBuilding(
  ctx: Authed,
  id: number,
  input: Partial<BuildingCreate>,
): Promise<BuildingView> {
  const row = await buildingOr404(ctx, ctx.actor, id);
  if (!canWriteBuildings(ctx.actor, row.building.path)) throw new AppError('access.forbidden');
  try {
    await repo.updateBuilding(ctx.db, id, input);
  } catch (err) {
    if (isUniqueViolation(err, 'buildings_compound_name_uq'))
      throw new AppError('building.duplicate', { name: input.name ?? '' });
    throw err;
  }
  await audit(ctx, {
    action: 'building.update',
    entity: 'building',
    entityId: id,
    scopePath: row.building.path,
    detail: input,
  });
  const fresh = await buildingOr404(ctx, ctx.actor, id);
  return presentBuilding(ctx.actor, fresh.building.path, fresh);
}

/** A building's households (unit and room), for staff who can see the building. */
export async function listHouseholds(ctx: Ctx, buildingId: number): Promise<HouseholdView[]> {
  const actor = requireActor(ctx.actor);
  await buildingOr404(ctx, actor, buildingId);
  return repo.householdsOfBuilding(ctx.db, buildingId);
}

export async function deleteBuilding(ctx: Authed, id: number): Promise<void> {
  const row = await buildingOr404(ctx, ctx.actor, id);
  if (!canWriteBuildings(ctx.actor, row.building.path)) throw new AppError('access.forbidden');
  if (row.householdCount > 0) throw new AppError('building.has_households');
  await repo.deleteBuilding(ctx.db, id);
  await audit(ctx, {
    action: 'building.delete',
    entity: 'building',
    entityId: id,
    scopePath: row.building.path,
    detail: { name: row.building.name },
  });
}

// Departments ---------------------------------------------------------------------------------

/** The kinds of department, for editing the responsibility list: staff only. */
export function departmentTypes(ctx: Ctx) {
  const actor = requireActor(ctx.actor);
  if (!hasAnyRole(actor, STAFF_ROLES)) throw new AppError('access.forbidden');
  return DEPARTMENT_TYPES.map((d) => ({ type: d.type, name: d.name, kind: d.kind }));
}

export async function listDepartments(ctx: Ctx, regionCode?: string) {
  const actor = requireActor(ctx.actor);
  const conds: SQL[] = [regionVisible(actor, departments.path)];
  if (regionCode) conds.push(eq(departments.regionCode, regionCode));
  const rows = await repo.listDepartments(ctx.db, and(...conds) as SQL);
  return rows.map((d) => ({ id: d.id, name: d.name, type: d.type, regionCode: d.regionCode }));
}

// Places for reporting ------------------------------------------------------------------------

/** Any signed-in user may find a compound by name or by where they stand: names are public. */
export async function searchPlaces(ctx: Ctx, q: { q?: string; lat?: number; lng?: number; limit: number }) {
  requireActor(ctx.actor);
  if (!q.q && (q.lat === undefined || q.lng === undefined)) return [];
  const rows = await repo.searchPlaces(ctx.db, { text: q.q, lat: q.lat, lng: q.lng, limit: q.limit });
  const communityOf = (p: string) => `${p.split('.').slice(0, 4).join('.')}.`;
  const labels = await repo.pathLabels(ctx.db, [...new Set(rows.map((r) => communityOf(r.compound.path)))]);
  return rows.map(({ compound: c }) => ({
    id: c.id,
    name: c.name,
    communityCode: c.communityCode,
    regionLabel: labels.get(communityOf(c.path)) ?? '',
    address: c.address,
    lat: c.lat,
    lng: c.lng,
  }));
}

export async function placeBuildings(ctx: Ctx, compoundId: number) {
  requireActor(ctx.actor);
  if (!(await repo.compoundByIdRaw(ctx.db, compoundId))) throw new AppError('compound.not_found');
  return repo.buildingNames(ctx.db, compoundId);
}
