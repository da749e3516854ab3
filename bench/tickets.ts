/**
 * Ticket module under load, side by side with a bare Fastify baseline, in one run on this machine.
 *
 * Both servers run as child processes on loopback: gongzhi as `npm start` would run it
 * (src/server/main.ts, NODE_ENV=production, the deadline sweeper off) and bench/baseline-server.ts.
 * autocannon drives each scenario for a fixed time at a fixed number of connections after a short
 * warm-up, alternating baseline and scenario so the noise of a shared machine hits both. Server
 * CPU and memory come from /proc/<pid>; on PostgreSQL also the CPU of the backends serving it.
 *
 * Scenarios (gongzhi, signed in as the demo accounts, cookie reused; CSRF Origin header sent):
 *   intake   POST /api/v1/tickets as the resident (10000000008): varied description, item,
 *            compound, building, GPS and spot; a fresh Idempotency-Key per request, as the app sends
 *   queue    GET /api/v1/tickets?view=work&status=whistled&limit=30 as the department officer
 *            (10000000007): the console's default tab for a department-only officer
 *   queueAll GET /api/v1/tickets?view=work&limit=30 (the "all" tab), same officer
 *   detail   GET /api/v1/tickets/:id as the officer, over tickets whistled to the department
 *   login    POST /api/v1/auth/login with the password, over 2,000 bench accounts (1840…, the
 *            demo password) and as many client addresses (X-Forwarded-For, the server trusting its
 *            proxy as behind nginx): the per-account and per-address limits are not what is measured
 *   mixed    each connection cycles through nine requests of a working day: the resident reports
 *            one, reads their own and their neighbours' lists; the community worker (10000000004)
 *            reads the community's queue, its new reports and one ticket; the officer reads the
 *            whistled queue and two tickets (one write in nine)
 *   attendance  each connection checks a bench member (1841…) in on a slot under way by its
 *            rotating QR, then out (POST /api/v1/me/service/attendance twice; the token computed
 *            as the organiser's screen would show it), over 200 members × 80 slots made for the run
 *   redeem   POST /api/v1/me/points/offers/:id/redeem as the bench members in turn, over 40
 *            merchants' offers, a fresh Idempotency-Key each (a voucher and a transfer each)
 * Baselines: none (no database), insert (one INSERT), select (one SELECT by primary key).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon, { type Request, type Result } from 'autocannon';
import pg from 'pg';
import { loadConfig } from '../src/server/config.ts';
import { type FillSummary, fillTickets, type Session } from '../src/server/demo/fill-tickets.ts';
import { qrToken } from '../src/server/service/attendance.ts';
import { type Cluster, startCluster } from '../src/server/test/cluster.ts';
import {
  type ClusterSeen,
  clusterVerdicts,
  login,
  runClusterChecks,
} from '../src/server/test/cluster-checks.ts';
import { type NodeServer, startNode } from '../src/server/test/processes.ts';
import { LABELLED_TICKETS } from '../src/server/tickets/labelled-tickets.ts';
import { catchUpDeadlines, peakRssMb, prepareDemoDatabase } from './database.ts';
import { type ProcFigures, sampleProcesses, sampleSelf } from './proc.ts';
import { prepareServiceMaterial, type ServiceMaterial } from './service-material.ts';

/** Seconds between deadline sweeps of each instance with --instances (off on one instance). */
const CLUSTER_SWEEP_SECONDS = 2;
const PASSWORD = 'Gongzhi@2026';
const RESIDENT = '10000000008';
const OFFICER = '10000000007';
const COMMUNITY = '10000000004';
const LOGIN_ACCOUNTS = 2_000;

export const SCENARIOS = [
  'intake',
  'queue',
  'queueAll',
  'detail',
  'login',
  'mixed',
  'attendance',
  'redeem',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];
type BaselineName = 'none' | 'insert' | 'select';
const BASELINE_OF: Record<ScenarioName, BaselineName> = {
  intake: 'insert',
  queue: 'select',
  queueAll: 'select',
  detail: 'select',
  login: 'select',
  mixed: 'select',
  attendance: 'insert',
  redeem: 'insert',
};

/** Targets: the ticket module's p99s and embedded rate (issue 3), the ratios (issue 3 for intake, issue 4 for all). */
const TARGETS: Record<'postgres' | 'embedded', Partial<Record<ScenarioName, Target>>> = {
  postgres: {
    intake: { minRatio: 0.5, maxP99: 50 },
    queue: { minRatio: 0.5, maxP99: 30 },
    detail: { minRatio: 0.5, maxP99: 30 },
    // Issue 4: the server's memory under a mixed workload at scale 1.
    mixed: { maxRssMb: 400 },
    // Issue 6: service check-in/out and redemption beside the one-INSERT baseline.
    attendance: { minRatio: 0.5 },
    redeem: { minRatio: 0.5 },
  },
  embedded: { intake: { minRps: 300 } },
};
interface Target {
  minRatio?: number;
  maxP99?: number;
  minRps?: number;
  maxRssMb?: number;
}

