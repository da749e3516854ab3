/**
 * `npm run bench`: runs the scenarios in one process on this machine, prints readable tables and
 * merges the figures into bench/results/<date>.json. Figures are only comparable within one run.
 *
 *   npm run bench                                   stall + tickets on the embedded database (20,000 tickets)
 *   npm run bench -- --pg postgres://…/gongzhi_bench --tickets 1000000
 *                                                   + tickets on PostgreSQL, filled up to 1,000,000
 *   npm run bench -- --pg … --instances 2 --no-embedded --no-stall
 *                                                   the PostgreSQL scenarios on one instance, then through
 *                                                   nginx in front of two, then the multi-instance checks
 * Flags: --pg URL (or BENCH_PG_URL), --tickets N (PostgreSQL fill, default 1,000,000; or BENCH_TICKETS),
 *   --embedded-tickets N (default 20,000), --no-embedded, --no-stall, --no-pgbench,
 *   --scenarios intake,queue,queueAll,detail,login,mixed (default intake,queue,detail,mixed), --seed N,
 *   --cpu-prof DIR (CPU profile of each gongzhi server), --no-save (print only),
 *   --instances N (PostgreSQL: N instances behind nginx, Debian's package; default 1, asked directly),
 *   --party-import [ROWS] (PostgreSQL: the member ledger import, 83,049 rows by default, on
 *   <database>_party, made on first use; alone with --no-embedded --no-stall --no-pgbench --scenarios none),
 *   --points-posting [MEMBERS] (PostgreSQL: the quarterly points posting's freeze, 83,049 members by
 *   default, on <database>_points, made on first use; alone with the same flags as --party-import).
 * Environment: BENCH_SECONDS (6), BENCH_WARMUP (2), BENCH_CONNECTIONS (50), BENCH_ROUNDS (1),
 *   BENCH_LOG_LEVEL (info: gongzhi's production default, used for both servers).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { type PartyImportFigures, printPartyImport, runPartyImportBench } from './party-import.ts';
import { type PgbenchFigures, runPgbench } from './pgbench.ts';
import { type PointsPostingFigures, printPointsPosting, runPointsPostingBench } from './points-posting.ts';
import { printStall, runStall, type StallFigures } from './stall.ts';
import {
  printTicketBench,
  runTicketBench,
  SCENARIOS,
  type ScenarioName,
  type TicketBenchResult,
} from './tickets.ts';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const arg = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const num = (v: string | undefined, dflt: number) => {
  if (v === undefined || v === '') return dflt;
  const n = Number(v.replaceAll('_', '').replaceAll(',', ''));
  if (!Number.isFinite(n) || n < 0) throw new Error(`not a number: ${v}`);
  return n;
};

const pgUrl = arg('pg') ?? process.env.BENCH_PG_URL;
const instances = Math.max(1, Math.floor(num(arg('instances'), 1)));
if (instances > 1 && !pgUrl)
  throw new Error(
    '--instances needs PostgreSQL: give --pg postgres://… (the embedded database is one process)',
  );
const scenarios = (arg('scenarios') ?? 'intake,queue,detail,mixed')
  .split(',')
  .map((s) => s.trim())
  .filter((s) => s && s !== 'none') as ScenarioName[];
for (const s of scenarios)
  if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s} (known: ${SCENARIOS.join(', ')})`);
const common = {
  seconds: num(process.env.BENCH_SECONDS, 6),
  warmup: num(process.env.BENCH_WARMUP, 2),
  connections: num(process.env.BENCH_CONNECTIONS, 50),
  rounds: Math.max(1, num(process.env.BENCH_ROUNDS, 1)),
  scenarios,
  seed: num(arg('seed'), 1),
  logLevel: process.env.BENCH_LOG_LEVEL || 'info',
  cpuProfDir: arg('cpu-prof'),
};

const started = new Date();
let stall: StallFigures[] | undefined;
const tickets: Record<string, TicketBenchResult> = {};
let failed = false;

if (!flag('no-stall')) {
  stall = await runStall(common.seconds);
  printStall(stall);
}
if (!flag('no-embedded')) {
  const r = await runTicketBench({
    ...common,
    engine: 'embedded',
    tickets: num(arg('embedded-tickets'), 20_000),
  });
  printTicketBench(r);
  tickets.embedded = r;
  failed ||= !r.ok;
}
let pgbench: PgbenchFigures | undefined;
if (pgUrl && !flag('no-pgbench')) {
  pgbench = await runPgbench(pgUrl, {
    clients: common.connections,
    seconds: common.seconds,
    log: (m) => console.log(`[bench] ${m}`),
  });
  console.log(
    `\npgbench TPC-B-like on ${pgbench.database} (scale ${pgbench.scale}, ${pgbench.clients} clients, ${pgbench.seconds} s): ` +
      `${pgbench.tps} tps, latency ${pgbench.latencyMsAvg} ms on average`,
  );
}
// One instance asked directly, then (--instances N) N behind nginx: side by side in one run.
for (const n of pgUrl && scenarios.length ? (instances > 1 ? [1, instances] : [1]) : []) {
  const r = await runTicketBench({
    ...common,
    engine: 'postgres',
    databaseUrl: pgUrl,
    tickets: num(arg('tickets') ?? process.env.BENCH_TICKETS, 1_000_000),
    instances: n,
  });
  printTicketBench(r);
  tickets[n > 1 ? `postgres-x${n}` : 'postgres'] = r;
  failed ||= !r.ok;
}

let partyImport: PartyImportFigures | undefined;
if (flag('party-import')) {
  if (!pgUrl) throw new Error('--party-import needs PostgreSQL: give --pg postgres://…');
  const u = new URL(pgUrl);
  const name = `${u.pathname.slice(1)}_party`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  const have = await admin.query('select 1 from pg_database where datname = $1', [name]);
  if (!have.rowCount) await admin.query(`create database "${name}"`);
  await admin.end();
  u.pathname = `/${name}`;
  const rowsArg = arg('party-import');
  // A failure here must not lose the figures measured before it.
  try {
    partyImport = await runPartyImportBench(
      u.toString(),
      rowsArg && /^\d/.test(rowsArg) ? num(rowsArg, 83_049) : 83_049,
    );
    printPartyImport(partyImport);
    failed ||= !partyImport.target.met;
  } catch (err) {
    console.error(`\nparty import FAILED: ${(err as Error).stack ?? err}`);
    failed = true;
  }
}

let pointsPosting: PointsPostingFigures | undefined;
if (flag('points-posting')) {
  if (!pgUrl) throw new Error('--points-posting needs PostgreSQL: give --pg postgres://…');
  const u = new URL(pgUrl);
  const name = `${u.pathname.slice(1)}_points`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  const have = await admin.query('select 1 from pg_database where datname = $1', [name]);
  if (!have.rowCount) await admin.query(`create database "${name}"`);
  await admin.end();
  u.pathname = `/${name}`;
  const membersArg = arg('points-posting');
  try {
    pointsPosting = await runPointsPostingBench(
      u.toString(),
      membersArg && /^\d/.test(membersArg) ? num(membersArg, 83_049) : 83_049,
    );
    printPointsPosting(pointsPosting);
    failed ||= !pointsPosting.target.met;
  } catch (err) {
    console.error(`\npoints posting FAILED: ${(err as Error).stack ?? err}`);
    failed = true;
  }
}

// Merge into today's file: a later run of some scenarios keeps the others' figures.
const file = new URL(`./results/${started.toISOString().slice(0, 10)}.json`, import.meta.url);
let previous: Record<string, unknown> = {};
try {
  previous = JSON.parse(fs.readFileSync(file, 'utf8'));
} catch {
  // first run of the day
}
const merged = {
  ...previous,
  at: started.toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  host: os.hostname(),
  ...(stall ? { stall } : {}),
  ...(pgbench ? { pgbench } : {}),
  ...(partyImport ? { partyImport } : {}),
  ...(pointsPosting ? { pointsPosting } : {}),
  ...(Object.keys(tickets).length
    ? { tickets: { ...((previous.tickets as Record<string, unknown>) ?? {}), ...tickets } }
    : {}),
};
if (flag('no-save')) console.log('\n--no-save: results not written');
else {
  fs.writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
  // As the repository's formatter lays JSON out, so the results can be committed as written.
  execFileSync('npx', ['biome', 'format', '--write', file.pathname], { stdio: 'ignore' });
  console.log(`\nwritten ${file.pathname}`);
}
if (failed) {
  console.error('\nSOME SCENARIOS FAILED (non-2xx answers or errors): see above.');
  process.exitCode = 1;
}
