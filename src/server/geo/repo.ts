import { and, asc, eq, gt, inArray, like, type SQL, sql } from 'drizzle-orm';
import { grants, users } from '../auth/tables.ts';
import type { Db } from '../db/index.ts';
import { outer, prepared } from '../db/sql.ts';
import { underPattern } from './paths.ts';
import { buildings, compounds, departments, grids, households, regions } from './tables.ts';

export type RegionRow = typeof regions.$inferSelect;
export type CompoundRow = typeof compounds.$inferSelect;
export type GridRow = typeof grids.$inferSelect;
export type BuildingRow = typeof buildings.$inferSelect;

export async function regionByCode(db: Db, code: string): Promise<RegionRow | undefined> {
  const [r] = await db.select().from(regions).where(eq(regions.code, code)).limit(1);
  return r;
}

export async function regionsByCodes(db: Db, codes: string[]): Promise<RegionRow[]> {
  if (codes.length === 0) return [];
  return db.select().from(regions).where(inArray(regions.code, codes));
}

const compoundCountSql = sql<number>`(select count(*)::int from ${compounds} c where c.path like ${outer(regions.path)} || '%')`;

export async function regionChildren(db: Db, where: SQL) {
  return db
    .select({ region: regions, compoundCount: compoundCountSql })
    .from(regions)
    .where(where)
    .orderBy(asc(regions.sort), asc(regions.code));
}

/** A LIKE pattern for names containing `q`, its wildcards taken literally. */
const containing = (q: string) => `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

export async function searchRegions(db: Db, q: string, visible: SQL, limit = 20) {
  return db
    .select({ region: regions, compoundCount: compoundCountSql })
    .from(regions)
    .where(and(like(regions.name, containing(q)), visible))
    .orderBy(sql`length(${regions.code})`, asc(regions.code))
    .limit(limit);
}

/** Communities matching `where` (by name when `q` is given), each with its township's name. */
export async function communitiesWithTownship(db: Db, where: SQL, q: string | undefined, limit: number) {
  const t = sql`(select p.name from ${regions} p where p.code = ${regions.parentCode})`;
  return db
    .select({ code: regions.code, name: regions.name, townshipName: sql<string>`${t}` })
    .from(regions)
    .where(and(eq(regions.level, 'community'), where, q ? like(regions.name, containing(q)) : undefined))
    .orderBy(asc(regions.code))
    .limit(limit);
}

/**
 * Human labels for paths: "平城区 水泊寺街道 文兴社区 第1网格 绿地璀璨天城小区". The city segment is
 * left out below the city itself (everyone here lives in it).
 */
export async function pathLabels(db: Db, paths: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (paths.length === 0) return out;
  const segs = new Set<string>();
  for (const p of paths) for (const s of p.split('.').filter(Boolean)) segs.add(s);
  const all = [...segs];
  const regionCodes = all.filter((s) => /^\d{6}(\d{3}){0,2}$/.test(s));
  const gridCodes = all.filter((s) => /G\d+$/.test(s));
  const compoundCodes = all.filter((s) => /^\d{15}$/.test(s));
  const names = new Map<string, string>();
  if (regionCodes.length)
    for (const r of await db
      .select({ code: regions.code, name: regions.name })
      .from(regions)
      .where(inArray(regions.code, regionCodes)))
      names.set(r.code, r.name);
  if (gridCodes.length)
    for (const g of await db
      .select({ code: grids.code, name: grids.name })
      .from(grids)
      .where(inArray(grids.code, gridCodes)))
      names.set(g.code, g.name);
  if (compoundCodes.length)
    for (const c of await db
      .select({ code: compounds.code, name: compounds.name })
      .from(compounds)
      .where(inArray(compounds.code, compoundCodes)))
      names.set(c.code, c.name);
  for (const p of paths) {
    const parts = p.split('.').filter(Boolean);
    const shown = parts.length > 1 ? parts.slice(1) : parts;
    out.set(p, shown.map((s) => names.get(s) ?? s).join(' '));
  }
  return out;
}

// Grids -----------------------------------------------------------------------------------------

export async function gridsOfCommunity(db: Db, communityCode: string, visible: SQL) {
  return db
    .select({
      grid: grids,
      workerName: users.name,
      compoundCount: sql<number>`(select count(*)::int from ${compounds} c where c.grid_id = ${outer(grids.id)})`,
    })
    .from(grids)
    .leftJoin(users, eq(users.id, grids.workerUserId))
    .where(and(eq(grids.communityCode, communityCode), visible))
    .orderBy(asc(grids.code));
}

export async function gridById(db: Db, id: number, visible: SQL) {
  const [row] = await db
    .select({
      grid: grids,
      workerName: users.name,
      compoundCount: sql<number>`(select count(*)::int from ${compounds} c where c.grid_id = ${outer(grids.id)})`,
    })
    .from(grids)
    .leftJoin(users, eq(users.id, grids.workerUserId))
    .where(and(eq(grids.id, id), visible))
    .limit(1);
  return row;
}

/**
 * The next free sequence number for a community's grids (code …G01) or compounds (code …001).
 * Must run inside the creating transaction: the transaction-scoped advisory lock makes concurrent
 * creators in one community take turns on PostgreSQL instead of colliding on the code.
 */
export async function nextSeqInCommunity(
  db: Db,
  kind: 'grid' | 'compound',
  communityCode: string,
): Promise<number> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`${kind}-seq:${communityCode}`}))`);
  const q =
    kind === 'grid'
      ? sql`select coalesce(max(substring(code from 14)::int), 0) + 1 as n from grids where community_code = ${communityCode}`
      : sql`select coalesce(max(substring(code from 13)::int), 0) + 1 as n from compounds where community_code = ${communityCode}`;
  const res = (await db.execute(q)) as unknown as { rows: { n: number }[] };
  return Number(res.rows[0]?.n ?? 1);
}