export interface TicketBenchOptions {
  engine: 'embedded' | 'postgres';
  /** PostgreSQL database to use (created beforehand; migrated, seeded and filled here). */
  databaseUrl?: string;
  /** Tickets the database should hold before measuring (filled up to this many). */
  tickets: number;
  seed?: number;
  seconds: number;
  warmup: number;
  connections: number;
  rounds: number;
  scenarios: readonly ScenarioName[];
  /** LOG_LEVEL of both servers (gongzhi's production default is info). */
  logLevel: string;
  /** Rows of the baseline's SELECT table (default: 1,000,000 on PostgreSQL, the ticket count embedded). */
  baselineRows?: number;
  /** Write a CPU profile of the gongzhi server here (node --cpu-prof). */
  cpuProfDir?: string;
  /**
   * Instances behind nginx (PostgreSQL only; default 1: one instance, asked directly). With more,
   * the scenarios go through nginx, the figures sum the instances, and the multi-instance checks
   * (test/cluster-checks.ts) run at the end.
   */
  instances?: number;
  log?: (msg: string) => void;
}

export interface Measurement {
  scenario: ScenarioName | BaselineName;
  server: 'gongzhi' | 'baseline';
  round: number;
  seconds: number;
  connections: number;
  /** 2xx responses. */
  requests: number;
  rps: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** First non-2xx answers, to see why. */
  failures: { status: number; body: string }[];
  proc: ProcFigures;
  /** CPU of the PostgreSQL backends serving this server (PostgreSQL only). */
  db: ProcFigures | null;
  /**
   * What this server's backends were doing, sampled every 100 ms (PostgreSQL only): share of
   * backend samples per state / wait event ("active", "idle in transaction", "Lock:transactionid"…).
   */
  dbWaits: Record<string, number> | null;
  loadgenCpuPct: number;
  /** intake: distinct ticket ids answered (must equal requests). */
  distinctTickets?: number;
  warmup: { requests: number; non2xx: number; errors: number };
}

export interface ScenarioSummary {
  scenario: ScenarioName;
  baseline: BaselineName;
  /** Medians over rounds. */
  rps: number;
  baselineRps: number;
  /** Median of the per-round ratios (scenario req/s ÷ the baseline measured just before it). */
  ratio: number;
  p50: number;
  p99: number;
  baselineP99: number;
  serverCpuPct: number | null;
  serverRssPeakMb: number | null;
  dbCpuPct: number | null;
  target: Target | null;
  /** null: no target for this scenario on this engine. */
  meetsTarget: boolean | null;
  failed: boolean;
}

export interface TicketBenchResult {
  engine: 'embedded' | 'postgres';
  instances: number;
  settings: {
    seconds: number;
    warmup: number;
    connections: number;
    rounds: number;
    logLevel: string;
    dbPoolSize: number;
    baselineRows: number;
  };
  database: {
    ticketsBefore: number;
    ticketsMeasured: number;
    fill:
      | (FillSummary & { totalMs: number; fillerPeakRssMb: number; backendPeakRssMb: number | null })
      | null;
  };
  measurements: Measurement[];
  summary: ScenarioSummary[];
  /**
   * Embedded, with `mixed`: /api/health answered every 10 ms while the mixed workload runs at a
   * fifth of the rate it reached (issue 4: the HTTP thread never stalls more than 100 ms).
   */
  stallUnderLoad: StallUnderLoad | null;
  /** --instances: what the instances were seen to get right (or not). */
  cluster: (ClusterSeen & { verdicts: ReturnType<typeof clusterVerdicts> }) | null;
  ok: boolean;
}

export interface StallUnderLoad {
  rate: number;
  achievedRps: number;
  probes: number;
  p50: number;
  p99: number;
  max: number;
  maxAllowed: number;
  met: boolean;
}

/** Latency of /api/health, one request at a time with a 10 ms pause, until `stop()`. */
function probeHealth(url: string) {
  const out: number[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const t = performance.now();
      const r = await fetch(url);
      await r.arrayBuffer();
      out.push(performance.now() - t);
      await new Promise((res) => setTimeout(res, 10));
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      const xs = out.sort((a, b) => a - b);
      const q = (p: number) => +(xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? 0).toFixed(1);
      return { probes: xs.length, p50: q(0.5), p99: q(0.99), max: +(xs.at(-1) ?? 0).toFixed(1) };
    },
  };
}

// Material for the requests ----------------------------------------------------------------------

interface Material {
  compounds: { id: number; lat: number | null; lng: number | null; buildings: number[] }[];
  items: { id: number; code: string }[];
  officerTickets: number[];
  communityTickets: number[];
  loginPhones: string[];
}

