/**
 * A whole synthetic Datong for measuring at city scale (`npm run cli -- seed:city --scale 1`): on top
 * of the demo (the real region tree, 2,285 grids, 1,724 compounds, departments, the responsibility
 * list) it adds buildings and households, a grid worker for every grid, community workers, party
 * members and a year of tickets, sized to the city's published figures times `scale`.
 *
 * Each stage fills up to its target: run again, it adds what is missing (an interrupted run goes on
 * where it stopped) and nothing else. Every row is a function of (seed, its ordinal): the same seed
 * gives the same city. All of it is set-based SQL over generate_series, a batch per statement.
 * People get no password (they cannot sign in) and phone numbers in ranges no real user has:
 * grid workers 1810…, community workers 1820…, members 1830…; the ticket filler adds residents
 * (19…), and community and department staff for its timelines (1800…, 1700…).
 */
import pg from 'pg';
import type { PiiCipher } from '../core/pii.ts';
import type { Db } from '../db/index.ts';
import { ageOn } from '../party/colour.ts';
import { makeIdNumber, maskIdNumber } from '../party/id-number.ts';
import {
  createDraw,
  drawnName,
  type FillSummary,
  fillTickets,
  GIVEN,
  type Session,
  SURNAMES,
} from './fill-tickets.ts';

/** Published figures of Datong (DOMAIN.md) the city is sized to at scale 1. */
export const CITY_FIGURES = {
  buildings: 40_000,
  households: 800_000,
  gridWorkers: 2_285,
  communityWorkers: 3_258,
  members: 83_049,
  /** The members' party records (ledger, ID number, …): one per member account. */
  ledgers: 83_049,
  tickets: 1_000_000,
} as const;
export type CityStage = keyof typeof CITY_FIGURES;
export const CITY_STAGES = Object.keys(CITY_FIGURES) as CityStage[];

export interface CityOptions {
  /** 1 = the whole city; 0.01 for a quick run. */
  scale: number;
  seed?: number;
  /** End of the year of tickets (default: now). Give the same instant to resume identically. */
  now?: Date;
  /** Rows per statement for the people and household stages. */
  batchSize?: number;
  onProgress?: (p: { stage: CityStage; done: number; target: number }) => void;
  onLog?: (msg: string) => void;
  /** Only these stages (default all). Later stages draw on earlier ones: members on buildings. */
  only?: CityStage[];
  /** Seals the members' ID numbers (PII_KEY); without it the ledgers stage is skipped. */
  pii?: PiiCipher;
}

export interface StageReport {
  stage: CityStage;
  target: number;
  before: number;
  after: number;
  ms: number;
}

export interface CityReport {
  scale: number;
  seed: number;
  stages: StageReport[];
  tickets: FillSummary | null;
  elapsedMs: number;
}

/** One session on a drizzle handle: a pooled connection checked out (PostgreSQL, embedded), or PGlite itself (tests). */
export async function withSession<T>(db: Db, fn: (s: Session) => Promise<T>): Promise<T> {
  const client = (db as unknown as { $client: unknown }).$client;
  if (client instanceof pg.Pool) {
    const c = await client.connect();
    try {
      return await fn(c);
    } finally {
      c.release();
    }
  }
  type Result = { rows: unknown[]; affectedRows?: number };
  const lite = client as {
    query(text: string, params?: unknown[]): Promise<Result>;
    exec(text: string): Promise<Result[]>;
  };
  return fn({
    async query(text, params) {
      // Without values, the simple protocol (as pg uses): a text may hold several statements.
      const r = params?.length ? await lite.query(text, params) : (await lite.exec(text)).at(-1);
      return { rows: (r?.rows ?? []) as never[], rowCount: r?.affectedRows ?? null };
    },
  });
}

const int = (n: number) => {
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
  return String(n);
};

