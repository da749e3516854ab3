import { eq, like, sql } from 'drizzle-orm';
import type { Role } from '../../contracts/roles.ts';
import { hashPassword } from '../auth/password.ts';
import { grants, users } from '../auth/tables.ts';
import type { Db } from '../db/index.ts';
import { DEPARTMENT_TYPES } from '../geo/department-types.ts';
import { childPath, compoundCode, gridCode, underPattern } from '../geo/paths.ts';
import { buildings, compounds, departments, grids, households, regions } from '../geo/tables.ts';
import { seedResponsibilityList } from '../tickets/seed.ts';

/**
 * The Datong demo: grids, compounds, buildings, departments and one account per role, sized to
 * the city's published figures (DOMAIN.md). Named places are the ones in the city's reports;
 * everything else is invented by a seeded PRNG, so every run produces the same data.
 */

export const DEMO_CITY = '140200';
export const DEMO_PASSWORD = 'Gongzhi@2026';
/** Published city totals the demo is sized to. */
export const DEMO_TARGETS = { grids: 2_285, compounds: 1_724 } as const;

const SEED = 0x14_02_20_26;
const CHUNK = 2_000;

export interface DemoAccount {
  role: Role;
  phone: string;
  name: string;
  scopeLabel: string;
}

export interface DemoSummary {
  skipped: boolean;
  grids: number;
  compounds: number;
  buildings: number;
  households: number;
  departments: number;
  users: number;
  elapsedMs: number;
}

export interface SeedOptions {
  now?: Date;
  onProgress?: (msg: string) => void;
}

const WENXING = '140213066004';
const PINGCHENG = '140213';
const LVDI = '绿地璀璨天城小区';

/**
 * Compounds named in the city's reports. The report places 香荔园 only in 大庆路街道, so its
 * community (同兴街社区) is our choice; 泰丰里 sits in 平喜街道's 泰丰里社区.
 */
export const NAMED_COMPOUNDS = [
  { communityCode: WENXING, name: LVDI },
  { communityCode: '140213059001', name: '香荔园小区' },
  { communityCode: '140214038002', name: '泰丰里小区' },
] as const;

type DemoNode =
  | { kind: 'region'; code: string }
  | { kind: 'compound' }
  | { kind: 'grid' }
  | { kind: 'department'; type: string };

const WENXING_LABEL = '平城区 水泊寺街道 文兴社区';
const ACCOUNTS: (DemoAccount & { node: DemoNode })[] = [
  {
    role: 'cityAdmin',
    phone: '10000000001',
    name: '演示市管理员',
    scopeLabel: '大同市',
    node: { kind: 'region', code: DEMO_CITY },
  },
  {
    role: 'countyAdmin',
    phone: '10000000002',
    name: '演示区管理员',
    scopeLabel: '平城区',
    node: { kind: 'region', code: PINGCHENG },
  },
  {
    role: 'townshipAdmin',
    phone: '10000000003',
    name: '演示街道干部',
    scopeLabel: '平城区 水泊寺街道',
    node: { kind: 'region', code: '140213066' },
  },
  {
    role: 'communityAdmin',
    phone: '10000000004',
    name: '演示社区书记',
    scopeLabel: WENXING_LABEL,
    node: { kind: 'region', code: WENXING },
  },
  {
    role: 'compoundSecretary',
    phone: '10000000005',
    name: '演示小区书记',
    scopeLabel: `${WENXING_LABEL} ${LVDI}`,
    node: { kind: 'compound' },
  },
  {
    role: 'gridWorker',
    phone: '10000000006',
    name: '演示网格员',
    scopeLabel: `${WENXING_LABEL} 第1网格`,
    node: { kind: 'grid' },
  },
  {
    role: 'departmentOfficer',
    phone: '10000000007',
    name: '演示部门人员',
    scopeLabel: '平城区城市管理局',
    node: { kind: 'department', type: 'cityManagement' },
  },
  {
    role: 'resident',
    phone: '10000000008',
    name: '演示居民',
    scopeLabel: `${WENXING_LABEL} ${LVDI}`,
    node: { kind: 'compound' },
  },
  {
    role: 'member',
    phone: '10000000009',
    name: '演示党员',
    scopeLabel: `${WENXING_LABEL} ${LVDI}`,
    node: { kind: 'compound' },
  },
  {
    role: 'unitAdmin',
    phone: '10000000010',
    name: '演示共建单位',
    scopeLabel: '平城区',
    node: { kind: 'region', code: PINGCHENG },
  },
  {
    role: 'merchant',
    phone: '10000000011',
    name: '演示商家',
    scopeLabel: WENXING_LABEL,
    node: { kind: 'region', code: WENXING },
  },
];