export async function insertGrid(db: Db, values: typeof grids.$inferInsert): Promise<GridRow> {
  const [row] = await db.insert(grids).values(values).returning();
  if (!row) throw new Error('insert grid returned nothing');
  return row;
}

export async function updateGrid(db: Db, id: number, patch: Partial<typeof grids.$inferInsert>) {
  if (Object.keys(patch).length === 0) return;
  await db.update(grids).set(patch).where(eq(grids.id, id));
}

export async function deleteGrid(db: Db, id: number) {
  await db.delete(grids).where(eq(grids.id, id));
}

export async function countCompoundsInGrid(db: Db, gridId: number): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(compounds)
    .where(eq(compounds.gridId, gridId));
  return r?.n ?? 0;
}

export async function userHoldsGrant(
  db: Db,
  userId: number,
  role: string,
  scopePath: string,
): Promise<boolean> {
  const rows = await db
    .select({ id: grants.id })
    .from(grants)
    .where(and(eq(grants.userId, userId), eq(grants.role, role), eq(grants.scopePath, scopePath)))
    .limit(1);
  return rows.length > 0;
}

// Compounds -------------------------------------------------------------------------------------

const compoundSelect = {
  compound: compounds,
  communityName: regions.name,
  gridName: grids.name,
  buildingCount: sql<number>`(select count(*)::int from ${buildings} b where b.compound_id = ${outer(compounds.id)})`,
};

export async function listCompounds(db: Db, where: SQL, afterCode: string | null, limit: number) {
  return db
    .select(compoundSelect)
    .from(compounds)
    .innerJoin(regions, eq(regions.code, compounds.communityCode))
    .innerJoin(grids, eq(grids.id, compounds.gridId))
    .where(afterCode ? and(where, gt(compounds.code, afterCode)) : where)
    .orderBy(asc(compounds.code))
    .limit(limit);
}

