/**
 * What the ticket endpoints ask the database, and how it answers: serves one request of each
 * bench scenario in-process (buildApp, as the demo department officer and resident), records every
 * SQL statement with its parameters, and prints EXPLAIN (ANALYZE, BUFFERS) of each SELECT
 * (statements that write are listed with their time only).
 *
 *   npx tsx bench/explain-tickets.ts --db postgres://…/gongzhi_bench [--scenarios queue,detail,intake] [--plans]
 *
 * Without --plans it prints the statements with their round-trip times only; --full prints whole
 * statements instead of their first 300 characters. Intake creates one
 * ticket (with an idempotency key of its own).
 */
import pg from 'pg';
import { buildApp } from '../src/server/app.ts';
import { memorySmsGateway } from '../src/server/auth/sms.ts';
import { systemClock } from '../src/server/core/clock.ts';
import { openDatabase } from '../src/server/db/index.ts';
import { TEST_PII } from '../src/server/test/pii.ts';

const argv = process.argv.slice(2);
const arg = (n: string) => {
  const i = argv.indexOf(`--${n}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const url = arg('db') ?? process.env.DATABASE_URL;
if (!url) {
  process.stderr.write(
    'usage: tsx bench/explain-tickets.ts --db postgres://… [--scenarios queue,detail,intake] [--plans]\n',
  );
  process.exit(2);
}
const scenarios = (arg('scenarios') ?? 'queue,queueAll,detail,intake').split(',');
const plans = argv.includes('--plans');
const full = argv.includes('--full');

interface Captured {
  text: string;
  values: unknown[];
  ms: number;
}
let capture: Captured[] | null = null;
// Record what the app's pool sends: every statement goes through Client.prototype.query.
const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
const original = proto.query;
proto.query = function (this: unknown, ...args: unknown[]) {
  const sink = capture;
  if (!sink) return original.apply(this, args);
  const cfg = args[0] as string | { text: string; values?: unknown[]; callback?: (...x: unknown[]) => void };
  const text = typeof cfg === 'string' ? cfg : cfg.text;
  const values = ((typeof cfg === 'object' && cfg.values) ||
    (Array.isArray(args[1]) ? args[1] : undefined)) as unknown[] | undefined;
  const t = performance.now();
  const done = () =>
    sink.push({ text, values: Array.isArray(values) ? values : [], ms: performance.now() - t });
  const cbAt = args.findIndex((a) => typeof a === 'function');
  if (cbAt >= 0) {
    const cb = args[cbAt] as (...x: unknown[]) => void;
    args[cbAt] = (...x: unknown[]) => {
      done();
      cb(...x);
    };
    return original.apply(this, args);
  }
  if (typeof cfg === 'object' && typeof cfg.callback === 'function') {
    const cb = cfg.callback;
    cfg.callback = (...x: unknown[]) => {
      done();
      cb(...x);
    };
    return original.apply(this, args);
  }
  const r = original.apply(this, args) as Promise<unknown> | undefined;
  r?.then?.(done, done);
  return r;
};

const database = await openDatabase({ databaseUrl: url, dataDir: '', poolSize: 2 });
const app = await buildApp({
  pii: TEST_PII,
  db: database.db,
  dbKind: database.kind,
  clock: systemClock,
  sms: memorySmsGateway(),
  webDir: null,
});
const host = { host: 'bench.local', origin: 'http://bench.local' };
async function login(phone: string) {
  const r = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: host,
    payload: { phone, password: 'Gongzhi@2026' },
  });
  if (r.statusCode !== 200) throw new Error(`login ${phone}: ${r.statusCode} ${r.body}`);
  return String(r.headers['set-cookie']).split(';')[0] as string;
}
const officer = await login('10000000007');
const resident = await login('10000000008');
const admin = new pg.Client({ connectionString: url });
await admin.connect();
const [someTicket] = (
  await admin.query(
    `select x.ticket_id from ticket_dispatches x join grants g on g.department_id = x.department_id
     join users u on u.id = g.user_id where u.phone = '10000000007' order by x.ticket_id desc limit 1`,
  )
).rows;
const [compound] = (
  await admin.query(`select g.node_ref::bigint as id from grants g join users u on u.id = g.user_id
                     where u.phone = '10000000008' and g.role = 'resident'`)
).rows;

const requests: Record<string, () => Promise<{ statusCode: number }>> = {
  queue: () =>
    app.inject({
      method: 'GET',
      url: '/api/v1/tickets?view=work&status=whistled&limit=30',
      headers: { cookie: officer },
    }),
  queueAll: () =>
    app.inject({ method: 'GET', url: '/api/v1/tickets?view=work&limit=30', headers: { cookie: officer } }),
  detail: () =>
    app.inject({
      method: 'GET',
      url: `/api/v1/tickets/${someTicket?.ticket_id}`,
      headers: { cookie: officer },
    }),
  intake: () =>
    app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: { ...host, cookie: resident, 'idempotency-key': `explain-${Date.now()}` },
      payload: { description: '小区门口路灯坏了好几天了，晚上很黑', compoundId: Number(compound?.id) },
    }),
};

for (const s of scenarios) {
  const send = requests[s];
  if (!send) throw new Error(`unknown scenario ${s}`);
  await send(); // warm caches and prepared plans first
  capture = [];
  const t = performance.now();
  const r = await send();
  const ms = performance.now() - t;
  const got = capture;
  capture = null;
  console.log(
    `\n=== ${s}: HTTP ${r.statusCode}, ${ms.toFixed(1)} ms in-process, ${got.length} statements, ${got.reduce((a, q) => a + q.ms, 0).toFixed(1)} ms waiting on the database`,
  );
  for (const [i, q] of got.entries()) {
    const one = q.text.replace(/\s+/g, ' ').trim();
    console.log(
      `\n[${i + 1}] ${q.ms.toFixed(2)} ms  ${one.length > 300 && !full ? `${one.slice(0, 300)}…` : one}`,
    );
    if (q.values.length)
      console.log(`    params: ${JSON.stringify(q.values).slice(0, full ? undefined : 300)}`);
    if (plans && /^\s*(select|with)\b/i.test(q.text) && !/pg_notify/.test(q.text)) {
      const plan = await admin.query(`explain (analyze, buffers, costs off) ${q.text}`, q.values);
      for (const row of plan.rows) console.log(`    ${row['QUERY PLAN']}`);
    }
  }
}
await admin.end();
await app.close();
await database.close();