/** Demo sign-ins, for the start-up banner and the README. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = ACCOUNTS.map(({ node: _node, ...a }) => a);

/** Common district offices and utilities; names are prefixed with the county's name. */

// Invented name parts. Deliberately no developer brands, so invented compounds read as invented.
const NAME_WORDS = (
  '和顺 锦华 康宁 福瑞 安泰 嘉禾 丰泽 华盛 兴隆 明德 润泽 怡和 悦来 欣荣 美景 宏达 鑫源 融泰 凯旋 恒信 ' +
  '隆昌 佳和 永康 正阳 金桂 银杏 翠柳 青松 紫荆 丁香 海棠 玉兰 秀水 春晖 秋实 朝阳 东升 北辰 南山 长青 ' +
  '同乐 万和 百福 千禧 盛世 富康 祥瑞 瑞景 书香 文华 光明 幸福 团结 友谊 晨曦 星河 云锦 清河 桃源 馨悦'
).split(' ');
const NAME_SUFFIXES = '小区 小区 家园 花园 苑 佳苑 新村 公寓 雅居 嘉园 里 华庭'.split(' ');
const ROAD_WORDS =
  '兴华 振兴 和平 康乐 育才 福安 顺城 新民 永宁 光华 景明 青年 安居 向阳 民生 丰收 泰和 宏图 长乐 聚贤'.split(
    ' ',
  );
const ROAD_SUFFIXES = ['路', '街', '大街', '北路', '南路', '东街', '西街', '巷'];
const FLOORS = [6, 6, 6, 7, 7, 11, 12, 18, 18, 24, 26, 28, 30, 33];

/** Approximate seat of each county (lat, lng), so demo compounds land in the right district on a map. */
const COUNTY_CENTRES: Record<string, readonly [number, number]> = {
  '140212': [40.257, 113.14],
  '140213': [40.077, 113.298],
  '140214': [40.005, 113.149],
  '140215': [40.041, 113.612],
  '140221': [40.362, 113.749],
  '140222': [40.421, 114.091],
  '140223': [39.763, 114.282],
  '140224': [39.44, 114.236],
  '140225': [39.699, 113.698],
  '140226': [40.013, 112.703],
  '140271': [40.048, 113.333],
};
const CITY_CENTRE = [40.077, 113.3] as const;

/** mulberry32: tiny, fast and good enough for demo data; never Math.random, so runs repeat. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Rng = () => number;
const intIn = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/**
 * Splits `total` over items, each between min and max, in proportion to their weights: bigger
 * communities get more grids and more compounds, and the city total matches the published one.
 */
