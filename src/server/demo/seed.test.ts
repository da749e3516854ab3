import { createHash } from 'node:crypto';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_NODE } from '../../contracts/roles.ts';
import { verifyPassword } from '../auth/password.ts';
import { grants, users } from '../auth/tables.ts';
import type { Db } from '../db/index.ts';
import { DEPARTMENT_TYPES } from '../geo/department-types.ts';
import { importRegions } from '../geo/regions-import.ts';
import { loadPrefecture } from '../geo/regions-source.ts';
import { buildings, compounds, departments, grids, households, regions } from '../geo/tables.ts';
import { createTestDb, type TestDb } from '../test/db.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, type DemoSummary, seedDemo } from './seed.ts';

let t: TestDb;
let summary: DemoSummary;

async function seedFresh(db: Db): Promise<DemoSummary> {
  await importRegions(db, await loadPrefecture('140200'));
  return seedDemo(db, { now: new Date('2026-01-05T08:00:00+08:00') });
}

async function count(db: Db, table: typeof grids | typeof compounds | typeof buildings | typeof households) {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(table);
  return row?.n ?? 0;
}

/** Raw SQL rows; both drivers return `{ rows }` from execute. */
async function query<T>(db: Db, q: SQL): Promise<T[]> {
  return ((await db.execute(q)) as unknown as { rows: T[] }).rows;
}

async function compoundFingerprint(db: Db): Promise<string> {
  const rows = await db
    .select({ code: compounds.code, name: compounds.name, lat: compounds.lat, address: compounds.address })
    .from(compounds)
    .orderBy(compounds.code);
  return createHash('sha256').update(JSON.stringify(rows)).digest('hex');
}

beforeAll(async () => {
  t = await createTestDb();
  summary = await seedFresh(t.db);
});

afterAll(async () => {
  await t?.close();
});