export async function compoundById(db: Db, id: number, visible: SQL) {
  const [row] = await db
    .select(compoundSelect)
    .from(compounds)
    .innerJoin(regions, eq(regions.code, compounds.communityCode))
    .innerJoin(grids, eq(grids.id, compounds.gridId))
    .where(and(eq(compounds.id, id), visible))
    .limit(1);
  return row;
}

export async function compoundsByPaths(db: Db, paths: string[]) {
  if (paths.length === 0) return [];
  return db
    .select(compoundSelect)
    .from(compounds)
    .innerJoin(regions, eq(regions.code, compounds.communityCode))
    .innerJoin(grids, eq(grids.id, compounds.gridId))
    .where(inArray(compounds.path, paths))
    .orderBy(asc(compounds.code));
}

export async function insertCompound(db: Db, values: typeof compounds.$inferInsert): Promise<CompoundRow> {
  const [row] = await db.insert(compounds).values(values).returning();
  if (!row) throw new Error('insert compound returned nothing');
  return row;
}

export async function updateCompound(db: Db, id: number, patch: Partial<typeof compounds.$inferInsert>) {
  await db.update(compounds).set(patch).where(eq(compounds.id, id));
}

/** Moves a compound's subtree to a new path (new grid): its row, buildings, households, grants, tickets and party members. */
export async function repathCompound(db: Db, compoundId: number, oldPath: string, newPath: string) {
  const len = oldPath.length + 1;
  await db
    .update(compounds)
    .set({ path: sql`${newPath} || substr(${compounds.path}, ${len})` })
    .where(eq(compounds.id, compoundId));
  await db
    .update(buildings)
    .set({ path: sql`${newPath} || substr(${buildings.path}, ${len})` })
    .where(eq(buildings.compoundId, compoundId));
  await db
    .update(households)
    .set({ path: sql`${newPath} || substr(${households.path}, ${len})` })
    .where(like(households.path, underPattern(oldPath)));
  await db
    .update(grants)
    .set({ scopePath: sql`${newPath} || substr(${grants.scopePath}, ${len})` })
    .where(like(grants.scopePath, underPattern(oldPath)));
  // Other domains' rows placed in the compound carry its path too (named here, not imported, so
  // geo does not depend on them): the new grid's worker sees them, the old one no longer does.
  for (const table of ['tickets', 'party_members'])
    await db.execute(
      sql`update ${sql.identifier(table)} set path = ${newPath} || substr(path, ${len}) where path like ${underPattern(oldPath)}`,
    );
}

export async function countBuildings(db: Db, compoundId: number): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(buildings)
    .where(eq(buildings.compoundId, compoundId));
  return r?.n ?? 0;
}

export async function countGrantsUnder(db: Db, path: string): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(grants)
    .where(like(grants.scopePath, underPattern(path)));
  return r?.n ?? 0;
}

export async function deleteCompound(db: Db, id: number) {
  await db.delete(compounds).where(eq(compounds.id, id));
}

// Buildings -------------------------------------------------------------------------------------

const buildingSelect = {
  building: buildings,
  householdCount: sql<number>`(select count(*)::int from ${households} h where h.building_id = ${outer(buildings.id)})`,
};

export async function buildingsOfCompound(db: Db, compoundId: number) {
  return db
    .select(buildingSelect)
    .from(buildings)
    .where(eq(buildings.compoundId, compoundId))
    .orderBy(sql`length(${buildings.name})`, asc(buildings.name));
}

export async function buildingById(db: Db, id: number, visible: SQL) {
  const [row] = await db
    .select(buildingSelect)
    .from(buildings)
    .where(and(eq(buildings.id, id), visible))
    .limit(1);
  return row;
}

export async function insertBuilding(db: Db, values: typeof buildings.$inferInsert): Promise<BuildingRow> {
  const [row] = await db.insert(buildings).values(values).returning();
  if (!row) throw new Error('insert building returned nothing');
  return row;
}

export async function updateBuilding(db: Db, id: number, patch: Partial<typeof buildings.$inferInsert>) {
  if (Object.keys(patch).length === 0) return;
  await db.update(buildings).set(patch).where(eq(buildings.id, id));
}