export function cityTargets(scale: number): Record<CityStage, number> {
  if (!(scale > 0 && scale <= 10)) throw new RangeError('scale must be in (0, 10]');
  return Object.fromEntries(
    CITY_STAGES.map((k) => [k, Math.max(1, Math.round(CITY_FIGURES[k] * scale))]),
  ) as Record<CityStage, number>;
}

export async function seedCity(db: Session, opts: CityOptions): Promise<CityReport> {
  const started = performance.now();
  const seed = Math.floor(opts.seed ?? 1);
  const targets = cityTargets(opts.scale);
  const batch = opts.batchSize ?? 50_000;
  const log = opts.onLog ?? (() => {});
  const progress = opts.onProgress ?? (() => {});
  const q = (text: string, params?: unknown[]) => db.query(text, params);
  const one = async (text: string, params?: unknown[]) => Number((await q(text, params)).rows[0]?.n ?? 0);

  if ((await one(`select count(*)::int as n from compounds`)) === 0)
    throw new Error('城市数据需要先有演示数据 / seed:city needs the demo first (npm run cli -- demo:seed)');

  // Draws as the ticket filler draws, under a name of their own (the filler makes its own).
  await createDraw(db, 'gz_city', seed);
  const u = (g: string, salt: number) => `pg_temp.gz_city(${g}, ${salt})`;
  const name = (g: string, salt: number) => drawnName('gz_city', g, salt);
  const names = [SURNAMES, GIVEN];

  const stages: StageReport[] = [];
  const wanted = (key: CityStage) => !opts.only || opts.only.includes(key);
  /** Runs `add(from, to)` over the missing ordinals in batches, committing each. */
  const stage = async (
    key: CityStage,
    count: () => Promise<number>,
    add: (from: number, to: number) => Promise<void>,
    step = batch,
    /** The most this database can hold (every grid staffed, every flat of every building filled). */
    cap = Number.POSITIVE_INFINITY,
  ) => {
    if (!wanted(key)) return;
    const t0 = performance.now();
    const target = Math.min(targets[key], cap);
    const before = await count();
    let done = before;
    progress({ stage: key, done, target });
    while (done < target) {
      const to = Math.min(target, done + step);
      await q('begin');
      try {
        await add(done + 1, to);
        await q('commit');
      } catch (err) {
        await q('rollback');
        throw err;
      }
      const now = await count();
      if (now <= done) throw new Error(`${key}: no progress at ${done}/${target}`);
      done = now;
      progress({ stage: key, done, target });
    }
    const r = { stage: key, target, before, after: done, ms: Math.round(performance.now() - t0) };
    stages.push(r);
    log(`${key}: ${before} → ${done} (target ${target}) in ${(r.ms / 1000).toFixed(1)} s`);
  };

  // The joins below pick a row by its ordinal against a count computed here: a count taken in the
  // same query puts both sides in the join condition, and PostgreSQL can only nest the loops (the
  // members' first batch ran for minutes that way).
  const nCompounds = await one(`select count(*)::int as n from compounds`);
  const nCommunities = await one(
    `select count(*)::int as n from regions r
     where level = 'community' and exists (select 1 from compounds x where x.community_code = r.code)`,
  );
  // Buildings: ordinal k stands in compound (k mod n) of the compounds in code order, numbered after
  // the compound's own; 4–7 storey walk-ups mostly, a fifth high-rise.
  await stage(
    'buildings',
    () => one(`select count(*)::int as n from buildings`),
    async (from, to) => {
      await q(
        `with c as (
           select id, county_code, path, row_number() over (order by code)::int - 1 as i from compounds
         ), g as (
           select k, c.id, c.county_code, c.path
           from generate_series(${int(from)}, ${int(to)}) k join c on c.i = k % ${int(nCompounds)}
         ), top as (
           select compound_id, max(coalesce(substring(name from '^(\\d+)号楼$')::int, 0)) as top
           from buildings where compound_id in (select id from g) group by compound_id
         )
         insert into buildings (compound_id, name, units, floors, county_code, path)
         select g.id, (coalesce(top.top, 0) + row_number() over (partition by g.id order by g.k))::text || '号楼',
           1 + floor(${u('g.k', 1)} * 4)::int,
           case when ${u('g.k', 2)} < 0.2 then 11 + floor(${u('g.k', 3)} * 22)::int else 4 + floor(${u('g.k', 3)} * 4)::int end,
           g.county_code, g.path
         from g left join top on top.compound_id = g.id`,
      );
    },
  );

  // Households: buildings without any, in id order, each given the same number of flats or all it
  // has (two a floor in each unit), numbered unit by unit, floor by floor: 101, 102, 201… The number
  // is the smallest that reaches the target, small buildings being full.
  const householdsNow = await one(`select count(*)::int as n from households`);
  const sizes = (
    await q(
      `select units * floors * 2 as cap, count(*)::int as n from buildings b
       where not exists (select 1 from households h where h.building_id = b.id) group by 1`,
    )
  ).rows.map((r) => ({ cap: Number(r.cap), n: Number(r.n) }));
  const flatsAt = (per: number) => sizes.reduce((sum, s) => sum + Math.min(per, s.cap) * s.n, 0);
  const maxCap = Math.max(1, ...sizes.map((s) => s.cap));
  let perBuilding = 1;
  for (let hi = maxCap; perBuilding < hi; ) {
    const mid = Math.floor((perBuilding + hi) / 2);
    if (householdsNow + flatsAt(mid) >= targets.households) hi = mid;
    else perBuilding = mid + 1;
  }
  const flats = flatsAt(perBuilding);
  await stage(
    'households',
    () => one(`select count(*)::int as n from households`),
    async (from, to) => {
      await q(
        `with b as (
           select id, units, floors, county_code, path from buildings b
           where not exists (select 1 from households h where h.building_id = b.id)
           order by id limit ${int(Math.ceil((to - from + 1) / perBuilding))}
         )
         insert into households (building_id, unit, room, county_code, path)
         select b.id, 1 + i / (b.floors * 2), ((i % (b.floors * 2)) / 2 + 1)::text || lpad((i % 2 + 1)::text, 2, '0'),
           b.county_code, b.path
         from b cross join generate_series(0, least(${int(perBuilding)}, b.units * b.floors * 2) - 1) i`,
      );
    },
    batch,
    householdsNow + flats,
  );

  // Grid workers: one for each grid, in code order.
  const nGrids = await one(`select count(*)::int as n from grids`);
  await stage(
    'gridWorkers',
    () => one(`select count(*)::int as n from grids where worker_user_id is not null`),
    async (from, to) => {
      await q(
        `with g as (
           select id, code, path from grids where worker_user_id is null order by code limit ${int(to - from + 1)}
         ), u as (
           insert into users (phone, name)
           select '1810' || lpad(g.id::text, 7, '0'), ${name('g.id', 11)} from g
           on conflict (phone) do update set updated_at = users.updated_at
           returning id, phone
         ), gr as (
           insert into grants (user_id, role, scope_path, node_kind, node_ref)
           select u.id, 'gridWorker', g.path, 'grid', g.id::text from g join u on u.phone = '1810' || lpad(g.id::text, 7, '0')
           on conflict do nothing
         )
         update grids set worker_user_id = u.id from g join u on u.phone = '1810' || lpad(g.id::text, 7, '0')
         where grids.id = g.id`,
        names,
      );
    },
    batch,
    nGrids,
  );

  // Community workers: ordinal k works in community (k mod n) of the urban communities.
  await stage(
    'communityWorkers',
    () => one(`select count(*)::int as n from users where phone like '1820%'`),
    async (from, to) => {
      await q(
        `with c as (
           select code, path, row_number() over (order by code)::int - 1 as i
           from regions r where level = 'community' and exists (select 1 from compounds x where x.community_code = r.code)
         ), g as (
           select k, c.code, c.path from generate_series(${int(from)}, ${int(to)}) k join c on c.i = k % ${int(nCommunities)}
         ), u as (
           insert into users (phone, name)
           select '1820' || lpad(g.k::text, 7, '0'), ${name('g.k', 21)} from g
           on conflict (phone) do nothing
           returning id, phone
         )
         insert into grants (user_id, role, scope_path, node_kind, node_ref)
         select u.id, 'communityAdmin', g.path, 'region', g.code from g join u on u.phone = '1820' || lpad(g.k::text, 7, '0')`,
        names,
      );
    },
  );

  const nBuildingsNow = await one(`select count(*)::int as n from buildings`);
  // Party members: ordinal k lives in the compound of a building drawn at random, so large estates
  // have more; the member role on that compound. (Their ledgers come with the party domain.)
  await stage(
    'members',
    () => one(`select count(*)::int as n from users where phone like '1830%'`),
    async (from, to) => {
      await q(
        `with b as (
           select compound_id, row_number() over (order by id)::int - 1 as i from buildings
         ), g as (
           select k, b.compound_id from generate_series(${int(from)}, ${int(to)}) k
           join b on b.i = floor(${u('k', 31)} * ${int(nBuildingsNow)})::int
         ), u as (
           insert into users (phone, name)
           select '1830' || lpad(g.k::text, 7, '0'), ${name('g.k', 32)} from g
           on conflict (phone) do nothing
           returning id, phone
         )
         insert into grants (user_id, role, scope_path, node_kind, node_ref)
         select u.id, 'member', c.path, 'compound', c.id::text
         from g join u on u.phone = '1830' || lpad(g.k::text, 7, '0') join compounds c on c.id = g.compound_id`,
        names,
      );
    },
  );

  // Party records for the members, in the mix of a real city: most direct or retired, about
  // 15,000 in service, a few hundred mobile. ID numbers are made and sealed here (AES in Node),
  // unique by construction: a birth date per block of 500 ordinals and the ordinal's place in it.
  const nMembers = targets.members;
  const blocks = Math.ceil(nMembers / 500);
  if (opts.pii) {
    const pii = opts.pii;
    await stage(
      'ledgers',
      () => one(`select count(*)::int as n from party_members where phone like '1830%'`),
      async (from, to) => {
        const rows = (
          await q(
            `select u.id as user_id, u.phone, u.name, substr(u.phone, 5)::int as k, c.id as compound_id,
               c.community_code, c.county_code, c.path,
               case when ${u('substr(u.phone, 5)::int', 41)} < 0.181 then 'inService'
                    when ${u('substr(u.phone, 5)::int', 41)} < 0.186 then 'mobile'
                    when ${u('substr(u.phone, 5)::int', 41)} < 0.566 then 'retired' else 'direct' end as ledger,
               ${u('substr(u.phone, 5)::int', 42)} as r1, ${u('substr(u.phone, 5)::int', 43)} as r2
             from users u
             join grants g on g.user_id = u.id and g.role = 'member'
             join compounds c on c.id = g.node_ref::bigint
             where u.phone >= '1830' || lpad($1::text, 7, '0') and u.phone <= '1830' || lpad($2::text, 7, '0')
               and not exists (select 1 from party_members p where p.user_id = u.id)`,
            [from, to],
          )
        ).rows;
        if (rows.length === 0) return;
        const now = new Date();
        const day = (start: number, span: number, k: number) =>
          new Date(start + Math.floor(k / 500) * Math.max(1, Math.floor(span / blocks)) * 86_400_000)
            .toISOString()
            .slice(0, 10);
        const cols: Record<string, unknown[]> = {};
        const push = (k: string, v: unknown) => {
          const col = cols[k] ?? [];
          cols[k] = col;
          col.push(v);
        };
        for (const r of rows) {
          const k = Number(r.k);
          const retired = r.ledger === 'retired';
          const birth = retired ? day(Date.UTC(1931, 0, 1), 11_680, k) : day(Date.UTC(1966, 0, 1), 13_000, k);
          const sex = Number(r.r1) < 0.55 ? 'male' : 'female';
          const id = makeIdNumber(String(r.county_code), birth, 2 * (k % 500), sex);
          const age = ageOn(birth, now.toISOString().slice(0, 10));
          push('user_id', Number(r.user_id));
          push('name', r.name);
          push('sex', sex);
          push('birth', birth);
          push('sealed', pii.seal(id));
          push('idx', pii.index(id));
          push('masked', maskIdNumber(id));
          push('phone', r.phone);
          push('standing', Number(r.r2) < 0.02 ? 'probationary' : 'full');
          push('joined', `${Math.min(Number(birth.slice(0, 4)) + 25, now.getUTCFullYear() - 1)}-07-01`);
          push('compound_id', Number(r.compound_id));
          push('community', r.community_code);
          push('county', r.county_code);
          push('path', r.path);
          push('ledger', r.ledger);
          push('work_unit', r.ledger === 'inService' ? `大同市第${1 + (k % 97)}机关单位` : null);
          push('frail', retired && age >= 75 && Number(r.r2) < 0.3);
          const mobile = r.ledger === 'mobile';
          push('m_dir', mobile ? 'out' : null);
          push('m_place', mobile ? '北京市' : null);
          push('m_contact', mobile ? r.phone : null);
          push('m_cert', mobile ? `LD${k}` : null);
        }
        await q(
          `insert into party_members (user_id, name, sex, birth_date, id_sealed, id_index, id_masked, phone,
             standing, joined_on, compound_id, community_code, county_code, path, ledger, work_unit, frail,
             mobile_direction, mobile_place, mobile_contact, mobile_certificate, created_at, updated_at)
           select *, now(), now() from unnest($1::bigint[], $2::text[], $3::text[], $4::date[], $5::bytea[],
             $6::bytea[], $7::text[], $8::text[], $9::text[], $10::date[], $11::bigint[], $12::text[],
             $13::text[], $14::text[], $15::text[], $16::text[], $17::boolean[], $18::text[], $19::text[],
             $20::text[], $21::text[])
           on conflict do nothing`,
          [
            'user_id',
            'name',
            'sex',
            'birth',
            'sealed',
            'idx',
            'masked',
            'phone',
            'standing',
            'joined',
            'compound_id',
            'community',
            'county',
            'path',
            'ledger',
            'work_unit',
            'frail',
            'm_dir',
            'm_place',
            'm_contact',
            'm_cert',
          ].map((c) => cols[c]),
        );
      },
      20_000,
    );
  } else if (wanted('ledgers')) log('ledgers: skipped (no PII key to seal ID numbers with)');

  // A year of tickets, by the ticket filler (its own transactions and batches).
  let tickets: FillSummary | null = null;
  if (wanted('tickets')) {
    const t0 = performance.now();
    const target = targets.tickets;
    const before = await one(`select count(*)::int as n from tickets`);
    progress({ stage: 'tickets', done: before, target });
    if (before < target) {
      tickets = await fillTickets(db, {
        count: target - before,
        first: before + 1,
        total: target,
        seed,
        now: opts.now,
        batchSize: Math.max(1_000, Math.min(100_000, Math.round(target / 20))),
        onBatch: (last) => progress({ stage: 'tickets', done: last, target }),
        onProgress: log,
      });
    }
    const after = await one(`select count(*)::int as n from tickets`);
    stages.push({ stage: 'tickets', target, before, after, ms: Math.round(performance.now() - t0) });
  }
  await q(`drop function if exists pg_temp.gz_city(bigint, int)`);
  return { scale: opts.scale, seed, stages, tickets, elapsedMs: Math.round(performance.now() - started) };
}
