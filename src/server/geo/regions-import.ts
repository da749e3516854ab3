import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { childPath, countyOf, regionRootPath } from './paths.ts';
import type { RegionLevel, RegionRecord } from './regions-source.ts';
import { regions } from './tables.ts';

const CHUNK = 2_000;
const LEVEL_ORDER: Record<RegionLevel, number> = { city: 0, county: 1, township: 2, community: 3 };

export interface ImportResult {
  inserted: number;
  updated: number;
  total: number;
}

type RegionRow = typeof regions.$inferInsert;

/**
 * Upserts a prefecture's regions with their materialized paths. Rows whose data did not change
 * are left untouched (no dead tuples, not counted), so a re-import reports 0 inserted, 0 updated.
 */
export async function importRegions(db: Db, records: RegionRecord[]): Promise<ImportResult> {
  if (records.length === 0) return { inserted: 0, updated: 0, total: 0 };
  const rows = await withPaths(db, records);
  let inserted = 0;
  let updated = 0;
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const res = await tx
        .insert(regions)
        .values(rows.slice(i, i + CHUNK))
        .onConflictDoUpdate({
          target: regions.code,
          set: {
            name: sql`excluded.name`,
            officialName: sql`excluded.official_name`,
            level: sql`excluded.level`,
            kind: sql`excluded.kind`,
            parentCode: sql`excluded.parent_code`,
            path: sql`excluded.path`,
            countyCode: sql`excluded.county_code`,
            sort: sql`excluded.sort`,
          },
          setWhere: sql`(regions.name, regions.official_name, regions.level, regions.kind, regions.parent_code,
            regions.path, regions.county_code, regions.sort)
            is distinct from (excluded.name, excluded.official_name, excluded.level, excluded.kind,
            excluded.parent_code, excluded.path, excluded.county_code, excluded.sort)`,
        })
        // xmax is 0 only on a freshly inserted tuple: tells inserts from updates in one statement.
        .returning({ fresh: sql<boolean>`(xmax = 0)` });
      for (const r of res) {
        if (r.fresh) inserted++;
        else updated++;
      }
    }
  });
  return { inserted, updated, total: rows.length };
}

/** Rows sorted parents first, each with its path; parents may come from the batch or the table. */
async function withPaths(db: Db, records: RegionRecord[]): Promise<RegionRow[]> {
  const sorted = [...records].sort(
    (a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || a.code.localeCompare(b.code),
  );
  const paths = new Map<string, string>();
  const inBatch = new Set(sorted.map((r) => r.code));
  const outside = [
    ...new Set(sorted.map((r) => r.parentCode).filter((c): c is string => !!c && !inBatch.has(c))),
  ];
  if (outside.length > 0) {
    const found = await db
      .select({ code: regions.code, path: regions.path })
      .from(regions)
      .where(inArray(regions.code, outside));
    for (const f of found) paths.set(f.code, f.path);
  }
  return sorted.map((r) => {
    let path: string;
    if (r.parentCode === null) {
      if (r.level !== 'city')
        throw new Error(`区划 ${r.code} 缺少上级 / Region ${r.code} (${r.level}) has no parent`);
      path = regionRootPath(r.code);
    } else {
      const parentPath = paths.get(r.parentCode);
      if (!parentPath) {
        throw new Error(
          `区划 ${r.code}（${r.name}）的上级 ${r.parentCode} 不存在。\n` +
            `Parent ${r.parentCode} of region ${r.code} (${r.name}) is neither in the import nor in the database.`,
        );
      }
      path = childPath(parentPath, r.code);
    }
    paths.set(r.code, path);
    return {
      code: r.code,
      name: r.name,
      officialName: r.officialName,
      level: r.level,
      kind: r.kind,
      parentCode: r.parentCode,
      path,
      countyCode: r.level === 'city' ? null : countyOf(r.code),
      sort: r.sort,
    };
  });
}
