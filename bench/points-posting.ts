/**
 * The quarterly points posting at city scale (issue 6: the ranking of 83,049 members in ≤ 5 s on
 * PostgreSQL). On `<database>_points`: invented members spread over the demo's compounds (a branch
 * for each compound, about one in a hundred transferred out), each community's issuing account and
 * every member's, and a quarter's realistic ledger: 0–10 awards a member (5 on average), a
 * deduction for one in 29, a spend at a merchant for one in 7, and the quarter before's awards too
 * (which the posting must leave out). Then freezeQuarter is timed as the sweep runs it, and run a
 * second time (it must add nothing).
 */
import pg from 'pg';
import { systemClock } from '../src/server/core/clock.ts';
import {
  freezeQuarter,
  loadCalendar,
  previousQuarter,
  quarterBounds,
  quarterOf,
} from '../src/server/points/posting.ts';
import { prepareDemoDatabase } from './database.ts';

export interface PointsPostingFigures {
  members: number;
  communities: number;
  transfers: { inQuarter: number; total: number };
  quarter: string;
  loadSeconds: number;
  freeze: { seconds: number; postings: number; rows: number };
  again: { seconds: number; postings: number };
  target: { maxSeconds: number; met: boolean };
}

const secondsSince = (t0: number) => Math.round((performance.now() - t0) / 10) / 100;

export async function runPointsPostingBench(
  databaseUrl: string,
  members = 83_049,
  log: (m: string) => void = (m) => process.stderr.write(`[bench] ${m}\n`),
): Promise<PointsPostingFigures> {
  log(`points posting: preparing ${databaseUrl.replace(/\/\/[^@]*@/, '//')}`);
  const prepared = await prepareDemoDatabase({ databaseUrl }, (m) => log(`  ${m}`));
  const q = previousQuarter(quarterOf(systemClock.now()));
  const { start, end } = quarterBounds(q.year, q.quarter);
  const s = prepared.session;
  const t0 = performance.now();
  try {
    // Each run starts from no members and no points (the database is the bench's own).
    await s.query(`truncate points_posting_rows, points_objections, points_postings, points_declarations,
      points_vouchers, points_transfers, points_accounts, party_member_events, party_members cascade`);
    await s.query(`delete from party_orgs where name like '基准支部%'`);
    await s.query(`delete from points_merchants where name = '基准商家'`);
    log(`points posting: ${members.toLocaleString('en')} members over the demo's compounds`);
    await s.query(`
      insert into party_orgs (kind, name, community_code, county_code, path, status, created_at, updated_at)
      select 'branch', '基准支部' || c.code, c.community_code, c.county_code, r.path, 'active', now(), now()
      from compounds c join regions r on r.code = c.community_code`);
    await s.query(
      `
      with cs as (
        select c.id, c.code, c.community_code, c.county_code, c.path,
               row_number() over (order by c.id) - 1 as n, count(*) over () as total
        from compounds c
      )
      insert into party_members (name, sex, birth_date, id_sealed, id_index, id_masked, compound_id,
        community_code, county_code, path, ledger, org_id, status, created_at, updated_at)
      select (array['王','李','张','刘','陈','杨','赵','黄','周','吴','欧阳'])[1 + g % 11]
               || (array['建国','秀英','志强','桂兰','海燕','伟','芳','军','丽','磊','明'])[1 + (g / 11) % 11],
             case when g % 2 = 0 then 'male' else 'female' end,
             date '1945-01-01' + (g % 20000),
             '\\x00'::bytea, decode(md5('bench-points-' || g), 'hex'),
             '1402**********' || lpad((g % 10000)::text, 4, '0'),
             cs.id, cs.community_code, cs.county_code, cs.path, 'direct', o.id,
             case when g % 97 = 0 then 'transferredOut' else 'normal' end, now(), now()
      from generate_series(0, $1::int - 1) g
      join cs on cs.n = g % cs.total
      left join party_orgs o on o.name = '基准支部' || cs.code`,
      [members],
    );
    await s.query(`insert into points_accounts (kind, community_code, created_at)
      select distinct 'issuer', community_code, now() from party_members`);
    await s.query(`insert into points_accounts (kind, member_id, created_at)
      select 'member', id, now() from party_members`);
    const merchant = await s.query(`insert into points_merchants (name, community_code, path, created_at)
      select '基准商家', r.code, r.path, now() from regions r where r.level = 'community' order by r.code limit 1
      returning id`);
    await s.query(
      `insert into points_accounts (kind, merchant_id, created_at) values ('merchant', $1, now())`,
      [merchant.rows[0].id],
    );
    log('points posting: the quarter’s ledger');
    const span = Math.floor((end.getTime() - start.getTime()) / 1000) - 1;
    // Awards in the quarter (0–10 a member) and in the quarter before (0–4).
    await s.query(
      `
      insert into points_transfers (idempotency_key, request_hash, kind, from_account_id, to_account_id,
        amount, source, reason, created_at)
      select 'bench-points:' || m.id || ':' || k || ':' || w, 'bench', 'award', i.id, a.id,
             5 + ((m.id * 7 + k) % 4) * 5,
             (array['service','activity','branch','praise','selfDeclared'])[1 + (m.id + k) % 5],
             '基准积分',
             case when w = 'q' then $1::timestamptz + ((m.id * 2654435761 + k * 40503) % $2::bigint) * interval '1 second'
                  else $1::timestamptz - (1 + (m.id * 40503 + k) % 7776000) * interval '1 second' end
      from party_members m
      join points_accounts a on a.member_id = m.id
      join points_accounts i on i.kind = 'issuer' and i.community_code = m.community_code
      cross join lateral (values ('q', (m.id * 31 % 11)::int), ('p', (m.id * 17 % 5)::int)) as n(w, c)
      cross join lateral generate_series(1, n.c) k`,
      [start.toISOString(), span],
    );
    // A deduction for one in 29 and a spend at the merchant for one in 7 (both within what they earned).
    await s.query(
      `
      insert into points_transfers (idempotency_key, request_hash, kind, from_account_id, to_account_id,
        amount, source, reason, created_at)
      select 'bench-points:' || m.id || ':d', 'bench', 'deduct', a.id, i.id, 5, 'deduction', '基准扣分',
             $1::timestamptz + ((m.id * 40503) % $2::bigint) * interval '1 second'
      from party_members m
      join points_accounts a on a.member_id = m.id
      join points_accounts i on i.kind = 'issuer' and i.community_code = m.community_code
      where m.id % 29 = 0 and m.id * 31 % 11 >= 1
      union all
      select 'bench-points:' || m.id || ':r', 'bench', 'redeem', a.id, mc.id, 5, null, '基准兑换',
             $1::timestamptz + ((m.id * 69069) % $2::bigint) * interval '1 second'
      from party_members m
      join points_accounts a on a.member_id = m.id
      join points_accounts mc on mc.kind = 'merchant'
      where m.id % 7 = 0 and m.id * 31 % 11 >= 2`,
      [start.toISOString(), span],
    );
    // Balances as the ledger keeps them (the sum of each account's movements).
    await s.query(`
      update points_accounts a set balance = b.balance
      from (select account, sum(amount) as balance from (
              select to_account_id as account, amount from points_transfers
              union all select from_account_id, -amount from points_transfers) x
            group by account) b
      where a.id = b.account`);
    await s.query(
      'vacuum analyze party_members, party_orgs, points_accounts, points_transfers, points_postings',
    );
    const loadSeconds = secondsSince(t0);
    const counts = (
      await s.query(
        `select (select count(*) from points_transfers)::int as total,
                (select count(*) from points_transfers where created_at >= $1 and created_at < $2)::int as in_quarter,
                (select count(distinct community_code) from party_members)::int as communities,
                (select count(*) from party_members where status = 'normal')::int as normal`,
        [start.toISOString(), end.toISOString()],
      )
    ).rows[0] as { total: number; in_quarter: number; communities: number; normal: number };
    log(
      `points posting: ${counts.total.toLocaleString('en')} transfers (${counts.in_quarter.toLocaleString('en')} in ${q.year}Q${q.quarter}), ${counts.communities} communities, loaded in ${loadSeconds} s`,
    );

    const calendar = await loadCalendar(prepared.db);
    const f0 = performance.now();
    const first = await freezeQuarter(prepared.db, systemClock, q.year, q.quarter, { calendar });
    const seconds = secondsSince(f0);
    log(`points posting: frozen in ${seconds} s (${first.postings} postings, ${first.rows} lines)`);
    if (first.rows !== counts.normal)
      throw new Error(`${first.rows} lines posted for ${counts.normal} members in normal standing`);
    const a0 = performance.now();
    const again = await freezeQuarter(prepared.db, systemClock, q.year, q.quarter, { calendar });
    const againSeconds = secondsSince(a0);
    if (again.postings !== 0) throw new Error(`the second freeze posted ${again.postings} communities again`);
    return {
      members,
      communities: counts.communities,
      transfers: { inQuarter: counts.in_quarter, total: counts.total },
      quarter: `${q.year}Q${q.quarter}`,
      loadSeconds,
      freeze: { seconds, postings: first.postings, rows: first.rows },
      again: { seconds: againSeconds, postings: again.postings },
      target: { maxSeconds: 5, met: seconds <= 5 },
    };
  } finally {
    await prepared.close();
  }
}

