/**
 * City-scale ticket filler: adds N tickets with a year of history to a database that is migrated
 * and seeded with the Datong demo, so the ticket endpoints can be measured on realistic volumes.
 * `npm run cli -- seed:city` (demo/city.ts) and `npm run bench` call it on one database session
 * (a pg.Client or PoolClient; `sessionOf` in demo/city.ts for a drizzle handle).
 *
 * Everything is set-based SQL (INSERT … SELECT over generate_series, one statement per table and
 * batch), deterministic for a seed: every random draw is a hash of (seed, ticket ordinal, purpose),
 * so the data do not depend on plan or row order. Every constraint, foreign key and unique index of
 * the schema stays in force (nothing is disabled); ids come from the tables' own sequences, ticket
 * numbers from the same per-day counters (ticket_numbers, ticket_number_seq) the intake uses, so a
 * server started on the filled database goes on numbering where the filler stopped.
 *
 * What a ticket gets, in proportions a year of a mid-sized city could show:
 * - a place: one of the demo's compounds (skewed: busy estates report more), sometimes a building,
 *   a GPS point or a spot; about one staff-keyed ticket in ten names only the community;
 * - a channel (app 55 %, hotline 30 %, patrol 10 %, staff 3 %, Open311 2 %) and the matching
 *   reporter / keyer / contact fields and idempotency key; app reporters are synthetic residents
 *   of the compound (with resident grants), who follow their tickets; a few neighbours "+1";
 * - an item of the current responsibility list (skewed; matters the community or township handles
 *   make up 45 %), a description from the labelled reports of that item, urgency from the item;
 * - a lifecycle planned from the item's limits (accept; department matters are whistled to the
 *   item's department of the county, sometimes with a second one, community matters handled in
 *   the community and 8 % whistled; check-in, resolve, confirm, rate or follow-up expiry), with
 *   long tails (overdue tickets), reopenings after an unsatisfied rating (some twice, then closed
 *   unsatisfied), rejections, referrals and merges. The plan is cut at `now`: what happened before
 *   is history (events, dispatches, deadline marks, escalation, closing), the rest is the open
 *   queue. Old tickets are therefore almost all closed and recent ones open, as in real life.
 * - the timeline those moves write (submit, accept, whistle, check-ins, resolve, confirm, rate,
 *   the deadline sweep's warn/overdue/escalate marks, "+1"s), the dispatches, the reporter's and
 *   neighbours' follows, and the `ticket.create` audit row.
 * A closed ticket thus has 6 (handled in the community) or 7 (whistled) events, more when it was
 * late or reopened: 7.3 on average. Not filled: notices, audit rows of later moves, photos.
 *
 * Speed (2-core machine shared with other work): 1,000,000 tickets with 7.3 M events in about
 * 6 minutes on PostgreSQL 15, most of it in the per-row foreign-key checks; about 1,800 tickets/s
 * on the embedded database.
 */
import { LABELLED_TICKETS } from '../tickets/labelled-tickets.ts';

/** One database session: a pg.Client, a checked-out pg.PoolClient (temp tables and transactions need one session). */
export interface Session {
  // biome-ignore lint/suspicious/noExplicitAny: rows of ad-hoc SQL
  query(text: string, params?: unknown[]): Promise<{ rows: any[]; rowCount?: number | null }>;
}

export interface FillOptions {
  /** Tickets to add. */
  count: number;
  /** Same seed, same database contents before → same tickets. */
  seed?: number;
  /**
   * The tickets are ordinals `first … first + count - 1` of a year of `total` (defaults: 1 and
   * `count`): a fill cut short goes on with `first` after what it wrote, and the tickets are those
   * one uninterrupted run would have made (for the same `now`).
   */
  first?: number;
  total?: number;
  /** End of the year of history (default: the current time). */
  now?: Date;
  /** Days of history (default 365). */
  days?: number;
  /** Tickets per transaction (default 100,000). */
  batchSize?: number;
  /** VACUUM ANALYZE the filled tables at the end, as autovacuum would have by then (default true). */
  vacuum?: boolean;
  onProgress?: (msg: string) => void;
  /** After each batch: the last ordinal written. */
  onBatch?: (lastOrdinal: number) => void;
}

export interface FillSummary {
  tickets: number;
  firstId: number | null;
  lastId: number | null;
  events: number;
  dispatches: number;
  followers: number;
  auditRows: number;
  usersAdded: number;
  statuses: Record<string, number>;
  /** Event rows per ticket: min, mean, max. */
  eventsPerTicket: { min: number; mean: number; max: number };
  elapsedMs: number;
  vacuumMs: number;
}

const DAY = 86_400;
/** Tickets per resident per year, roughly, for sizing the synthetic residents. */
const TICKETS_PER_RESIDENT = 3;
/** Sweep lag: marks land a little after the deadline, as with a sweep every minute. */
const LAG = 30;

export const SURNAMES =
  '王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 胡 朱 高 林 何 郭 马 罗 梁 宋 郑 谢 韩 唐 冯 于 董 萧 程 曹 袁 邓 许 傅 沈 曾 彭 吕'.split(
    ' ',
  );
export const GIVEN =
  '伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀 霞 平 刚 桂 英 华 玉 兰 萍 红 建 国 文 斌 宇 浩 凯 鹏 慧 婷 雪 琳'.split(
    ' ',
  );
const SPOTS = [
  '东门口',
  '西门口',
  '南门口',
  '北门口',
  '地下车库入口',
  '小区广场',
  '单元门口',
  '楼道里',
  '垃圾站旁边',
  '健身器材那里',
  '路边',
  '停车场',
];
const SUFFIXES = [
  '',
  '',
  '',
  '',
  '麻烦尽快处理。',
  '已经好几天了。',
  '谢谢！',
  '希望社区帮忙协调一下。',
  '急！',
];
const RESOLVE_NOTES = ['已处理完毕', '已安排人员现场处理', '已维修', '已清理', '已协调解决', '已整改到位'];
/** Departments a community whistles for matters the list gives to the community or township. */
const COMMON_TYPES = ['cityManagement', 'housing', 'market', 'environment', 'police', 'water', 'power'];

/** Seconds a limit takes on the wall clock, roughly (working hours and days stretched over nights and weekends). */
export function limitSeconds(limit: string): number {
  const m = /^(\d+)(wm|wh|wd|m|h|d)$/.exec(limit.trim());
  if (!m) throw new RangeError(`limit ${limit}`);
  const n = Number(m[1]);
  const unit = { m: 60, wm: 90, h: 3600, wh: 2 * 3600, d: DAY, wd: 1.4 * DAY }[m[2] as 'm'];
  return n * unit;
}

