import { createHash } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/index.ts';
import { importRegions } from '../geo/regions-import.ts';
import { loadPrefecture } from '../geo/regions-source.ts';
import { parseIdNumber } from '../party/id-number.ts';
import { createTestDb, type TestDb } from '../test/db.ts';
import { TEST_PII } from '../test/pii.ts';
import { type CityOptions, cityTargets, seedCity, withSession } from './city.ts';
import { seedDemo } from './seed.ts';

const SCALE = 0.002;
const NOW = new Date('2026-11-27T08:00:00+08:00');

async function query<T>(db: Db, q: SQL): Promise<T[]> {
  return ((await db.execute(q)) as unknown as { rows: T[] }).rows;
}

async function demoDb(): Promise<TestDb> {
  const t = await createTestDb();
  await importRegions(t.db, await loadPrefecture('140200'));
  await seedDemo(t.db, { now: new Date('2026-01-05T08:00:00+08:00') });
  return t;
}

const city = (db: Db, o: Partial<CityOptions> = {}) =>
  withSession(db, (s) => seedCity(s, { scale: SCALE, seed: 7, now: NOW, pii: TEST_PII, ...o }));

/** What the city seed made, independent of ids and insertion times. */
async function fingerprint(db: Db): Promise<string> {
  const parts = await Promise.all([
    query(
      db,
      sql`select u.phone, u.name, g.role, g.scope_path from users u join grants g on g.user_id = u.id
          where u.phone ~ '^18[123]0' order by u.phone, g.role`,
    ),
    query(
      db,
      sql`select c.code, b.name, b.units, b.floors, count(h.id)::int as flats, min(h.room) as lo, max(h.room) as hi
          from buildings b join compounds c on c.id = b.compound_id left join households h on h.building_id = b.id
          group by 1, 2, 3, 4 order by 1, 2`,
    ),
    query(
      db,
      sql`select number, status, channel, description, path, created_at from tickets order by number`,
    ),
    query(
      db,
      sql`select phone, name, sex, birth_date, encode(id_index, 'hex') as idx, id_masked, ledger, compound_id
          from party_members where phone like '1830%' order by phone`,
    ),
  ]);
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

let a: TestDb;
let b: TestDb;
beforeAll(async () => {
  [a, b] = await Promise.all([demoDb(), demoDb()]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

describe('seed:city', () => {
  it('fills each part of the city up to its scaled figure, then adds nothing when run again', async () => {
    const targets = cityTargets(SCALE);
    // One stage alone first: the others wait for the full run.
    const alone = await city(a.db, { only: ['gridWorkers'] });
    expect(alone.stages.map((s) => [s.stage, s.after])).toEqual([['gridWorkers', targets.gridWorkers]]);
    expect(alone.tickets).toBeNull();
    const first = await city(a.db);
    const after = Object.fromEntries(first.stages.map((s) => [s.stage, s.after]));
    expect(after.households).toBeGreaterThanOrEqual(targets.households);
    expect(after.gridWorkers).toBe(targets.gridWorkers);
    expect(after.communityWorkers).toBe(targets.communityWorkers);
    expect(after.members).toBe(targets.members);
    expect(after.ledgers).toBe(targets.ledgers);
    expect(after.tickets).toBe(targets.tickets);
    // Every member account has its party record, in the ledger mix of a city, with a valid,
    // sealed ID number whose birth date and sex are the record's.
    const records = await query<{ ledger: string; n: number }>(
      a.db,
      sql`select p.ledger, count(*)::int as n from party_members p join users u on u.id = p.user_id
          where u.phone like '1830%' group by 1`,
    );
    const mix = Object.fromEntries(records.map((r) => [r.ledger, r.n]));
    expect(Object.values(mix).reduce((x, y) => x + y, 0)).toBe(targets.members);
    expect(mix.direct).toBeGreaterThan(mix.inService ?? 0);
    expect(mix.retired).toBeGreaterThan(mix.inService ?? 0);
    expect(mix.inService).toBeGreaterThan(0);
    const sample = await query<{ id_sealed: Uint8Array; birth_date: string; sex: string }>(
      a.db,
      sql`select id_sealed, birth_date::text, sex from party_members where phone like '1830%' order by id limit 50`,
    );
    for (const r of sample) {
      const parsed = parseIdNumber(TEST_PII.open(Buffer.from(r.id_sealed)), '2026-11-27');
      expect(parsed).toMatchObject({ ok: true, birthDate: r.birth_date, sex: r.sex });
    }
    const [counts] = await query<{ members: number; workers: number; staffed: number; tickets: number }>(
      a.db,
      sql`select (select count(*)::int from grants where role = 'member' and node_kind = 'compound'
                   and user_id in (select id from users where phone like '1830%')) as members,
                 (select count(*)::int from grants where role = 'communityAdmin'
                   and user_id in (select id from users where phone like '1820%')) as workers,
                 (select count(*)::int from grids g join grants x on x.user_id = g.worker_user_id
                   and x.role = 'gridWorker' and x.node_ref = g.id::text) as staffed,
                 (select count(*)::int from tickets) as tickets`,
    );
    expect(counts).toEqual({
      members: targets.members,
      workers: targets.communityWorkers,
      staffed: targets.gridWorkers,
      tickets: targets.tickets,
    });
    // Flats are numbered within their building and unit: no repeats, floors from 1.
    const [dup] = await query<{ n: number }>(
      a.db,
      sql`select count(*)::int as n from (select building_id, unit, room from households group by 1, 2, 3 having count(*) > 1) d`,
    );
    expect(dup?.n).toBe(0);

    const before = await fingerprint(a.db);
    const again = await city(a.db);
    for (const s of again.stages) expect(s.after).toBe(s.before);
    expect(again.tickets).toBeNull();
    expect(await fingerprint(a.db)).toBe(before);
  });

  it('makes the same city from the same seed, also when a run is cut short and started again', async () => {
    // Cut short in the middle of the members, after some batches were committed.
    let batches = 0;
    await expect(
      city(b.db, {
        batchSize: 50,
        onProgress: ({ stage }) => {
          if (stage === 'members' && ++batches === 3) throw new Error('interrupted');
        },
      }),
    ).rejects.toThrow('interrupted');
    const [partial] = await query<{ n: number }>(
      b.db,
      sql`select count(*)::int as n from users where phone like '1830%'`,
    );
    expect(partial?.n).toBeGreaterThan(0);
    expect(partial?.n).toBeLessThan(cityTargets(SCALE).members);
    await city(b.db, { batchSize: 50 });
    expect(await fingerprint(b.db)).toBe(await fingerprint(a.db));
  });

  it('refuses a database without the demo, and a scale out of range', async () => {
    const empty = await createTestDb();
    try {
      await expect(city(empty.db)).rejects.toThrow(/seed:city needs the demo first/);
    } finally {
      await empty.close();
    }
    expect(() => cityTargets(0)).toThrow(RangeError);
    expect(() => cityTargets(11)).toThrow(RangeError);
  });
});