async function loadMaterial(db: Session): Promise<Material> {
  const compounds = (
    await db.query(
      `select c.id, c.lat, c.lng, coalesce(array_agg(b.id order by b.id) filter (where b.id is not null), '{}') as buildings
       from compounds c left join buildings b on b.compound_id = c.id group by c.id order by c.id`,
    )
  ).rows.map((r) => ({
    id: Number(r.id),
    lat: r.lat,
    lng: r.lng,
    buildings: (r.buildings as (string | number)[]).map(Number),
  }));
  const items = (
    await db.query(
      `select i.id, i.code from responsibility_items i join responsibility_lists l on l.id = i.list_id
       where l.current order by i.id`,
    )
  ).rows.map((r) => ({ id: Number(r.id), code: String(r.code) }));
  // Tickets whistled to the officer's department, spread over the year.
  const officerTickets = (
    await db.query(
      `select x.ticket_id from ticket_dispatches x
       join grants g on g.department_id = x.department_id join users u on u.id = g.user_id
       where u.phone = $1 order by hashint8extended(x.ticket_id, 7) limit 500`,
      [OFFICER],
    )
  ).rows.map((r) => Number(r.ticket_id));
  // Tickets of the community worker's community.
  const communityTickets = (
    await db.query(
      `select t.id from tickets t
       join grants g on g.role = 'communityAdmin' and g.node_kind = 'region' and g.node_ref = t.community_code
       join users u on u.id = g.user_id
       where u.phone = $1 order by hashint8extended(t.id, 7) limit 500`,
      [COMMUNITY],
    )
  ).rows.map((r) => Number(r.id));
  // Accounts to sign in with: the demo password, one each so no account's limit is reached.
  await db.query(
    `insert into users (phone, name, password_hash)
     select '1840' || lpad(i::text, 7, '0'), '压测用户' || i, (select password_hash from users where phone = $1)
     from generate_series(1, ${LOGIN_ACCOUNTS}) i
     on conflict (phone) do nothing`,
    [RESIDENT],
  );
  const loginPhones = Array.from(
    { length: LOGIN_ACCOUNTS },
    (_, i) => `1840${String(i + 1).padStart(7, '0')}`,
  );
  return { compounds, items, officerTickets, communityTickets, loginPhones };
}

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

const SPOTS = ['东门口', '地下车库入口', '小区广场', '单元门口', '楼道里', '垃圾站旁边', '路边'];

/** Report bodies as the phone app sends them: what, where (compound, building, GPS, spot), item or unsure. */
function intakeBodies(m: Material, seed: number, n = 2000): string[] {
  const rng = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
  const itemByCode = new Map(m.items.map((i) => [i.code, i.id]));
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const report = pick(LABELLED_TICKETS);
    const c = pick(m.compounds);
    const body: Record<string, unknown> = {
      description: `${report.text}${rng() < 0.3 ? `（第${i + 1}次反映）` : ''}`,
      compoundId: c.id,
      channel: 'app',
      private: rng() < 0.08,
      photoIds: [],
    };
    const item = itemByCode.get(report.itemCode);
    if (item && rng() < 0.75) body.itemId = item;
    if (c.buildings.length && rng() < 0.4) body.buildingId = pick(c.buildings);
    if (c.lat !== null && c.lng !== null && rng() < 0.5) {
      body.lat = Math.round((c.lat + (rng() - 0.5) * 0.002) * 1e6) / 1e6;
      body.lng = Math.round((c.lng + (rng() - 0.5) * 0.002) * 1e6) / 1e6;
    }
    if (rng() < 0.3) body.place = pick(SPOTS);
    out.push(JSON.stringify(body));
  }
  return out;
}

// Measuring ---------------------------------------------------------------------------------------

interface Spec {
  url: string;
  requests: Request[];
}

async function fire(spec: Spec, seconds: number, connections: number, overallRate?: number) {
  const failures: { status: number; body: string }[] = [];
  const ids = new Set<string>();
  const requests = spec.requests.map((r) => ({
    ...r,
    onResponse: (status: number, body: string) => {
      if (status >= 200 && status < 300) {
        const m = /^\{"id":(\d+)/.exec(body);
        if (m) ids.add(m[1] as string);
      } else if (failures.length < 5) failures.push({ status, body: body.slice(0, 400) });
    },
  }));
  const result: Result = await autocannon({
    url: spec.url,
    connections,
    duration: seconds,
    requests,
    timeout: 20,
    ...(overallRate ? { overallRate } : {}),
  });
  return { result, failures, ids };
}

/** Samples pg_stat_activity of one application's backends until stopped. */
function sampleWaits(
  admin: pg.Client | null,
  appName: string,
): { stop(): Promise<Record<string, number> | null> } {
  if (!admin) return { stop: async () => null };
  const counts = new Map<string, number>();
  let n = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const r = await admin.query(
        `select state, wait_event_type, wait_event from pg_stat_activity
         where application_name = $1 and pid <> pg_backend_pid()`,
        [appName],
      );
      for (const row of r.rows) {
        const k =
          row.state === 'active' && row.wait_event_type
            ? `active ${row.wait_event_type}:${row.wait_event}`
            : row.state === 'idle' && row.wait_event_type === 'Client'
              ? 'idle'
              : `${row.state}${row.wait_event_type && row.state !== 'idle' ? ` ${row.wait_event_type}:${row.wait_event}` : ''}`;
        counts.set(k, (counts.get(k) ?? 0) + 1);
        n++;
      }
      await new Promise((res) => setTimeout(res, 100));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      if (n === 0) return {};
      return Object.fromEntries(
        [...counts].sort((a, b) => b[1] - a[1]).map(([k, c]) => [k, Math.round((c / n) * 1000) / 10]),
      );
    },
  };
}

