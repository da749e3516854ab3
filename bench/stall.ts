/**
 * Does a long query on the embedded database stall the HTTP thread? Serves /api/health while a
 * ~1 s aggregate runs back to back, and compares against the same server idle, and against PGlite
 * on the main thread (the design we rejected), all in one run on this machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { buildApp } from '../src/server/app.ts';
import { memorySmsGateway } from '../src/server/auth/sms.ts';
import { systemClock } from '../src/server/core/clock.ts';
import { type Db, MIGRATIONS_DIR, openDatabase, runMigrations } from '../src/server/db/index.ts';
import * as schema from '../src/server/db/schema.ts';
import { TEST_PII } from '../src/server/test/pii.ts';

export interface StallFigures {
  setup: string;
  aggregateMs: number;
  idle: Latency;
  busy: Latency;
}
interface Latency {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

function stats(xs: number[]): Latency {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
  return { n: s.length, p50: +q(0.5).toFixed(1), p99: +q(0.99).toFixed(1), max: +(s.at(-1) ?? 0).toFixed(1) };
}

async function probe(url: string, ms: number): Promise<number[]> {
  const out: number[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const t = performance.now();
    const r = await fetch(url);
    await r.arrayBuffer();
    out.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 10));
  }
  return out;
}

const aggregate = (rows: number) => sql`select sum(x * random()) from generate_series(1, ${rows}::int) as x`;

/** Sizes the aggregate to take at least 1 s on this machine, whatever its speed that day. */
async function oneSecondAggregate(db: Db) {
  let rows = 1_000_000;
  for (;;) {
    const t0 = performance.now();
    await db.execute(aggregate(rows));
    const ms = performance.now() - t0;
    if (ms >= 1000) return { query: aggregate(rows), ms: Math.round(ms) };
    rows = Math.ceil((rows * 1150) / Math.max(ms, 50));
  }
}

async function measure(
  setup: string,
  db: Db,
  kind: 'embedded' | 'postgres',
  seconds: number,
): Promise<StallFigures> {
  const app = await buildApp({
    pii: TEST_PII,
    db,
    dbKind: kind,
    clock: systemClock,
    sms: memorySmsGateway(),
    webDir: null,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/health`;
  const { query: AGG, ms: aggregateMs } = await oneSecondAggregate(db);
  const idle = await probe(url, seconds * 1000);
  let running = true;
  const loop = (async () => {
    while (running) {
      await db.execute(AGG);
      // Yield between queries, as separate requests would; on the main thread PGlite may
      // otherwise resolve in microtasks and starve the event loop entirely.
      await new Promise((r) => setImmediate(r));
    }
  })();
  await new Promise((r) => setTimeout(r, 200));
  const busy = await probe(url, seconds * 1000);
  running = false;
  await loop;
  await app.close();
  return { setup, aggregateMs, idle: stats(idle), busy: stats(busy) };
}

export async function runStall(seconds = 6): Promise<StallFigures[]> {
  const results: StallFigures[] = [];
  const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gz-bench-stall-'));
  log('stall: embedded worker');
  const worker = await openDatabase({ dataDir: dir });
  await runMigrations(worker.db);
  results.push(await measure('PGlite in a worker (gongzhi embedded mode)', worker.db, 'embedded', seconds));
  await worker.close();
  fs.rmSync(dir, { recursive: true, force: true });

  log('stall: main-thread PGlite');
  const main = new PGlite();
  const mainDb = drizzle({ client: main, schema }) as unknown as Db;
  await migrate(drizzle({ client: main, schema }), { migrationsFolder: MIGRATIONS_DIR });
  results.push(await measure('PGlite on the main thread (rejected design)', mainDb, 'embedded', seconds));
  await main.close();
  return results;
}

export function printStall(rows: StallFigures[]) {
  console.log('\n/api/health latency (ms) while a ~1 s aggregate loops on the same database');
  console.log(
    '| setup | aggregate ms | idle p50 | idle p99 | busy p50 | busy p99 | busy max | p99 stall vs idle |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.setup} | ${r.aggregateMs} | ${r.idle.p50} | ${r.idle.p99} | ${r.busy.p50} | ${r.busy.p99} | ${r.busy.max} | ${r.busy.p99 - r.idle.p99 >= 0 ? '+' : ''}${(r.busy.p99 - r.idle.p99).toFixed(1)} ms |`,
    );
  }
}