function allocate(rng: Rng, weights: number[], min: number, max: number, total: number): number[] {
  const n = weights.length;
  const counts = weights.map(() => min);
  let left = Math.min(Math.max(total, n * min), n * max) - n * min;
  const cum: number[] = [];
  let sum = 0;
  for (const w of weights) {
    sum += w;
    cum.push(sum);
  }
  while (left > 0) {
    const x = rng() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cum[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    if ((counts[lo] as number) < max) {
      counts[lo] = (counts[lo] as number) + 1;
      left--;
    }
  }
  return counts;
}

async function inChunks<T, R>(rows: T[], insert: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(...(await insert(rows.slice(i, i + CHUNK))));
  return out;
}

const EMPTY: Omit<DemoSummary, 'elapsedMs'> = {
  skipped: true,
  grids: 0,
  compounds: 0,
  buildings: 0,
  households: 0,
  departments: 0,
  users: 0,
};

/**
 * Seeds the Datong demo on a database where Datong's regions are imported. Does nothing when the
 * demo accounts already exist, so it can run on every first start.
 */
export async function seedDemo(db: Db, opts: SeedOptions = {}): Promise<DemoSummary> {
  const started = performance.now();
  const now = opts.now ?? new Date();
  const progress = opts.onProgress ?? (() => {});
  const elapsed = () => Math.round(performance.now() - started);

  const firstPhone = ACCOUNTS[0]?.phone as string;
  const existing = await db.select({ id: users.id }).from(users).where(eq(users.phone, firstPhone)).limit(1);
  if (existing.length > 0) return { ...EMPTY, elapsedMs: elapsed() };

  // argon2 is deliberately slow: hash once, share by every demo account.
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  const summary = await db.transaction(async (tx) => {
    const places = await tx
      .select({
        code: regions.code,
        name: regions.name,
        level: regions.level,
        kind: regions.kind,
        parentCode: regions.parentCode,
        path: regions.path,
        countyCode: regions.countyCode,
      })
      .from(regions)
      .where(like(regions.path, underPattern(`${DEMO_CITY}.`)))
      .orderBy(regions.code);
    const byCode = new Map(places.map((p) => [p.code, p]));
    const required = [DEMO_CITY, PINGCHENG, '140213066', ...NAMED_COMPOUNDS.map((c) => c.communityCode)];
    const missing = required.filter((c) => !byCode.has(c));
    if (missing.length > 0) {
      throw new Error(
        `演示数据需要先导入大同市（${DEMO_CITY}）行政区划，缺少：${missing.join(', ')}。\n` +
          `The demo needs Datong's regions (${DEMO_CITY}) imported first ` +
          `(importRegions(db, await loadPrefecture('${DEMO_CITY}'))); missing: ${missing.join(', ')}.`,
      );
    }
    const [taken] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(grids)
      .where(like(grids.path, underPattern(`${DEMO_CITY}.`)));
    if ((taken?.n ?? 0) > 0) {
      throw new Error(
        `大同市已有 ${taken?.n} 个网格，无法生成演示数据（演示数据只用于空库）。\n` +
          `Datong already has ${taken?.n} grids; the demo seed only runs on an empty city.`,
      );
    }

    const rng = mulberry32(SEED);
    const communities = places.filter((p) => p.level === 'community' && p.kind === 'community');
    const counties = places.filter((p) => p.level === 'county');
    const countyName = new Map(counties.map((c) => [c.code, c.name]));

    // Sizes first, from one weight per community, so grids and compounds grow together.
    const weights = communities.map(() => 0.5 + rng());
    // Grids fill 3/5 of their 2–8 range on average: a narrower spread keeps most clear of the cap.
    const gridCounts = allocate(
      rng,
      weights.map((w) => 0.5 + w / 2),
      2,
      8,
      DEMO_TARGETS.grids,
    );
    const compoundCounts = allocate(rng, weights, 1, 12, DEMO_TARGETS.compounds);

    // Grids.
    const gridRows: (typeof grids.$inferInsert)[] = [];
    communities.forEach((c, i) => {
      for (let g = 1; g <= (gridCounts[i] as number); g++) {
        const code = gridCode(c.code, g);
        gridRows.push({
          code,
          name: `第${g}网格`,
          communityCode: c.code,
          countyCode: c.countyCode as string,
          path: childPath(c.path, code),
          createdAt: now,
        });
      }
    });
    const gridIds = await inChunks(gridRows, (chunk) =>
      tx.insert(grids).values(chunk).returning({ id: grids.id, code: grids.code }),
    );
    const gridIdByCode = new Map(gridIds.map((g) => [g.code, g.id]));
    progress(`网格 grids: ${gridRows.length}`);

    // Compounds: named ones take sequence 001 in their community, hence grid 01.
    const named = new Map<string, string>(NAMED_COMPOUNDS.map((c) => [c.communityCode, c.name]));
    const compoundRows: (typeof compounds.$inferInsert)[] = [];
    communities.forEach((c, i) => {
      const county = c.countyCode as string;
      const [lat0, lng0] = COUNTY_CENTRES[county] ?? CITY_CENTRE;
      // Urban districts spread wider than county seats.
      const spread = county === PINGCHENG || county === '140214' ? 0.045 : 0.02;
      const cLat = lat0 + (rng() - 0.5) * 2 * spread;
      const cLng = lng0 + (rng() - 0.5) * 2 * spread;
      const used = new Set<string>();
      const fixed = named.get(c.code);
      if (fixed) used.add(fixed);
      const gridsHere = gridCounts[i] as number;
      for (let s = 1; s <= (compoundCounts[i] as number); s++) {
        let name: string;
        if (s === 1 && fixed) name = fixed;
        else {
          do name = `${pick(rng, NAME_WORDS)}${pick(rng, NAME_SUFFIXES)}`;
          while (used.has(name));
        }
        used.add(name);
        const code = compoundCode(c.code, s);
        const gCode = gridCode(c.code, ((s - 1) % gridsHere) + 1);
        const gridPath = childPath(c.path, gCode);
        compoundRows.push({
          code,
          name,
          communityCode: c.code,
          countyCode: county,
          gridId: gridIdByCode.get(gCode) as number,
          path: childPath(gridPath, code),
          address: `${countyName.get(county) ?? ''}${pick(rng, ROAD_WORDS)}${pick(rng, ROAD_SUFFIXES)}${intIn(rng, 1, 300)}号`,
          lat: round6(cLat + (rng() - 0.5) * 0.012),
          lng: round6(cLng + (rng() - 0.5) * 0.012),
          createdAt: now,
          updatedAt: now,
        });
      }
    });
    const compoundIds = await inChunks(compoundRows, (chunk) =>
      tx.insert(compounds).values(chunk).returning({ id: compounds.id, code: compounds.code }),
    );
    const compoundIdByCode = new Map(compoundIds.map((c) => [c.code, c.id]));
    progress(`小区 compounds: ${compoundRows.length}`);

    // Buildings.
    const buildingRows: (typeof buildings.$inferInsert)[] = [];
    const namedCodes = new Set(NAMED_COMPOUNDS.map((n) => compoundCode(n.communityCode, 1)));
    for (const c of compoundRows) {
      const compoundId = compoundIdByCode.get(c.code) as number;
      // The compounds the demo accounts live in should look like the large estates they are.
      const n = namedCodes.has(c.code) ? intIn(rng, 8, 12) : intIn(rng, 3, 12);
      for (let b = 1; b <= n; b++) {
        buildingRows.push({
          compoundId,
          name: `${b}号楼`,
          units: intIn(rng, 1, 6),
          floors: pick(rng, FLOORS),
          countyCode: c.countyCode,
          path: c.path,
          createdAt: now,
        });
      }
    }
    const buildingIds = await inChunks(buildingRows, (chunk) =>
      tx
        .insert(buildings)
        .values(chunk)
        .returning({ id: buildings.id, compoundId: buildings.compoundId, name: buildings.name }),
    );
    progress(`楼栋 buildings: ${buildingRows.length}`);

    // Households only in the named compounds: enough to demo a resident's address picker.
    const namedIds = new Set([...namedCodes].map((code) => compoundIdByCode.get(code) as number));
    const buildingId = new Map(buildingIds.map((b) => [`${b.compoundId}:${b.name}`, b.id]));
    const householdRows: (typeof households.$inferInsert)[] = [];
    for (const b of buildingRows) {
      if (!namedIds.has(b.compoundId)) continue;
      const id = buildingId.get(`${b.compoundId}:${b.name}`) as number;
      for (let unit = 1; unit <= (b.units as number); unit++) {
        for (let floor = 1; floor <= (b.floors as number); floor++) {
          for (let room = 1; room <= 2; room++) {
            householdRows.push({
              buildingId: id,
              unit,
              room: `${floor}${String(room).padStart(2, '0')}`,
              countyCode: b.countyCode,
              path: b.path,
            });
          }
        }
      }
    }
    await inChunks(householdRows, async (chunk) => {
      await tx.insert(households).values(chunk);
      return [];
    });
    progress(`户 households: ${householdRows.length}`);

    // Departments of every county-level region.
    const departmentRows: (typeof departments.$inferInsert)[] = counties.flatMap((county) =>
      DEPARTMENT_TYPES.map(({ type, name }) => ({
        name: `${county.name}${name}`,
        type,
        regionCode: county.code,
        path: county.path,
        createdAt: now,
      })),
    );
    const departmentIds = await inChunks(departmentRows, (chunk) =>
      tx
        .insert(departments)
        .values(chunk)
        .returning({ id: departments.id, type: departments.type, regionCode: departments.regionCode }),
    );
    progress(`部门 departments: ${departmentRows.length}`);

    // Demo accounts and their grants.
    const userIds = await tx
      .insert(users)
      .values(
        ACCOUNTS.map((a) => ({ phone: a.phone, name: a.name, passwordHash, createdAt: now, updatedAt: now })),
      )
      .returning({ id: users.id, phone: users.phone });
    const userIdByPhone = new Map(userIds.map((u) => [u.phone, u.id]));
    const lvdiCode = compoundCode(WENXING, 1);
    const lvdi = compoundRows.find((c) => c.code === lvdiCode) as (typeof compoundRows)[number];
    const lvdiId = compoundIdByCode.get(lvdiCode) as number;
    const lvdiGridId = lvdi.gridId as number;
    const lvdiGridPath = childPath(byCode.get(WENXING)?.path as string, gridCode(WENXING, 1));
    const grantRows = ACCOUNTS.map((a) => {
      const userId = userIdByPhone.get(a.phone) as number;
      const base = { userId, role: a.role, createdAt: now };
      switch (a.node.kind) {
        case 'region':
          return {
            ...base,
            nodeKind: 'region',
            nodeRef: a.node.code,
            scopePath: byCode.get(a.node.code)?.path as string,
          };
        case 'compound':
          return { ...base, nodeKind: 'compound', nodeRef: String(lvdiId), scopePath: lvdi.path };
        case 'grid':
          return { ...base, nodeKind: 'grid', nodeRef: String(lvdiGridId), scopePath: lvdiGridPath };
        default: {
          const type = a.node.type;
          const dept = departmentIds.find((d) => d.type === type && d.regionCode === PINGCHENG);
          if (!dept) throw new Error(`Demo department ${type} of ${PINGCHENG} missing`);
          return {
            ...base,
            nodeKind: 'department',
            nodeRef: String(dept.id),
            scopePath: byCode.get(PINGCHENG)?.path as string,
            departmentId: dept.id,
          };
        }
      }
    });
    await tx.insert(grants).values(grantRows);
    const workerId = userIdByPhone.get(
      ACCOUNTS.find((a) => a.role === 'gridWorker')?.phone as string,
    ) as number;
    await tx.update(grids).set({ workerUserId: workerId }).where(eq(grids.id, lvdiGridId));
    progress(`演示账号 demo users: ${userIds.length}`);
    await seedResponsibilityList(tx as unknown as Db, now);
    progress('责任清单 responsibility list');

    return {
      skipped: false,
      grids: gridRows.length,
      compounds: compoundRows.length,
      buildings: buildingRows.length,
      households: householdRows.length,
      departments: departmentRows.length,
      users: userIds.length,
    };
  });
  return { ...summary, elapsedMs: elapsed() };
}