async function backendPids(admin: pg.Client | null, appName: string): Promise<number[]> {
  if (!admin) return [];
  const r = await admin.query('select pid from pg_stat_activity where application_name = $1', [appName]);
  return r.rows.map((x) => Number(x.pid));
}

const med = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const round1 = (x: number) => Math.round(x * 10) / 10;

export async function runTicketBench(o: TicketBenchOptions): Promise<TicketBenchResult> {
  const log = o.log ?? ((m: string) => process.stderr.write(`[bench] ${m}\n`));
  const seed = o.seed ?? 1;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `gz-bench-${o.engine}-`));
  const dataDir = path.join(work, 'data');
  const baselineDir = path.join(work, 'baseline');
  const runId = `${Date.now().toString(36)}${process.pid}`;
  let keep = false;

  // 1. The database: migrated, demo seeded, filled up to the ticket count.
  log(`${o.engine}: preparing the database`);
  const prepared = await prepareDemoDatabase(
    o.engine === 'postgres' ? { databaseUrl: o.databaseUrl } : { dataDir },
    (m) => log(`  ${m}`),
  );
  let fill: TicketBenchResult['database']['fill'] = null;
  let material: Material;
  let svc: ServiceMaterial | null = null;
  let ticketsBefore: number;
  try {
    ticketsBefore = Number(
      (await prepared.session.query('select count(*)::int as n from tickets')).rows[0].n,
    );
    if (ticketsBefore < o.tickets) {
      const n = o.tickets - ticketsBefore;
      // A top-up of an already filled database draws with another seed, so it does not repeat the
      // first fill's tickets.
      const fillSeed = seed + ticketsBefore;
      log(`${o.engine}: filling ${n.toLocaleString('en')} tickets (seed ${fillSeed})`);
      const t0 = performance.now();
      const s = await fillTickets(prepared.session, {
        count: n,
        seed: fillSeed,
        batchSize: o.engine === 'embedded' ? 20_000 : 100_000,
        onProgress: (m) => log(`  ${m}`),
      });
      fill = {
        ...s,
        totalMs: Math.round(performance.now() - t0),
        fillerPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        backendPeakRssMb: peakRssMb(prepared.backendPid),
      };
      log(
        `${o.engine}: filled ${s.tickets.toLocaleString('en')} tickets, ${s.events.toLocaleString('en')} events in ${(fill.totalMs / 1000).toFixed(1)} s`,
      );
    } else log(`${o.engine}: ${ticketsBefore.toLocaleString('en')} tickets already there, no fill`);
    material = await loadMaterial(prepared.session);
    if (o.scenarios.includes('attendance') || o.scenarios.includes('redeem'))
      svc = await prepareServiceMaterial(prepared.session, runId);
    if ((o.instances ?? 1) > 1) await catchUpDeadlines(prepared.db, (m) => log(`${o.engine}: ${m}`));
  } finally {
    await prepared.close();
  }
  if (material.officerTickets.length === 0)
    throw new Error('no tickets whistled to the demo department: fill more');
  if (o.scenarios.includes('mixed') && material.communityTickets.length === 0)
    throw new Error("no tickets in the demo community worker's community: fill more");
  const bodies = intakeBodies(material, seed);
  const ticketsMeasured = Math.max(ticketsBefore, o.tickets);
  const baselineRows = o.baselineRows ?? (o.engine === 'postgres' ? 1_000_000 : Math.max(o.tickets, 10_000));

  // 2. The two servers.
  const withApp = (url: string, app: string) =>
    `${url}${url.includes('?') ? '&' : '?'}application_name=${app}`;
  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: o.logLevel,
    NODE_ENV: 'production',
    // The bench's database holds invented people only.
    PII_KEY: process.env.PII_KEY || Buffer.alloc(32, 7).toString('base64'),
  };
  delete baseEnv.DATABASE_URL;
  delete baseEnv.DATA_DIR;
  log(`${o.engine}: starting the baseline server (${baselineRows.toLocaleString('en')} rows)`);
  const baseline = await startNode({
    name: 'baseline',
    args: ['bench/baseline-server.ts'],
    env: {
      ...baseEnv,
      BASELINE_ROWS: String(baselineRows),
      ...(o.engine === 'postgres'
        ? { BASELINE_DATABASE_URL: withApp(o.databaseUrl as string, 'bench-baseline') }
        : { BASELINE_DATA_DIR: baselineDir }),
    },
    logFile: path.join(work, 'baseline.log'),
    readyPath: '/bench/none',
  });
  let gongzhi: NodeServer | null = null;
  let cluster: Cluster | null = null;
  const admin =
    o.engine === 'postgres'
      ? new pg.Client({ connectionString: withApp(o.databaseUrl as string, 'bench-runner') })
      : null;
  const measurements: Measurement[] = [];
  let stallUnderLoad: StallUnderLoad | null = null;
  let clusterSeen: ClusterSeen | null = null;
  const instances = o.instances ?? 1;
  try {
    const nodeArgs = o.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(o.cpuProfDir)}`] : [];
    const gongzhiEnv: NodeJS.ProcessEnv = {
      ...baseEnv,
      DEADLINE_SWEEP_SECONDS: '0',
      // As behind nginx: the login scenario comes from many client addresses.
      TRUST_PROXY: 'true',
      ...(o.engine === 'postgres'
        ? { DATABASE_URL: withApp(o.databaseUrl as string, 'gongzhi-bench') }
        : { DATA_DIR: dataDir }),
    };
    let g: string;
    if (instances > 1) {
      if (o.engine !== 'postgres') throw new Error('--instances needs PostgreSQL (--pg)');
      log(`${o.engine}: starting ${instances} gongzhi instances behind nginx`);
      cluster = await startCluster({
        databaseUrl: gongzhiEnv.DATABASE_URL as string,
        instances,
        dir: work,
        // The deadline check needs the sweepers; they run during the scenarios too, as in production.
        env: { ...gongzhiEnv, DEADLINE_SWEEP_SECONDS: String(CLUSTER_SWEEP_SECONDS) },
        flags: ['--no-demo'],
        nodeArgs,
      });
      g = cluster.url;
    } else {
      log(`${o.engine}: starting gongzhi`);
      gongzhi = await startNode({
        name: 'gongzhi',
        args: [...nodeArgs, 'src/server/main.ts', '--no-demo'],
        env: gongzhiEnv,
        logFile: path.join(work, 'gongzhi.log'),
        readyPath: '/api/health',
      });
      g = gongzhi.url;
    }
    const servers = cluster ? cluster.instances : [gongzhi as NodeServer];
    await admin?.connect();
    const b = `http://127.0.0.1:${baseline.port}`;
    // Log in once per account and reuse the cookie: login is rate-limited per account and address.
    const resident = await login(g, RESIDENT);
    const officer = await login(g, OFFICER);
    const community = await login(g, COMMUNITY);
    const members = svc
      ? await Promise.all(
          svc.memberPhones.map((p, i) =>
            login(g, p, PASSWORD, { 'x-forwarded-for': `10.250.${i >> 8}.${i & 255}` }),
          ),
        )
      : [];
    const service = svc as ServiceMaterial;

    let seq = 0;
    const json = { 'content-type': 'application/json' };
    // The resident's report, with a fresh Idempotency-Key as the app sends.
    const report: Request = {
      method: 'POST',
      path: '/api/v1/tickets',
      headers: { ...json, cookie: resident, origin: g },
      setupRequest: (req) => {
        const i = seq++;
        return {
          ...req,
          body: bodies[i % bodies.length] as string,
          headers: { ...req.headers, 'idempotency-key': `bench-${runId}-${i}` },
        };
      },
    };
    const specs: Record<ScenarioName, Spec> & Record<BaselineName, Spec> = {
      intake: { url: g, requests: [report] },
      queue: {
        url: g,
        requests: [
          {
            method: 'GET',
            path: '/api/v1/tickets?view=work&status=whistled&limit=30',
            headers: { cookie: officer },
          },
        ],
      },
      queueAll: {
        url: g,
        requests: [
          { method: 'GET', path: '/api/v1/tickets?view=work&limit=30', headers: { cookie: officer } },
        ],
      },
      detail: {
        url: g,
        requests: [
          {
            method: 'GET',
            headers: { cookie: officer },
            setupRequest: (req) => ({
              ...req,
              path: `/api/v1/tickets/${material.officerTickets[seq++ % material.officerTickets.length]}`,
            }),
          },
        ],
      },
      login: {
        url: g,
        requests: [
          {
            method: 'POST',
            path: '/api/v1/auth/login',
            headers: { ...json, origin: g },
            setupRequest: (req) => {
              const i = seq++;
              return {
                ...req,
                body: JSON.stringify({
                  phone: material.loginPhones[i % material.loginPhones.length],
                  password: PASSWORD,
                }),
                headers: {
                  ...req.headers,
                  'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
                },
              };
            },
          },
        ],
      },
      mixed: {
        url: g,
        requests: [
          report,
          { method: 'GET', path: '/api/v1/tickets?view=mine&limit=20', headers: { cookie: resident } },
          { method: 'GET', path: '/api/v1/tickets?view=neighbours&limit=20', headers: { cookie: resident } },
          { method: 'GET', path: '/api/v1/tickets?view=work&limit=30', headers: { cookie: community } },
          {
            method: 'GET',
            path: '/api/v1/tickets?view=work&status=submitted&limit=30',
            headers: { cookie: community },
          },
          {
            method: 'GET',
            headers: { cookie: community },
            setupRequest: (req) => ({
              ...req,
              path: `/api/v1/tickets/${material.communityTickets[seq++ % material.communityTickets.length]}`,
            }),
          },
          {
            method: 'GET',
            path: '/api/v1/tickets?view=work&status=whistled&limit=30',
            headers: { cookie: officer },
          },
          ...[0, 1].map(() => ({
            method: 'GET' as const,
            headers: { cookie: officer },
            setupRequest: (req: Request) => ({
              ...req,
              path: `/api/v1/tickets/${material.officerTickets[seq++ % material.officerTickets.length]}`,
            }),
          })),
        ],
      },
      // Pair i: member i mod 200 on slot i div 200, checked in and then out by one connection.
      attendance: {
        url: g,
        requests: (['in', 'out'] as const).map(
          (phase): Request => ({
            method: 'POST',
            path: '/api/v1/me/service/attendance',
            headers: { ...json, origin: g },
            setupRequest: (req, context) => {
              const c = context as { pair?: number };
              if (phase === 'in') c.pair = seq++;
              const pair = c.pair as number;
              const slot = service.slots[
                Math.floor(pair / members.length) % service.slots.length
              ] as ServiceMaterial['slots'][number];
              return {
                ...req,
                body: JSON.stringify({ token: qrToken(slot.secret, slot.id, phase, new Date()) }),
                headers: { ...req.headers, cookie: members[pair % members.length] as string },
              };
            },
          }),
        ),
      },
      redeem: {
        url: g,
        requests: [
          {
            method: 'POST',
            headers: { ...json, origin: g },
            setupRequest: (req) => {
              const i = seq++;
              return {
                ...req,
                path: `/api/v1/me/points/offers/${service.offerIds[i % service.offerIds.length]}/redeem`,
                body: '{}',
                headers: {
                  ...req.headers,
                  cookie: members[i % members.length] as string,
                  'idempotency-key': `bench-${runId}-r${i}`,
                },
              };
            },
          },
        ],
      },
      none: { url: b, requests: [{ method: 'GET', path: '/bench/none' }] },
      insert: {
        url: b,
        requests: [
          {
            method: 'POST',
            path: '/bench/insert',
            headers: json,
            setupRequest: (req) => ({ ...req, body: bodies[seq++ % bodies.length] as string }),
          },
        ],
      },
      select: {
        url: b,
        requests: [
          {
            method: 'GET',
            setupRequest: (req) => ({ ...req, path: `/bench/select/${1 + ((seq++ * 7919) % baselineRows)}` }),
          },
        ],
      },
    };

    const measure = async (
      scenario: ScenarioName | BaselineName,
      server: 'gongzhi' | 'baseline',
      round: number,
    ) => {
      const spec = specs[scenario];
      const children = server === 'gongzhi' ? servers : [baseline];
      const w = await fire(spec, o.warmup, o.connections);
      const pids = await backendPids(admin, server === 'gongzhi' ? 'gongzhi-bench' : 'bench-baseline');
      // Several instances: their CPU and memory summed (the RSS target is for one instance).
      const procS = sampleProcesses(children.map((c) => c.pid));
      const dbS = admin ? sampleProcesses(pids) : null;
      const waitS = sampleWaits(admin, server === 'gongzhi' ? 'gongzhi-bench' : 'bench-baseline');
      const self = sampleSelf();
      const { result: r, failures, ids } = await fire(spec, o.seconds, o.connections);
      const proc = procS.stop();
      const db = dbS?.stop() ?? null;
      const dbWaits = await waitS.stop();
      const loadgenCpuPct = self.stop();
      const m: Measurement = {
        scenario,
        server,
        round,
        seconds: r.duration,
        connections: o.connections,
        requests: r['2xx'],
        rps: Math.round(r['2xx'] / r.duration),
        latencyMs: {
          mean: round1(r.latency.mean),
          p50: r.latency.p50,
          p90: r.latency.p90,
          p99: r.latency.p99,
          max: r.latency.max,
        },
        non2xx: r.non2xx,
        errors: r.errors,
        timeouts: r.timeouts,
        statusCodes: Object.fromEntries(
          Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count ?? 0]),
        ),
        failures: [...w.failures, ...failures].slice(0, 5),
        proc,
        db,
        dbWaits,
        loadgenCpuPct,
        ...(scenario === 'intake' ? { distinctTickets: ids.size } : {}),
        warmup: { requests: w.result['2xx'], non2xx: w.result.non2xx, errors: w.result.errors },
      };
      const bad = m.non2xx + m.errors + m.warmup.non2xx + m.warmup.errors;
      if (bad > 0 || (m.distinctTickets !== undefined && m.distinctTickets !== m.requests)) {
        keep = true;
        log(
          `!!! ${server} ${scenario} FAILED: ${m.non2xx + m.warmup.non2xx} non-2xx, ${m.errors + m.warmup.errors} errors` +
            (m.distinctTickets !== undefined
              ? `, ${m.distinctTickets} distinct tickets for ${m.requests} answers`
              : '') +
            `\n${m.failures.map((f) => `    ${f.status} ${f.body}`).join('\n')}\n    logs: ${children.map((c) => c.logFile).join(', ')}`,
        );
      }
      log(
        `  round ${round} ${server.padEnd(8)} ${scenario.padEnd(8)} ${String(m.rps).padStart(6)} req/s  p50 ${m.latencyMs.p50} ms  p99 ${m.latencyMs.p99} ms  cpu ${m.proc.cpuPct ?? '-'}%${m.db ? ` db ${m.db.cpuPct ?? '-'}%` : ''}`,
      );
      measurements.push(m);
    };

    for (let round = 1; round <= o.rounds; round++) {
      await measure('none', 'baseline', round);
      for (const s of o.scenarios) {
        await measure(BASELINE_OF[s], 'baseline', round);
        await measure(s, 'gongzhi', round);
      }
    }
    if (o.engine === 'embedded' && o.scenarios.includes('mixed')) {
      const full = med(measurements.filter((m) => m.scenario === 'mixed').map((m) => m.rps));
      const rate = Math.max(1, Math.round(full / 5));
      const probe = probeHealth(`${g}/api/health`);
      const { result: r } = await fire(specs.mixed, o.seconds, o.connections, rate);
      const p = await probe.stop();
      stallUnderLoad = {
        rate,
        achievedRps: Math.round(r['2xx'] / r.duration),
        ...p,
        maxAllowed: 100,
        met: p.max <= 100 && r.non2xx === 0 && r.errors === 0,
      };
      log(
        `  mixed at ${rate} req/s (a fifth of ${full}): /api/health p50 ${p.p50} ms, p99 ${p.p99} ms, max ${p.max} ms over ${p.probes} probes`,
      );
    }
    if (admin) {
      // Every answered intake made exactly one ticket.
      const made = Number(
        (
          await admin.query(`select count(*)::int as n from tickets where idempotency_key like $1`, [
            `bench-${runId}-%`,
          ])
        ).rows[0].n,
      );
      const answered = measurements
        .filter((m) => m.scenario === 'intake')
        .reduce((a, m) => a + m.requests + m.warmup.requests, 0);
      if (made < answered) {
        keep = true;
        log(`!!! intake: ${answered} tickets answered but ${made} in the database`);
      }
    }
    if (cluster && admin) {
      log(`${o.engine}: what ${instances} instances must get right`);
      clusterSeen = await runClusterChecks(cluster, admin, {
        deadlineTickets: 2_000,
        sweepSeconds: CLUSTER_SWEEP_SECONDS,
        kill: { connections: o.connections, seconds: 20, killAfterS: 8 },
        log: (m) => log(`  ${m}`),
      });
      if (clusterVerdicts(clusterSeen).some((v) => !v.met)) keep = true;
    }
  } finally {
    await admin?.end().catch(() => {});
    await cluster?.stop();
    await gongzhi?.stop();
    await baseline.stop();
  }

  // 3. Summary per scenario: medians over rounds, paired ratios.
  const targets = TARGETS[o.engine];
  const summary: ScenarioSummary[] = o.scenarios.map((s) => {
    const base = BASELINE_OF[s];
    const mine = measurements.filter((m) => m.scenario === s);
    const theirs = measurements.filter((m) => m.scenario === base);
    const ratios = mine.map((m) => {
      // The baseline measured just before, in the same round.
      const bm = theirs
        .filter((x) => x.round === m.round && measurements.indexOf(x) < measurements.indexOf(m))
        .at(-1);
      return bm && bm.rps > 0 ? m.rps / bm.rps : Number.NaN;
    });
    const failed = [...mine, ...theirs].some(
      (m) =>
        m.non2xx + m.errors + m.warmup.non2xx + m.warmup.errors > 0 ||
        (m.distinctTickets !== undefined && m.distinctTickets !== m.requests),
    );
    // The memory target is one instance's; several are summed here.
    const { maxRssMb, ...perRequest } = targets[s] ?? {};
    const kept: Target = instances > 1 ? perRequest : { ...perRequest, maxRssMb };
    const target = Object.values(kept).some((v) => v !== undefined) ? kept : null;
    const row: ScenarioSummary = {
      scenario: s,
      baseline: base,
      rps: Math.round(med(mine.map((m) => m.rps))),
      baselineRps: Math.round(med(theirs.map((m) => m.rps))),
      ratio: Math.round(med(ratios) * 1000) / 1000,
      p50: med(mine.map((m) => m.latencyMs.p50)),
      p99: med(mine.map((m) => m.latencyMs.p99)),
      baselineP99: med(theirs.map((m) => m.latencyMs.p99)),
      serverCpuPct:
        mine[0]?.proc.cpuPct == null ? null : Math.round(med(mine.map((m) => m.proc.cpuPct ?? 0))),
      serverRssPeakMb: mine.reduce<number | null>((a, m) => Math.max(a ?? 0, m.proc.rssPeakMb ?? 0), null),
      dbCpuPct: mine[0]?.db?.cpuPct == null ? null : Math.round(med(mine.map((m) => m.db?.cpuPct ?? 0))),
      target,
      meetsTarget: null,
      failed,
    };
    if (target) {
      row.meetsTarget =
        !failed &&
        (target.minRatio === undefined || row.ratio >= target.minRatio) &&
        (target.maxP99 === undefined || row.p99 <= target.maxP99) &&
        (target.minRps === undefined || row.rps >= target.minRps) &&
        (target.maxRssMb === undefined ||
          (row.serverRssPeakMb ?? Number.POSITIVE_INFINITY) <= target.maxRssMb);
    }
    return row;
  });
  const ok = !keep && !summary.some((s) => s.failed);
  // (stallUnderLoad is reported beside the table; its verdict does not fail the run.)
  if (ok) fs.rmSync(work, { recursive: true, force: true });
  else log(`kept ${work} (server logs) for inspection`);
  return {
    engine: o.engine,
    instances,
    settings: {
      seconds: o.seconds,
      warmup: o.warmup,
      connections: o.connections,
      rounds: o.rounds,
      logLevel: o.logLevel,
      dbPoolSize: o.engine === 'postgres' ? loadConfig(process.env, []).dbPoolSize : 1,
      baselineRows,
    },
    database: { ticketsBefore, ticketsMeasured, fill },
    measurements,
    summary,
    stallUnderLoad,
    cluster: clusterSeen ? { ...clusterSeen, verdicts: clusterVerdicts(clusterSeen) } : null,
    ok,
  };
}