describe('seedDemo', () => {
  it('refuses to run without Datong regions', async () => {
    const empty = await createTestDb();
    try {
      await expect(seedDemo(empty.db)).rejects.toThrow(/演示数据需要先导入大同市[\s\S]*Datong's regions/);
    } finally {
      await empty.close();
    }
  });

  it('sizes the city like the published figures', async () => {
    expect(summary.skipped).toBe(false);
    expect(summary.compounds).toBeGreaterThanOrEqual(1_650);
    expect(summary.compounds).toBeLessThanOrEqual(1_800);
    expect(await count(t.db, compounds)).toBe(summary.compounds);
    expect(await count(t.db, grids)).toBe(summary.grids);
    expect(summary.grids).toBeGreaterThan(2_000);
    expect(summary.grids).toBeLessThan(2_600);
    expect(await count(t.db, buildings)).toBe(summary.buildings);
    expect(await count(t.db, households)).toBe(summary.households);
    expect(summary.departments).toBe(11 * DEPARTMENT_TYPES.length);
    expect(summary.users).toBe(DEMO_ACCOUNTS.length);
  });

  it('gives every urban community 2–8 grids and at least one compound, villages none', async () => {
    const rows = await query<{ kind: string; grids: number; compounds: number }>(
      t.db,
      sql`
      select r.kind,
             (select count(*)::int from grids g where g.community_code = r.code) as grids,
             (select count(*)::int from compounds c where c.community_code = r.code) as compounds
      from regions r where r.level = 'community' and r.path like '140200.%'`,
    );
    const communities = rows.filter((r) => r.kind === 'community');
    const villages = rows.filter((r) => r.kind === 'village');
    expect(communities.length).toBe(401);
    expect(communities.every((r) => r.compounds >= 1 && r.grids >= 2 && r.grids <= 8)).toBe(true);
    expect(villages.every((r) => r.compounds === 0 && r.grids === 0)).toBe(true);
  });

  it('codes and paths compounds under their community and grid', async () => {
    const bad = await query<{ code: string }>(
      t.db,
      sql`
      select c.code from compounds c join grids g on g.id = c.grid_id
      where left(c.code, 12) <> c.community_code or length(c.code) <> 15
         or g.community_code <> c.community_code
         or c.path <> g.path || c.code || '.'
         or c.county_code <> left(c.code, 6)`,
    );
    expect(bad).toEqual([]);
    const badGrids = await query<{ code: string }>(
      t.db,
      sql`
      select g.code from grids g join regions r on r.code = g.community_code
      where g.path <> r.path || g.code || '.' or g.code not like r.code || 'G__'`,
    );
    expect(badGrids).toEqual([]);
    const badBuildings = await query<{ id: number }>(
      t.db,
      sql`
      select b.id from buildings b join compounds c on c.id = b.compound_id
      where b.path <> c.path or b.units not between 1 and 6 or b.floors not between 6 and 33`,
    );
    expect(badBuildings).toEqual([]);
    const badHouseholds = await query<{ id: number }>(
      t.db,
      sql`
      select h.id from households h join buildings b on b.id = h.building_id
      where h.path <> b.path or h.unit > b.units`,
    );
    expect(badHouseholds).toEqual([]);
  });

  it('places the compounds named in the city reports', async () => {
    const named = await t.db
      .select({
        name: compounds.name,
        code: compounds.code,
        community: regions.name,
        township: regions.parentCode,
        county: compounds.countyCode,
      })
      .from(compounds)
      .innerJoin(regions, eq(regions.code, compounds.communityCode))
      .where(sql`${compounds.name} in ('绿地璀璨天城小区', '香荔园小区', '泰丰里小区')`)
      .orderBy(compounds.code);
    expect(named).toEqual([
      {
        name: '香荔园小区',
        code: '140213059001001',
        community: '同兴街社区',
        township: '140213059',
        county: '140213',
      },
      {
        name: '绿地璀璨天城小区',
        code: '140213066004001',
        community: '文兴社区',
        township: '140213066',
        county: '140213',
      },
      {
        name: '泰丰里小区',
        code: '140214038002001',
        community: '泰丰里社区',
        township: '140214038',
        county: '140214',
      },
    ]);
    for (const community of ['局前社区', '民和社区', '云昌里社区', '云兴街社区']) {
      const [row] = await t.db
        .select({ n: sql<number>`count(*)::int` })
        .from(compounds)
        .innerJoin(regions, eq(regions.code, compounds.communityCode))
        .where(eq(regions.name, community));
      expect(row?.n, community).toBeGreaterThanOrEqual(1);
    }
    // Households exist only in the named compounds, rooms like 1201.
    const hh = await query<{ name: string; n: number }>(
      t.db,
      sql`
      select c.name, count(*)::int as n from households h
      join buildings b on b.id = h.building_id join compounds c on c.id = b.compound_id
      group by c.name order by c.name`,
    );
    expect(hh.map((r) => r.name).sort()).toEqual(['泰丰里小区', '绿地璀璨天城小区', '香荔园小区'].sort());
    const [room] = await t.db
      .select({ room: households.room })
      .from(households)
      .where(eq(households.room, '1201'))
      .limit(1);
    expect(room?.room).toBe('1201');
  });

  it('creates the district departments', async () => {
    const rows = await t.db.select().from(departments).where(eq(departments.regionCode, '140213'));
    expect(rows).toHaveLength(DEPARTMENT_TYPES.length);
    expect(rows.length).toBeGreaterThanOrEqual(40);
    const cm = rows.find((d) => d.type === 'cityManagement');
    expect(cm).toMatchObject({ name: '平城区城市管理局', path: '140200.140213.' });
  });

  it('creates one demo account per role, each with its grant', async () => {
    const rows = await t.db
      .select({ user: users, grant: grants })
      .from(users)
      .innerJoin(grants, eq(grants.userId, users.id))
      .where(sql`${users.phone} like '100000000%'`);
    expect(rows).toHaveLength(DEMO_ACCOUNTS.length);
    const [lvdi] = await t.db.select().from(compounds).where(eq(compounds.name, '绿地璀璨天城小区'));
    const [lvdiGrid] = await t.db
      .select()
      .from(grids)
      .where(eq(grids.id, lvdi?.gridId ?? -1));
    for (const a of DEMO_ACCOUNTS) {
      const row = rows.find((r) => r.user.phone === a.phone);
      expect(row, a.role).toBeDefined();
      expect(row?.user.name).toBe(a.name);
      expect(row?.grant.role).toBe(a.role);
      expect(row?.grant.nodeKind).toBe(ROLE_NODE[a.role]);
    }
    const grantOf = (role: string) => rows.find((r) => r.grant.role === role)?.grant;
    expect(grantOf('cityAdmin')).toMatchObject({ nodeRef: '140200', scopePath: '140200.' });
    expect(grantOf('countyAdmin')).toMatchObject({ nodeRef: '140213', scopePath: '140200.140213.' });
    expect(grantOf('townshipAdmin')).toMatchObject({
      nodeRef: '140213066',
      scopePath: '140200.140213.140213066.',
    });
    expect(grantOf('communityAdmin')).toMatchObject({
      nodeRef: '140213066004',
      scopePath: '140200.140213.140213066.140213066004.',
    });
    expect(grantOf('merchant')).toMatchObject({ nodeRef: '140213066004' });
    expect(grantOf('unitAdmin')).toMatchObject({ nodeRef: '140213' });
    for (const role of ['compoundSecretary', 'resident', 'member']) {
      expect(grantOf(role)).toMatchObject({ nodeRef: String(lvdi?.id), scopePath: lvdi?.path });
    }
    expect(grantOf('gridWorker')).toMatchObject({ nodeRef: String(lvdiGrid?.id), scopePath: lvdiGrid?.path });
    expect(lvdiGrid?.workerUserId).toBe(rows.find((r) => r.grant.role === 'gridWorker')?.user.id);
    const officer = grantOf('departmentOfficer');
    const [dept] = await t.db
      .select()
      .from(departments)
      .where(and(eq(departments.regionCode, '140213'), eq(departments.type, 'cityManagement')));
    expect(officer).toMatchObject({
      nodeRef: String(dept?.id),
      departmentId: dept?.id,
      scopePath: '140200.140213.',
    });
    const hash = rows[0]?.user.passwordHash;
    expect(hash && (await verifyPassword(hash, DEMO_PASSWORD))).toBe(true);
    expect(new Set(rows.map((r) => r.user.passwordHash)).size).toBe(1);
  });

  it('does nothing the second time', async () => {
    const again = await seedDemo(t.db);
    expect(again.skipped).toBe(true);
    expect(await count(t.db, compounds)).toBe(summary.compounds);
    expect(await count(t.db, grids)).toBe(summary.grids);
    const [u] = await t.db.select({ n: sql<number>`count(*)::int` }).from(users);
    expect(u?.n).toBe(DEMO_ACCOUNTS.length);
  });

  it('produces the same city on every run', async () => {
    const other = await createTestDb();
    try {
      const second = await seedFresh(other.db);
      expect({ ...second, elapsedMs: 0 }).toEqual({ ...summary, elapsedMs: 0 });
      expect(await compoundFingerprint(other.db)).toBe(await compoundFingerprint(t.db));
    } finally {
      await other.close();
    }
  });
});