const lit = (n: number) => {
  if (!Number.isFinite(n)) throw new Error(`not a number: ${n}`);
  return String(n);
};
const ts = (d: Date) => `'${d.toISOString()}'::timestamptz`;
const secs = (expr: string) => `((${expr}) * interval '1 second')`;

/**
 * Adds `count` tickets. Needs the demo (or any city with compounds, departments and a current
 * responsibility list) in place; adds the synthetic residents, community workers and department
 * officers it needs (no password: they cannot sign in) once, reusing them on later runs.
 */
export async function fillTickets(db: Session, opts: FillOptions): Promise<FillSummary> {
  const started = performance.now();
  const count = Math.floor(opts.count);
  if (!(count > 0)) throw new Error('count must be positive');
  const first = Math.floor(opts.first ?? 1);
  const total = Math.floor(opts.total ?? count);
  if (!(first >= 1 && first + count - 1 <= total)) throw new Error('tickets must lie within 1 … total');
  const last = first + count - 1;
  const seed = Math.floor(opts.seed ?? 1);
  const now = opts.now ?? new Date();
  const days = opts.days ?? 365;
  const batchSize = opts.batchSize ?? 100_000;
  const log = opts.onProgress ?? (() => {});
  const start = new Date(now.getTime() - days * DAY * 1000);
  const NOW = ts(now);
  const timing = process.env.FILL_TIMING === '1';
  const q = async (text: string, params?: unknown[]) => {
    const t = performance.now();
    const r = await db.query(text, params);
    if (timing)
      process.stderr.write(
        `  ${(performance.now() - t).toFixed(0).padStart(6)} ms  ${text.trim().slice(0, 70).replace(/\s+/g, ' ')}\n`,
      );
    return r;
  };
  const u = (salt: number) => `pg_temp.gz_u(g, ${salt})`;

  await q(`set work_mem = '64MB'`);
  await createDraw(db, 'gz_u', seed);

  // Reference data ---------------------------------------------------------------------------
  const [list] = (await q(`select id from responsibility_lists where current limit 1`)).rows;
  if (!list) throw new Error('no current responsibility list: seed the demo first (npm start -- --demo)');
  const items = (
    await q(
      `select id, code, handler_level, department_type, urgent, accept_limit, check_in_limit, resolve_limit
       from responsibility_items where list_id = $1 order by id`,
      [list.id],
    )
  ).rows;
  await dropTemp(db, REFERENCE_TEMPS);
  const texts = LABELLED_TICKETS.map((t) => ({ c: t.itemCode, t: t.text }));
  await q(
    `create temp table fill_texts as
     select c as item_code, row_number() over (partition by c order by ord)::int as idx, t as text
     from (select x.v->>'c' as c, x.v->>'t' as t, x.ord from jsonb_array_elements($1::jsonb) with ordinality as x(v, ord)
           union all
           select '*', x.v->>'t', x.ord from jsonb_array_elements($1::jsonb) with ordinality as x(v, ord)) s`,
    [JSON.stringify(texts)],
  );
  await q(`create index on fill_texts (item_code, idx)`);
  await q(
    `create temp table fill_items as
     select row_number() over (partition by x.handler_level = 'department' order by hashint8extended(x.id, ${lit(seed)}))::int as crank,
       case when x.handler_level = 'department' then 1 else 0 end as cls, x.*,
       coalesce((select count(*) from fill_texts t where t.item_code = x.code), 0)::int as n_texts
     from jsonb_to_recordset($1::jsonb) as x(id bigint, code text, handler_level text, department_type text,
       urgent boolean, accept_s float8, checkin_s float8, resolve_s float8)`,
    [
      JSON.stringify(
        items.map((i) => ({
          id: Number(i.id),
          code: i.code,
          handler_level: i.handler_level,
          department_type: i.department_type,
          urgent: i.urgent,
          accept_s: limitSeconds(i.accept_limit),
          checkin_s: limitSeconds(i.check_in_limit),
          resolve_s: limitSeconds(i.resolve_limit),
        })),
      ),
    ],
  );
  const ni = items.length;
  if (ni === 0) throw new Error('the current responsibility list has no items');
  // Matters the community or township handles itself make up a bit under half of all reports.
  const nDept = items.filter((i) => i.handler_level === 'department').length;
  const nLocal = ni - nDept;
  const localShare = nDept === 0 ? 1 : nLocal === 0 ? 0 : 0.45;

  await q(
    `create temp table fill_compounds as
     select row_number() over (order by hashint8extended(c.id, ${lit(seed)}))::int as rank,
       c.id, c.community_code, c.county_code, c.path, r.path as community_path, c.lat, c.lng,
       dense_rank() over (order by c.community_code)::int as community_rank,
       (select count(*) from buildings b where b.compound_id = c.id)::int as n_buildings,
       (select count(*) from departments d where d.region_code = c.county_code)::int as n_depts
     from compounds c join regions r on r.code = c.community_code`,
  );
  const nc = Number((await q(`select count(*)::int as n from fill_compounds`)).rows[0].n);
  if (nc === 0) throw new Error('no compounds: seed the demo first (npm start -- --demo)');
  await q(
    `create temp table fill_buildings as
     select compound_id, row_number() over (partition by compound_id order by id)::int as rn, id, name
     from buildings where compound_id in (select id from fill_compounds)`,
  );
  await q(`create index on fill_buildings (compound_id, rn)`);
  await q(
    `create temp table fill_depts as
     select region_code as county_code, type, id,
       row_number() over (partition by region_code order by id)::int as k,
       count(*) over (partition by region_code)::int as n
     from departments`,
  );
  await q(`create index on fill_depts (county_code, type)`);
  await q(`create index on fill_depts (county_code, k)`);

  // Synthetic people, added once (by phone) and reused --------------------------------------------
  const perCompound = Math.min(500, Math.max(4, Math.round((total * 0.55) / nc / TICKETS_PER_RESIDENT)));
  const usersBefore = Number((await q(`select count(*)::int as n from users`)).rows[0].n);
  const name = (a: string, b: number) => drawnName('gz_u', a, b);
  await q('begin');
  // Residents: '19' + compound rank (4 digits) + number in the compound (5 digits).
  await q(
    `insert into users (phone, name, created_at, updated_at)
     select '19' || lpad(c.rank::text, 4, '0') || lpad(i::text, 5, '0'), ${name('c.rank * 100000 + i', 901)}, ${ts(start)}, ${ts(start)}
     from fill_compounds c cross join generate_series(1, ${lit(perCompound)}) i
     on conflict (phone) do nothing`,
    [SURNAMES, GIVEN],
  );
  // Community workers: '1800' + community rank (7 digits); department officers: '1700' + department id.
  await q(
    `insert into users (phone, name, created_at, updated_at)
     select distinct '1800' || lpad(c.community_rank::text, 7, '0'), ${name('c.community_rank', 911)}, ${ts(start)}, ${ts(start)}
     from fill_compounds c
     on conflict (phone) do nothing`,
    [SURNAMES, GIVEN],
  );
  await q(
    `insert into users (phone, name, created_at, updated_at)
     select '1700' || lpad(d.id::text, 7, '0'), ${name('d.id', 921)}, ${ts(start)}, ${ts(start)}
     from fill_depts d
     on conflict (phone) do nothing`,
    [SURNAMES, GIVEN],
  );
  await q(
    `create temp table fill_res as
     select c.rank as c_rank, i as idx, u.id as user_id, u.name, u.phone
     from fill_compounds c cross join generate_series(1, ${lit(perCompound)}) i
     join users u on u.phone = '19' || lpad(c.rank::text, 4, '0') || lpad(i::text, 5, '0')`,
  );
  await q(`create index on fill_res (c_rank, idx)`);
  await q(
    `insert into grants (user_id, role, scope_path, node_kind, node_ref, created_at)
     select r.user_id, 'resident', c.path, 'compound', c.id::text, ${ts(start)}
     from fill_res r join fill_compounds c on c.rank = r.c_rank
     on conflict do nothing`,
  );
  await q(`alter table fill_compounds add column staff_id bigint`);
  await q(
    `update fill_compounds c set staff_id = u.id from users u
     where u.phone = '1800' || lpad(c.community_rank::text, 7, '0')`,
  );
  await q(
    `insert into grants (user_id, role, scope_path, node_kind, node_ref, created_at)
     select distinct c.staff_id, 'communityAdmin', c.community_path, 'region', c.community_code, ${ts(start)}::timestamptz
     from fill_compounds c
     on conflict do nothing`,
  );
  await q(`alter table fill_depts add column officer_id bigint`);
  await q(
    `update fill_depts d set officer_id = u.id from users u where u.phone = '1700' || lpad(d.id::text, 7, '0')`,
  );
  await q(
    `insert into grants (user_id, role, scope_path, node_kind, node_ref, department_id, created_at)
     select d.officer_id, 'departmentOfficer', r.path, 'department', d.id::text, d.id, ${ts(start)}
     from fill_depts d join regions r on r.code = d.county_code
     on conflict do nothing`,
  );
  await q('commit');
  await q(`create index on fill_compounds (rank)`);
  await q(
    `analyze fill_compounds; analyze fill_items; analyze fill_res; analyze fill_depts; analyze fill_buildings`,
  );
  const usersAdded = Number((await q(`select count(*)::int as n from users`)).rows[0].n) - usersBefore;
  log(
    `reference: ${nc} compounds, ${ni} items, ${perCompound} residents per compound (${usersAdded} users added)`,
  );

  // Batches ----------------------------------------------------------------------------------
  const summary: FillSummary = {
    tickets: 0,
    firstId: null,
    lastId: null,
    events: 0,
    dispatches: 0,
    followers: 0,
    auditRows: 0,
    usersAdded,
    statuses: {},
    eventsPerTicket: { min: Number.POSITIVE_INFINITY, mean: 0, max: 0 },
    elapsedMs: 0,
    vacuumMs: 0,
  };
  const spanS = days * DAY;
  for (let lo = first; lo <= last; lo += batchSize) {
    const hi = Math.min(last, lo + batchSize - 1);
    const t0 = performance.now();
    await q('begin');
    await dropTemp(db, ['fill_ids', 'fill_a', 'fill_b', 'fill_t', 'fill_days']);
    // Ids from the table's own sequence, in ordinal (and so time) order: newest tickets have the highest ids.
    await q(
      `create temp table fill_ids on commit drop as
       select g as ord, nextval(pg_get_serial_sequence('tickets', 'id')) as id from generate_series(${lo}, ${hi}) g`,
    );
    // Draws.
    await q(
      `create temp table fill_a on commit drop as
       select g as ord, f.id,
         ${ts(start)} + ${secs(`${spanS} * power((g - 1 + ${u(1)}) / ${total}.0, 0.85)`)} as t0,
         ${u(2)} as u_channel, 1 + least(${nc - 1}, floor(${nc} * power(${u(3)}, 1.5))::int) as c_rank,
         ${u(4)} as u_item, ${u(42)} < ${localShare} as local_item,
         ${u(5)} as u_building, ${u(6)} as u_building_pick, ${u(7)} as u_gps, ${u(8)} as u_lat, ${u(9)} as u_lng,
         ${u(10)} as u_place, ${u(11)} as u_private, ${u(12)} as u_urgent, ${u(13)} as u_noitem, ${u(14)} as u_end,
         ${u(15)} as u_path, ${u(16)} as u_two, ${u(17)} as u_reopen, ${u(18)} as u_outcome, ${u(19)} as u_rating,
         ${u(20)} as u_stuck, ${u(21)} as u_stuck_amt, ${u(22)} as u_acc, ${u(23)} as u_t2, ${u(24)} as u_chk,
         ${u(25)} as u_chk2, ${u(26)} as u_work, ${u(27)} as u_conf, ${u(28)} as u_rate, ${u(29)} as u_text,
         ${u(30)} as u_suffix, ${u(31)} as u_resident, ${u(32)} as u_dept1, ${u(33)} as u_dept2, ${u(34)} as u_merge,
         ${u(35)} as u_plus, ${u(36)} as u_plus_n, ${u(37)} as u_contact, ${u(38)} as u_has_compound,
         ${u(39)} as u_rerate, ${u(40)} as u_note, ${u(41)} as u_phone
       from generate_series(${lo}, ${hi}) g join fill_ids f on f.ord = g`,
    );
    await q(`analyze fill_a`);
    // Choices and the planned lifecycle.
    await q(
      `create temp table fill_b on commit drop as
       with x as (
         select a.*, c.id as c_id, c.community_code, c.county_code, c.path as c_path, c.community_path, c.lat as c_lat,
           c.lng as c_lng, c.n_buildings, c.n_depts, c.staff_id,
           i.id as item_id0, i.code as item_code, i.handler_level, i.department_type, i.urgent as item_urgent,
           i.accept_s, i.checkin_s, i.resolve_s, i.n_texts,
           r.user_id as resident_id, r.name as resident_name, r.phone as resident_phone,
           case when a.u_channel < 0.55 then 'app' when a.u_channel < 0.85 then 'hotline'
                when a.u_channel < 0.95 then 'patrol' when a.u_channel < 0.98 then 'staff' else 'open311' end as channel
         from fill_a a
         join fill_compounds c on c.rank = a.c_rank
         join fill_items i on i.cls = case when a.local_item then 0 else 1 end
           and i.crank = 1 + case when a.local_item then least(${nLocal - 1}, floor(${nLocal} * power(a.u_item, 1.6))::int)
                                  else least(${nDept - 1}, floor(${nDept} * power(a.u_item, 1.6))::int) end
         join fill_res r on r.c_rank = a.c_rank and r.idx = 1 + least(${perCompound - 1}, floor(a.u_resident * ${perCompound})::int)
       ), y as (
         select x.*,
           (x.channel = 'app' or x.u_has_compound >= 0.1) as has_compound,
           x.item_urgent or x.u_urgent < 0.02 as urgent,
           x.u_noitem < case when x.channel = 'app' then 0.25 else 0.05 end as no_item,
           case when x.u_end < 0.02 then 'rejected' when x.u_end < 0.035 then 'referred'
                when x.u_end < 0.045 and x.ord > ${lo} then 'merged' when x.u_end < 0.045 then 'rejected' end as end_kind,
           d1.id as d1, d1.officer_id as d1_officer,
           case when d2.id is distinct from d1.id then d2.id else d2b.id end as d2x,
           case when d2.id is distinct from d1.id then d2.officer_id else d2b.officer_id end as d2x_officer
         from x
         left join fill_depts d1 on d1.county_code = x.county_code and d1.type =
           case when x.handler_level = 'department' then x.department_type
                else ($1::text[])[1 + floor(x.u_dept1 * ${COMMON_TYPES.length})::int] end
         left join fill_depts d2 on d2.county_code = x.county_code and d2.k = 1 + floor(x.u_dept2 * x.n_depts)::int
         left join fill_depts d2b on d2b.county_code = x.county_code
           and d2b.k = 1 + (floor(x.u_dept2 * x.n_depts)::int + 1) % greatest(x.n_depts, 1)
       ), z as (
         select y.*,
           y.end_kind is null and y.d1 is not null and
             (y.handler_level = 'department' or y.u_path < 0.08) as whistle,
           case when y.end_kind is not null then 0 when y.u_reopen < 0.035 then 1 when y.u_reopen < 0.045 then 2 else 0 end as k,
           case when y.no_item then 7200 when y.urgent then least(y.accept_s, 1800) else y.accept_s end as acc_lim,
           case when y.urgent then 1800 else y.checkin_s end as chk_lim,
           case when y.urgent then 7200 else y.resolve_s end as res_lim,
           3 + 12 * y.u_stuck_amt as stuck
         from y
       ), t as (
         select z.*,
           z.whistle and z.u_two < 0.12 and z.d2x is not null as two,
           case when z.k = 2 and z.u_outcome < 0.5 then 'unsatisfied' when z.u_outcome < 0.15 then 'noRating'
                else 'satisfied' end as outcome_plan,
           z.t0 + ${secs(`z.acc_lim * (0.08 + 1.05 * power(z.u_acc, 3)) * case when z.u_stuck < 0.01 then z.stuck else 1 end`)} as t1
         from z
       ), t2 as (
         select t.*,
           case when t.end_kind is null then t.t1 + ${secs('300 + 10800 * power(t.u_t2, 2)')} end as t2
         from t
       ), t3 as (
         select t2.*,
           case when t2.whistle then t2.t2 + ${secs(`t2.chk_lim * (0.05 + power(t2.u_chk, 3)) * case when t2.u_stuck >= 0.01 and t2.u_stuck < 0.03 then t2.stuck else 1 end`)} end as t3,
           case when t2.two then t2.t2 + ${secs('t2.chk_lim * (0.05 + power(t2.u_chk2, 3))')} end as t3b
         from t2
       ), w as (
         select t3.*,
           case when t3.whistle then greatest(t3.t3, coalesce(t3.t3b, t3.t3)) else t3.t2 end as ws
         from t3
       ), rf as (
         select w.*,
           greatest(w.t1 + ${secs(`w.res_lim * (0.1 + power(w.u_work, 2)) * case when w.u_stuck >= 0.03 and w.u_stuck < 0.06 then w.stuck else 1 end`)},
                    w.ws + interval '30 minutes') as rfin
         from w
       ), l as (
         select rf.*, (rf.rfin - rf.ws) / (rf.k + 1) as len,
           rf.rfin + ${secs('600 + 86400 * power(rf.u_conf, 2)')} as cfin
         from rf
       )
       select l.*,
         ((l.t0 at time zone 'UTC') + interval '8 hours')::date as day,
         case when l.end_kind is null then l.ws + l.len end as r0,
         case when l.end_kind is null and l.k >= 1 then l.ws + 2 * l.len end as r1,
         case when l.end_kind is null and l.k >= 2 then l.ws + 3 * l.len end as r2,
         case when l.end_kind is not null then null when l.k = 0 then l.cfin
              else l.ws + l.len + least(0.1 * l.len, interval '1 day') end as c0,
         case when l.end_kind is not null or l.k < 1 then null when l.k = 1 then l.cfin
              else l.ws + 2 * l.len + least(0.1 * l.len, interval '1 day') end as c1,
         case when l.end_kind is null and l.k = 2 then l.cfin end as c2,
         l.cfin + interval '3 days' as fu_due,
         case when l.outcome_plan = 'noRating' then l.cfin + interval '3 days' + interval '${LAG} seconds'
              else l.cfin + ${secs(`${3 * DAY * 0.9} * l.u_rate`)} end as qfin
       from l`,
      [COMMON_TYPES],
    );
    // Where the plan stands at `now`: status, deadlines and their marks, people, numbers.
    // Numbers: each day's block comes after the numbers already handed out that day. A day the
    // intake has not numbered yet takes it from the day's block counter (`last`); on a day it has
    // (its sequence base is fixed, migration 0012), the block is drawn from the sequence.
    await q(`create temp table fill_days (day date primary key, base int not null) on commit drop`);
    await q(
      `with c as (select day, count(*)::int as n from fill_b group by day),
       up as (
         insert into ticket_numbers (day, last) select day, n from c
         on conflict (day) do update set last = ticket_numbers.last + excluded.last
         where ticket_numbers.base is null
         returning day, last
       )
       insert into fill_days select up.day, up.last - c.n from up join c using (day)`,
    );
    const drawn = await q(
      `with c as (select day, count(*)::int as n from fill_b b where not exists (select 1 from fill_days f where f.day = b.day) group by day)
       select c.day::text, c.n, t.base::bigint as base, s.lo::bigint as lo, s.hi::bigint as hi
       from c join ticket_numbers t using (day)
       cross join lateral (
         select min(v) as lo, max(v) as hi from (select nextval('ticket_number_seq') as v from generate_series(1, c.n)) x
       ) s`,
    );
    for (const r of drawn.rows) {
      // One session drawing alone gets consecutive values; a report numbered meanwhile breaks the run.
      if (Number(r.hi) - Number(r.lo) + 1 !== r.n)
        throw new Error(
          `reports were numbered on ${r.day} during the fill; run it again with no server writing`,
        );
      await q(`insert into fill_days values ($1, $2)`, [r.day, Number(r.lo) - Number(r.base) - 1]);
    }
    await q(
      `create temp table fill_t on commit drop as
       with p as (
         select b.*,
           case when b.end_kind is null and b.k = 0 then b.qfin
                when b.end_kind is null then b.c0 + least(0.1 * b.len, interval '2 days') end as q0,
           case when b.end_kind is null and b.k = 1 then b.qfin
                when b.end_kind is null and b.k = 2 then b.c1 + least(0.1 * b.len, interval '2 days') end as q1,
           case when b.end_kind is null and b.k = 2 then b.qfin end as q2
         from fill_b b
       ), s as (
         select p.*, st.status, st.at as last_at,
           case when p.k = 2 and p.q1 <= ${NOW} then 2 when p.k >= 1 and p.q0 <= ${NOW} then 1 else 0 end as s_idx
         from p cross join lateral (
           select v.st as status, v.at from (values
             (p.t0, 'submitted'), (p.t1, coalesce(p.end_kind, 'accepted')),
             (p.t2, case when p.whistle then 'whistled' else 'inProgress' end),
             (least(p.t3, coalesce(p.t3b, p.t3)), 'inProgress'),
             (p.r0, 'resolved'), (p.c0, 'confirmed'), (p.q0, case when p.k > 0 then 'inProgress' else 'closed' end),
             (p.r1, 'resolved'), (p.c1, 'confirmed'), (p.q1, case when p.k > 1 then 'inProgress' else 'closed' end),
             (p.r2, 'resolved'), (p.c2, 'confirmed'), (p.q2, 'closed')
           ) v(at, st)
           where v.at <= ${NOW} and (p.end_kind is null or v.st in ('submitted', p.end_kind))
           order by v.at desc limit 1
         ) st
       ), m as (
         select s.*,
           s.end_kind is null and s.t1 <= ${NOW} as accepted,
           case s.s_idx when 0 then s.t1 when 1 then s.q0 else s.q1 end as rs,
           least(case s.s_idx when 0 then s.r0 when 1 then s.r1 else s.r2 end, ${NOW}) as re,
           case s.s_idx when 0 then s.c0 when 1 then s.c1 else s.c2 end as cc,
           s.t0 + ${secs('s.acc_lim')} as acc_due, s.t0 + ${secs('0.8 * s.acc_lim')} as acc_warn,
           least(s.t1, ${NOW}) as acc_leave
         from s
       ), n as (
         select m.*,
           case when m.accepted then m.rs + ${secs('m.res_lim')} end as res_due,
           case when m.accepted then m.rs + ${secs('0.8 * m.res_lim')} end as res_warn,
           case when m.t2 <= ${NOW} and m.whistle then m.t2 + ${secs('m.chk_lim')} end as ck_due,
           case when m.t2 <= ${NOW} and m.whistle then m.t2 + ${secs('0.8 * m.chk_lim')} end as ck_warn
         from m
       ), o as (
         select n.*,
           case when n.acc_warn <= n.acc_leave then n.acc_warn + interval '${LAG} seconds' end as acc_warned_at,
           case when n.acc_due <= n.acc_leave then n.acc_due + interval '${LAG} seconds' end as acc_overdue_at,
           case when n.res_warn <= n.re then n.res_warn + interval '${LAG} seconds' end as res_warned_at,
           case when n.res_due <= n.re then n.res_due + interval '${LAG} seconds' end as res_overdue_at,
           case when n.ck_warn <= least(n.t3, ${NOW}) then n.ck_warn + interval '${LAG} seconds' end as ck1_warned_at,
           case when n.ck_due <= least(n.t3, ${NOW}) then n.ck_due + interval '${LAG} seconds' end as ck1_overdue_at,
           case when n.two and n.ck_warn <= least(n.t3b, ${NOW}) then n.ck_warn + interval '${LAG} seconds' end as ck2_warned_at,
           case when n.two and n.ck_due <= least(n.t3b, ${NOW}) then n.ck_due + interval '${LAG} seconds' end as ck2_overdue_at
         from n
       )
       select o.*,
         o.day::text as day_s,
         replace(o.day::text, '-', '') || '-' || lpad((d.base + row_number() over (partition by o.day order by o.ord))::text, 6, '0') as number,
         case when o.has_compound then o.c_id end as compound_id,
         case when o.has_compound then o.c_path else o.community_path end as path,
         (select fb.id from fill_buildings fb where o.has_compound and fb.compound_id = o.c_id and o.n_buildings > 0
            and o.u_building < case o.channel when 'app' then 0.5 when 'patrol' then 0.4 else 0.2 end
            and fb.rn = 1 + least(o.n_buildings - 1, floor(o.u_building_pick * o.n_buildings)::int)) as building_id,
         case when o.has_compound and ((o.channel = 'app' and o.u_gps < 0.6) or (o.channel = 'patrol' and o.u_gps < 0.8))
              then round((o.c_lat + (o.u_lat - 0.5) * 0.002)::numeric, 6)::float8 end as lat,
         case when o.has_compound and ((o.channel = 'app' and o.u_gps < 0.6) or (o.channel = 'patrol' and o.u_gps < 0.8))
              then round((o.c_lng + (o.u_lng - 0.5) * 0.002)::numeric, 6)::float8 end as lng,
         case when o.u_place < 0.3 then ($1::text[])[1 + floor(o.u_place / 0.3 * ${SPOTS.length})::int] end as place,
         o.channel in ('app', 'hotline') and o.u_private < 0.08 as "private",
         case when o.channel = 'app' then o.resident_id end as reporter_id,
         case when o.channel = 'app' then o.resident_id when o.channel = 'open311' then null else o.staff_id end as created_by,
         case when o.channel = 'app' then o.resident_name
              when o.channel in ('hotline', 'open311', 'staff') then
                ($2::text[])[1 + floor(o.u_contact * ${SURNAMES.length})::int] || case when floor(o.u_contact * 1000)::int % 2 = 0 then '先生' else '女士' end
         end as contact_name,
         case when o.channel = 'app' then o.resident_phone
              when o.channel in ('hotline', 'open311', 'staff') then '13' || lpad(floor(o.u_phone * 1e9)::bigint::text, 9, '0')
         end as contact_phone,
         case when o.no_item and (o.end_kind is not null or o.t1 > ${NOW}) then null else o.item_id0 end as item_id,
         case when o.status = 'closed' then o.outcome_plan end as outcome,
         case when o.status = 'closed' and o.outcome_plan = 'satisfied' then case when o.u_rating < 0.7 then 5 else 4 end
              when o.status = 'closed' and o.outcome_plan = 'unsatisfied' then 1 + floor(o.u_rating * 2)::int
              when o.s_idx > 0 then 1 + floor(o.u_rerate * 2)::int end as rating,
         case when (o.acc_overdue_at is not null and o.acc_leave - o.acc_due > interval '24 hours')
                or (o.res_overdue_at is not null and o.re - o.res_due > interval '24 hours') then 'county'
              when coalesce(o.acc_overdue_at, o.res_overdue_at, o.ck1_overdue_at, o.ck2_overdue_at) is not null then 'township'
         end as supervised_level,
         case when o.status in ('closed', 'rejected', 'referred', 'merged') then o.last_at end as closed_at,
         case when o.status in ('resolved', 'confirmed', 'closed') then
           case o.s_idx when 0 then o.r0 when 1 then o.r1 else o.r2 end end as resolved_at,
         case when o.cc <= ${NOW} then o.cc + interval '3 days' end as follow_up_due_at,
         greatest(o.last_at, o.acc_warned_at, o.acc_overdue_at, o.res_warned_at, o.res_overdue_at) as updated_at,
         (select ft.text from fill_texts ft
            where ft.item_code = case when o.n_texts > 0 then o.item_code else '*' end
              and ft.idx = 1 + floor(o.u_text * case when o.n_texts > 0 then o.n_texts else ${texts.length} end)::int)
           || ($3::text[])[1 + floor(o.u_suffix * ${SUFFIXES.length})::int] as description
       from o join fill_days d on d.day = o.day`,
      [SPOTS, SURNAMES, SUFFIXES],
    );
    await q(`alter table fill_t add column merged_into bigint, add column merged_number text`);
    await q(
      `update fill_t t set merged_into = m.id, merged_number = m.number
       from fill_t m
       where t.status = 'merged' and m.ord = greatest(${lo}, t.ord - 1 - floor(t.u_merge * 20)::int)`,
    );

    // Tickets.
    const ins = await q(
      `insert into tickets (id, number, channel, status, item_id, description, private, urgent, reporter_user_id,
         created_by, contact_name, contact_phone, community_code, county_code, compound_id, building_id, path, lat, lng,
         place, handled_by_self, reopen_count, merged_into_id, accept_due_at, accept_warn_at, resolve_due_at,
         resolve_warn_at, follow_up_due_at, accept_warned_at, accept_overdue_at, resolve_warned_at, resolve_overdue_at,
         supervised_level, rating, outcome, idempotency_key, created_at, updated_at, accepted_at, resolved_at, closed_at)
       overriding system value
       select id, number, channel, status, item_id, description, "private", urgent, reporter_id,
         created_by, contact_name, contact_phone, community_code, county_code, compound_id, building_id, path, lat, lng,
         place, coalesce(not whistle and t2 <= ${NOW}, false), s_idx, merged_into, acc_due, acc_warn, res_due,
         res_warn, follow_up_due_at, acc_warned_at, acc_overdue_at, res_warned_at, res_overdue_at,
         supervised_level, rating, outcome,
         case when created_by is not null then md5('${lit(seed)}:' || id)::uuid::text end,
         t0, updated_at, case when accepted then t1 end, resolved_at, closed_at
       from fill_t order by id`,
    );
    // Dispatches: the department's state follows the plan (pending → checked in → done, back to
    // checked in when the reporter reopens it).
    const disp = await q(
      `insert into ticket_dispatches (ticket_id, department_id, status, urgent, whistled_at, check_in_due_at,
         check_in_warn_at, check_in_warned_at, check_in_overdue_at, checked_in_at, done_at, updated_at)
       select t.id, d.dept, st.status, t.urgent, t.t2, t.ck_due, t.ck_warn, d.warned, d.overdue,
         case when d.ck <= ${NOW} then d.ck end, dn.at, greatest(st.at, d.warned, d.overdue)
       from fill_t t
       cross join lateral (values (t.d1, t.t3, t.ck1_warned_at, t.ck1_overdue_at, interval '0'),
                                  (case when t.two then t.d2x end, t.t3b, t.ck2_warned_at, t.ck2_overdue_at,
                                   least(interval '5 minutes', 0.05 * t.len))) d(dept, ck, warned, overdue, early)
       cross join lateral (
         select v.st as status, v.at from (values
           (t.t2, 'pending'), (d.ck, 'checkedIn'),
           (t.r0 - d.early, 'done'), (case when t.k > 0 then t.q0 end, 'checkedIn'),
           (t.r1 - d.early, 'done'), (case when t.k > 1 then t.q1 end, 'checkedIn'), (t.r2 - d.early, 'done')
         ) v(at, st) where v.at <= ${NOW} order by v.at desc limit 1
       ) st
       left join lateral (
         select max(x) as at from unnest(array[t.r0 - d.early, t.r1 - d.early, t.r2 - d.early]) x where x <= ${NOW}
       ) dn on true
       where t.whistle and t.t2 <= ${NOW} and d.dept is not null`,
    );
    // The timeline: every move and sweep mark that happened before now. The lateral list gives
    // each possible event's time; only those before now are built.
    const ev = await q(
      `insert into ticket_events (ticket_id, at, actor_user_id, department_id, kind, from_status, to_status, note, public, data)
       select t.id, e.at,
         case when e.i in (1) then t.created_by when e.i in (5, 6, 7, 8) then t.staff_id
              when e.i = 13 then t.d1_officer when e.i = 14 then t.d2x_officer end,
         case when e.i in (9, 10, 13) then t.d1 when e.i in (11, 12, 14) then t.d2x end,
         case e.i when 1 then 'submit' when 2 then 'warn' when 3 then 'overdue' when 4 then 'escalate'
           when 5 then 'accept'
           when 6 then case t.end_kind when 'rejected' then 'reject' when 'referred' then 'refer' else 'merge' end
           when 7 then 'whistle' when 8 then 'handleSelf' when 9 then 'warn' when 10 then 'overdue' when 11 then 'warn'
           when 12 then 'overdue' when 13 then 'checkIn' when 14 then 'checkIn' when 15 then 'warn' when 16 then 'overdue'
           else 'escalate' end,
         case when e.i in (5, 6) then 'submitted' when e.i in (7, 8) then 'accepted'
              when e.i = 13 then case when t.t3b < t.t3 then 'inProgress' else 'whistled' end
              when e.i = 14 then case when t.t3 < t.t3b then 'inProgress' else 'whistled' end end,
         case e.i when 1 then 'submitted' when 5 then 'accepted' when 6 then t.end_kind when 7 then 'whistled'
           when 8 then 'inProgress' when 13 then 'inProgress' when 14 then 'inProgress' end,
         case when e.i = 6 then case t.end_kind when 'rejected' then '不属于受理范围' when 'referred' then '已转12345热线办理' end end,
         e.i in (1, 5, 6, 7, 8, 13, 14),
         case e.i
           when 1 then jsonb_build_object('channel', t.channel, 'photoIds', '[]'::jsonb)
           when 2 then jsonb_build_object('deadline', 'accept', 'dueAt', t.acc_due)
           when 3 then jsonb_build_object('deadline', 'accept', 'dueAt', t.acc_due, 'escalatedTo', 'township')
           when 5 then case when t.no_item then jsonb_build_object('photoIds', '[]'::jsonb, 'itemId', t.item_id0)
                            else jsonb_build_object('photoIds', '[]'::jsonb) end
           when 6 then case when t.end_kind = 'merged' then jsonb_build_object('photoIds', '[]'::jsonb, 'into', t.merged_number)
                            else jsonb_build_object('photoIds', '[]'::jsonb) end
           when 7 then jsonb_build_object('photoIds', '[]'::jsonb, 'urgent', t.urgent, 'departmentIds',
                         case when t.two then jsonb_build_array(t.d1, t.d2x) else jsonb_build_array(t.d1) end)
           when 15 then jsonb_build_object('deadline', 'resolve', 'dueAt', t.res_due)
           when 16 then jsonb_build_object('deadline', 'resolve', 'dueAt', t.res_due, 'escalatedTo', 'township')
           else case when e.i in (4, 17) then jsonb_build_object('escalatedTo', 'county')
                     when e.i in (9, 10, 11, 12) then jsonb_build_object('deadline', 'checkIn', 'dueAt', t.ck_due)
                     else jsonb_build_object('photoIds', '[]'::jsonb) end
         end
       from fill_t t
       cross join lateral (values
         (1, t.t0), (2, t.acc_warned_at), (3, t.acc_overdue_at),
         (4, case when t.acc_overdue_at is not null and t.acc_leave - t.acc_due > interval '24 hours'
                  then t.acc_due + interval '24 hours' + interval '${2 * LAG} seconds' end),
         (5, case when t.end_kind is null then t.t1 end), (6, case when t.end_kind is not null then t.t1 end),
         (7, case when t.whistle then t.t2 end), (8, case when not t.whistle then t.t2 end),
         (9, t.ck1_warned_at), (10, t.ck1_overdue_at), (11, t.ck2_warned_at), (12, t.ck2_overdue_at),
         (13, t.t3), (14, t.t3b), (15, t.res_warned_at), (16, t.res_overdue_at),
         (17, case when t.res_overdue_at is not null and t.re - t.res_due > interval '24 hours'
                   then t.res_due + interval '24 hours' + interval '${2 * LAG} seconds' end)
       ) e(i, at)
       where e.at <= ${NOW}`,
    );
    // Resolve, confirm and rate, once per cycle (a reopened ticket goes round again): 1 the second
    // department's resolve, 2 the resolve, 3 confirm, 4 rate, 5 the follow-up expiring unrated.
    const ev2 = await q(
      `insert into ticket_events (ticket_id, at, actor_user_id, department_id, kind, from_status, to_status, note, public, data)
       select t.id, e.at,
         case e.j when 1 then t.d2x_officer when 2 then case when t.whistle then t.d1_officer else t.staff_id end
           when 3 then t.staff_id when 4 then coalesce(t.reporter_id, t.staff_id) end,
         case e.j when 1 then t.d2x when 2 then case when t.whistle then t.d1 end end,
         case e.j when 1 then 'resolve' when 2 then 'resolve' when 3 then 'confirm' when 4 then 'rate' else 'expireFollowUp' end,
         case when e.j <= 2 then 'inProgress' when e.j = 3 then 'resolved' else 'confirmed' end,
         case e.j when 1 then 'inProgress' when 2 then 'resolved' when 3 then 'confirmed'
           when 4 then case when c.i < t.k then 'inProgress' else 'closed' end else 'closed' end,
         case when e.j <= 2 then ($1::text[])[1 + floor(t.u_note * ${RESOLVE_NOTES.length})::int] end,
         e.j <> 4 or t.reporter_id is not null,
         case e.j
           when 4 then case
             when c.i < t.k then jsonb_build_object('photoIds', '[]'::jsonb, 'rating', 1 + floor(t.u_rerate * 2)::int,
                                                    'satisfied', false, 'reopened', true)
             when t.outcome_plan = 'satisfied' then jsonb_build_object('photoIds', '[]'::jsonb,
               'rating', case when t.u_rating < 0.7 then 5 else 4 end, 'satisfied', true, 'outcome', 'satisfied')
             else jsonb_build_object('photoIds', '[]'::jsonb, 'rating', 1 + floor(t.u_rating * 2)::int,
               'satisfied', false, 'outcome', 'unsatisfied') end
           when 5 then jsonb_build_object('outcome', 'noRating')
           else jsonb_build_object('photoIds', '[]'::jsonb) end
       from fill_t t
       cross join lateral (values (0, t.r0, t.c0, t.q0), (1, t.r1, t.c1, t.q1), (2, t.r2, t.c2, t.q2)) c(i, r, cf, q)
       cross join lateral (values
         (1, case when t.two then c.r - least(interval '5 minutes', 0.05 * t.len) end), (2, c.r), (3, c.cf),
         (4, case when c.i < t.k or t.outcome_plan <> 'noRating' then c.q end),
         (5, case when c.i = t.k and t.outcome_plan = 'noRating' then c.q end)
       ) e(j, at)
       where c.r is not null and e.at <= ${NOW}`,
      [RESOLVE_NOTES],
    );
    // Followers: the reporter, and a few neighbours who "+1" a public ticket of their compound.
    const fol = await q(
      `insert into ticket_followers (ticket_id, user_id, reason, at)
       select id, reporter_id, 'reporter', t0 from fill_t where reporter_id is not null
       union all
       select t.id, r.user_id, 'plusOne', least(t.t0 + j * interval '2 hours', ${NOW})
       from fill_t t cross join generate_series(1, 3) j
       join fill_res r on r.c_rank = t.c_rank
         and r.idx = 1 + (least(${perCompound - 1}, floor(t.u_resident * ${perCompound})::int) + j) % ${perCompound}
       where t.compound_id is not null and not t."private" and t.u_plus < 0.05 and j <= 1 + floor(t.u_plus_n * 3)::int`,
    );
    const ev3 = await q(
      `insert into ticket_events (ticket_id, at, actor_user_id, kind, note, public, data)
       select f.ticket_id, f.at, f.user_id, 'plusOne', null, true, '{}'::jsonb
       from ticket_followers f join fill_t t on t.id = f.ticket_id where f.reason = 'plusOne'`,
    );
    const aud = await q(
      `insert into audit_log (at, actor_user_id, action, entity, entity_id, scope_path, ip, detail)
       select t0, created_by, 'ticket.create', 'ticket', id::text, path, null,
         jsonb_build_object('number', number, 'channel', channel, 'itemId', case when no_item then null else item_id0 end)
       from fill_t order by id`,
    );
    const stats = (
      await q(
        `select min(id)::bigint as first, max(id)::bigint as last,
           (select json_object_agg(status, n) from (select status, count(*)::int as n from fill_t group by status) s) as statuses
         from fill_t`,
      )
    ).rows[0];
    const perTicket = (
      await q(
        `select min(n)::int as min, max(n)::int as max from (
           select count(*) as n from ticket_events where ticket_id between $1 and $2 group by ticket_id) s`,
        [stats.first, stats.last],
      )
    ).rows[0];
    await q('commit');

    const n = ins.rowCount ?? 0;
    summary.tickets += n;
    summary.firstId ??= Number(stats.first);
    summary.lastId = Number(stats.last);
    summary.dispatches += disp.rowCount ?? 0;
    const events = (ev.rowCount ?? 0) + (ev2.rowCount ?? 0) + (ev3.rowCount ?? 0);
    summary.events += events;
    summary.followers += fol.rowCount ?? 0;
    summary.auditRows += aud.rowCount ?? 0;
    for (const [k, v] of Object.entries(stats.statuses as Record<string, number>))
      summary.statuses[k] = (summary.statuses[k] ?? 0) + v;
    summary.eventsPerTicket.min = Math.min(summary.eventsPerTicket.min, perTicket.min);
    summary.eventsPerTicket.max = Math.max(summary.eventsPerTicket.max, perTicket.max);
    const ms = performance.now() - t0;
    opts.onBatch?.(hi);
    log(
      `tickets ${hi.toLocaleString('en')}/${total.toLocaleString('en')}: +${n} tickets, ${events} events, ` +
        `${disp.rowCount} dispatches in ${(ms / 1000).toFixed(1)} s (${Math.round((n / ms) * 1000)} tickets/s)`,
    );
  }
  summary.eventsPerTicket.mean = +(summary.events / Math.max(1, summary.tickets)).toFixed(2);
  await dropTemp(db, REFERENCE_TEMPS);
  await q(`drop function if exists pg_temp.gz_u(bigint, int)`);
  await q(`reset work_mem`);
  if (opts.vacuum ?? true) {
    const v0 = performance.now();
    for (const t of [
      'tickets',
      'ticket_events',
      'ticket_dispatches',
      'ticket_followers',
      'ticket_numbers',
      'audit_log',
      'users',
      'grants',
    ])
      await q(`vacuum (analyze) ${t}`);
    summary.vacuumMs = Math.round(performance.now() - v0);
    log(`vacuum analyze: ${(summary.vacuumMs / 1000).toFixed(1)} s`);
  }
  summary.elapsedMs = Math.round(performance.now() - started);
  return summary;
}