// Printing ----------------------------------------------------------------------------------------

const targetText = (t: Target | null) =>
  t
    ? [
        t.minRatio !== undefined ? `≥ ${t.minRatio}× baseline` : '',
        t.maxP99 !== undefined ? `p99 ≤ ${t.maxP99} ms` : '',
        t.minRps !== undefined ? `≥ ${t.minRps} req/s` : '',
        t.maxRssMb !== undefined ? `RSS ≤ ${t.maxRssMb} MB` : '',
      ]
        .filter(Boolean)
        .join(', ')
    : '–';

export function printTicketBench(r: TicketBenchResult) {
  const s = r.settings;
  const f = r.database.fill;
  console.log(
    `\nTickets on ${r.engine === 'postgres' ? 'PostgreSQL' : 'the embedded database (PGlite in a worker)'}` +
      `${r.instances > 1 ? `, ${r.instances} instances behind nginx (server figures summed)` : ''}: ` +
      `${r.database.ticketsMeasured.toLocaleString('en')} tickets; ${s.connections} connections, ` +
      `${s.seconds} s per measurement after ${s.warmup} s warm-up, ${s.rounds} round(s); LOG_LEVEL=${s.logLevel} on both servers`,
  );
  if (f)
    console.log(
      `fill: ${f.tickets.toLocaleString('en')} tickets, ${f.events.toLocaleString('en')} events, ` +
        `${f.dispatches.toLocaleString('en')} dispatches, ${f.followers.toLocaleString('en')} followers in ` +
        `${(f.totalMs / 1000).toFixed(1)} s (vacuum ${(f.vacuumMs / 1000).toFixed(1)} s); peak RSS of the bench process ${f.fillerPeakRssMb} MB` +
        (f.backendPeakRssMb !== null ? `, database backend ${f.backendPeakRssMb} MB` : ''),
    );
  console.log(
    '\n| scenario | req/s | baseline | baseline req/s | ratio | p50 ms | p99 ms | baseline p99 ms | server CPU % | server RSS MB | db CPU % | target | verdict |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const x of r.summary) {
    const verdict = x.failed
      ? '**FAILED (non-2xx/errors)**'
      : x.meetsTarget === null
        ? '–'
        : x.meetsTarget
          ? 'met'
          : '**missed**';
    console.log(
      `| ${x.scenario} | ${x.rps} | ${x.baseline} | ${x.baselineRps} | ${x.ratio.toFixed(3)} | ${x.p50} | ${x.p99} | ${x.baselineP99} | ${x.serverCpuPct ?? '–'} | ${x.serverRssPeakMb ?? '–'} | ${x.dbCpuPct ?? '–'} | ${targetText(x.target)} | ${verdict} |`,
    );
  }
  const st = r.stallUnderLoad;
  if (st)
    console.log(
      `\nStall under load: mixed at ${st.rate} req/s (a fifth of its rate; ${st.achievedRps} answered/s), ` +
        `/api/health every 10 ms: p50 ${st.p50} ms, p99 ${st.p99} ms, max ${st.max} ms over ${st.probes} probes ` +
        `(target: max ≤ ${st.maxAllowed} ms: ${st.met ? 'met' : '**missed**'})`,
    );
  if (r.cluster) {
    console.log(`\n${r.cluster.instances} instances behind nginx, one PostgreSQL:`);
    console.log('| property | verdict | seen |');
    console.log('|---|---|---|');
    for (const v of r.cluster.verdicts)
      console.log(`| ${v.property} | ${v.met ? 'met' : '**missed**'} | ${v.seen} |`);
  }
  console.log('\nAll measurements:');
  console.log(
    '| round | server | scenario | req/s | mean ms | p50 | p90 | p99 | max | non-2xx | errors | server CPU % | server RSS peak MB | db CPU % | loadgen CPU % | db backends (% of samples) |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const m of r.measurements) {
    const waits = m.dbWaits
      ? Object.entries(m.dbWaits)
          .slice(0, 4)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')
      : '–';
    console.log(
      `| ${m.round} | ${m.server} | ${m.scenario} | ${m.rps} | ${m.latencyMs.mean} | ${m.latencyMs.p50} | ${m.latencyMs.p90} | ${m.latencyMs.p99} | ${m.latencyMs.max} | ${m.non2xx + m.warmup.non2xx} | ${m.errors + m.warmup.errors} | ${m.proc.cpuPct ?? '–'} | ${m.proc.rssPeakMb ?? '–'} | ${m.db?.cpuPct ?? '–'} | ${m.loadgenCpuPct} | ${waits} |`,
    );
  }
}