export function printPointsPosting(f: PointsPostingFigures) {
  console.log(
    `\nQuarterly points posting (${f.quarter}): ${f.members.toLocaleString('en')} members in ${f.communities} communities, ` +
      `${f.transfers.inQuarter.toLocaleString('en')} transfers in the quarter (${f.transfers.total.toLocaleString('en')} in all)`,
  );
  console.log('| pass | seconds | postings | lines |');
  console.log('|---|---|---|---|');
  console.log(`| freeze | ${f.freeze.seconds} | ${f.freeze.postings} | ${f.freeze.rows} |`);
  console.log(`| again (nothing to add) | ${f.again.seconds} | ${f.again.postings} | 0 |`);
  console.log(`target: freeze ≤ ${f.target.maxSeconds} s: ${f.target.met ? 'met' : '**missed**'}`);
}

/** `npx tsx bench/points-posting.ts postgres://…/gongzhi_bench_points [members]`, alone. */
if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.argv[2] ?? process.env.BENCH_PG_URL;
  if (!url) throw new Error('give a PostgreSQL URL');
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
  await admin.connect();
  const name = new URL(url).pathname.slice(1);
  if (!(await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount)
    await admin.query(`create database "${name}"`);
  await admin.end();
  printPointsPosting(await runPointsPostingBench(url, Number(process.argv[3] ?? 83_049)));
}