export async function deleteBuilding(db: Db, id: number) {
  await db.delete(buildings).where(eq(buildings.id, id));
}

/** Where things sit, by building or household id: the compound's and building's names, unit and room. */
export async function placesOf(db: Db, buildingIds: number[], householdIds: number[]) {
  const byBuilding = buildingIds.length
    ? await db
        .select({ id: buildings.id, compound: compounds.name, building: buildings.name })
        .from(buildings)
        .innerJoin(compounds, eq(compounds.id, buildings.compoundId))
        .where(inArray(buildings.id, buildingIds))
    : [];
  const byHousehold = householdIds.length
    ? await db
        .select({
          id: households.id,
          compound: compounds.name,
          building: buildings.name,
          unit: households.unit,
          room: households.room,
        })
        .from(households)
        .innerJoin(buildings, eq(buildings.id, households.buildingId))
        .innerJoin(compounds, eq(compounds.id, buildings.compoundId))
        .where(inArray(households.id, householdIds))
    : [];
  return { byBuilding, byHousehold };
}
/** A building's flats in unit, then floor order (rooms are numbered floor + two digits). */
export async function householdsOfBuilding(db: Db, buildingId: number) {
  return db
    .select({
      id: households.id,
      buildingId: households.buildingId,
      unit: households.unit,
      room: households.room,
    })
    .from(households)
    .where(eq(households.buildingId, buildingId))
    .orderBy(asc(households.unit), sql`length(${households.room})`, asc(households.room));
}

// Departments -----------------------------------------------------------------------------------

export async function listDepartments(db: Db, where: SQL) {
  return db.select().from(departments).where(where).orderBy(asc(departments.regionCode), asc(departments.id));
}

export async function departmentById(db: Db, id: number) {
  const [d] = await db.select().from(departments).where(eq(departments.id, id)).limit(1);
  return d;
}

export async function gridByIdRaw(db: Db, id: number) {
  const [g] = await db.select().from(grids).where(eq(grids.id, id)).limit(1);
  return g;
}

/** Prepared: every report naming its compound asks this. */
export async function compoundByIdRaw(db: Db, id: number) {
  const q = prepared(db, 'compound_by_id', (name) =>
    db
      .select()
      .from(compounds)
      .where(eq(compounds.id, sql.placeholder('id')))
      .limit(1)
      .prepare(name),
  );
  const [c] = await q.execute({ id });
  return c;
}

/** Where every compound is (id, community, county, path): what a report needs to be placed. */
export async function compoundPlaces(db: Db) {
  return db
    .select({
      id: compounds.id,
      communityCode: compounds.communityCode,
      countyCode: compounds.countyCode,
      path: compounds.path,
    })
    .from(compounds);
}

/** Compounds by name (and/or nearest a point) for reporting; public facts only. */
export async function searchPlaces(db: Db, q: { text?: string; lat?: number; lng?: number; limit: number }) {
  const conds: SQL[] = [];
  if (q.text) conds.push(sql`${compounds.name} like ${`%${q.text.replace(/[\\%_]/g, '\\$&')}%`}`);
  let order: SQL = sql`${compounds.name}`;
  if (q.lat !== undefined && q.lng !== undefined) {
    const k = Math.cos((q.lat * Math.PI) / 180);
    order = sql`case when ${compounds.lat} is null then 1e12 else power(${compounds.lat} - ${q.lat}, 2) + power((${compounds.lng} - ${q.lng}) * ${k}, 2) end`;
  }
  return db
    .select({ compound: compounds })
    .from(compounds)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(order, asc(compounds.id))
    .limit(q.limit);
}

export async function buildingNames(db: Db, compoundId: number) {
  return db
    .select({ id: buildings.id, name: buildings.name })
    .from(buildings)
    .where(eq(buildings.compoundId, compoundId))
    .orderBy(asc(buildings.id));
}