/**
 * Creates `pg_temp.<fn>(g, salt)`: a uniform draw in [0, 1) from (seed, ordinal, purpose), the same
 * whatever the plan or row order. Dropped with the session, or by the caller.
 */
export async function createDraw(db: Session, fn: string, seed: number) {
  await db.query(`drop function if exists pg_temp.${fn}(bigint, int)`);
  await db.query(`create function pg_temp.${fn}(g bigint, salt int) returns float8 language sql immutable parallel safe as
    $$ select ((hashint8extended(g, ${lit(seed)}::bigint * 1000 + salt) >> 11) & 9007199254740991)::float8 / 9007199254740992.0 $$`);
}

/**
 * SQL for an invented name drawn with `pg_temp.<fn>` for ordinal `g` (salts `salt` to `salt + 3`):
 * a surname and one or two given characters. Its statement passes SURNAMES as $1 and GIVEN as $2.
 */
export function drawnName(fn: string, g: string, salt: number): string {
  const u = (k: number) => `pg_temp.${fn}(${g}, ${salt + k})`;
  return `($1::text[])[1 + floor(${u(0)} * array_length($1::text[], 1))::int] ||
     ($2::text[])[1 + floor(${u(1)} * array_length($2::text[], 1))::int] ||
     case when ${u(2)} < 0.6 then ($2::text[])[1 + floor(${u(3)} * array_length($2::text[], 1))::int] else '' end`;
}

/** The filler's temporary copies of the reference data, rebuilt on every run. */
const REFERENCE_TEMPS = [
  'fill_items',
  'fill_texts',
  'fill_compounds',
  'fill_buildings',
  'fill_depts',
  'fill_res',
];

async function dropTemp(db: Session, names: string[]) {
  for (const n of names) await db.query(`drop table if exists pg_temp.${n}`);
}
