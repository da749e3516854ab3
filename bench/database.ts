/**
 * The bench's databases: migrated, with Datong's regions and the demo, and one session for the
 * filler (src/server/demo/fill-tickets.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { systemClock } from '../src/server/core/clock.ts';
import type { Db } from '../src/server/db/index.ts';
import type { Session } from '../src/server/demo/fill-tickets.ts';
import { runDeadlineSweep } from '../src/server/tickets/deadlines.ts';

export interface Prepared {
  kind: 'embedded' | 'postgres';
  db: Db;
  /** One session on the database, for fillTickets. */
  session: Session & { release(): void };
  /** Pid of the PostgreSQL backend serving the session (for its peak memory), when local. */
  backendPid: number | null;
  close(): Promise<void>;
}

/**
 * Opens a database the way the server does, brings its schema up to date and seeds the Datong
 * regions and demo when they are missing (what `npm start -- --demo` does on first start).
 * Embedded: the data directory must not be in use by a running server.
 */
export async function prepareDemoDatabase(
  target: { databaseUrl?: string; dataDir?: string },
  log: (msg: string) => void = () => {},
): Promise<Prepared> {
  const { openDatabase, runMigrations } = await import('../src/server/db/index.ts');
  const { ensureRegions } = await import('../src/server/bootstrap.ts');
  const { seedDemo, DEMO_CITY } = await import('../src/server/demo/seed.ts');
  const database = await openDatabase({
    databaseUrl: target.databaseUrl,
    dataDir: path.resolve(target.dataDir ?? './data'),
    poolSize: 2,
  });
  try {
    await database.exclusive(async () => {
      await runMigrations(database.db);
      await ensureRegions(database, DEMO_CITY, log);
      const s = await seedDemo(database.db);
      if (!s.skipped)
        log(`demo seeded: ${s.compounds} compounds, ${s.departments} departments (${s.elapsedMs} ms)`);
    });
    // drizzle's node-postgres database keeps its pool as $client.
    const pool = (database.db as unknown as { $client: import('pg').Pool }).$client;
    const client = await pool.connect();
    const pid =
      database.kind === 'postgres'
        ? Number((await client.query('select pg_backend_pid() as p')).rows[0].p)
        : null;
    return {
      kind: database.kind,
      db: database.db,
      session: client,
      backendPid: pid,
      async close() {
        client.release();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}

/** Peak resident memory of a local process in MB (VmHWM), or null. */
export function peakRssMb(pid: number | null): number | null {
  if (!pid) return null;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/**
 * Brings the deadline marks up to date before instances with sweepers start. The single-instance
 * passes run without sweepers, so the reports they and the cluster checks make (hundreds of
 * thousands after a few runs, all still "submitted") fall due unswept; the real sweep would work
 * through them 500 a round, writing two timeline events each, and the instances would spend the
 * measurement on it. Those reports are the bench's own artefacts: they are marked warned and
 * overdue as of their deadlines in one statement (without timeline events). Whatever else is due then goes through
 * the real sweep until it finds nothing.
 */
export async function catchUpDeadlines(db: Db, log: (msg: string) => void = () => {}): Promise<number> {
  const t0 = performance.now();
  const bulk = (await db.execute(sql`
    update tickets set
      accept_warned_at = accept_warn_at,
      accept_overdue_at = case when accept_due_at <= now() then accept_due_at end
    where status = 'submitted' and accept_warned_at is null and accept_warn_at <= now()
      and idempotency_key ~ '^(bench|kill|due|live)-'`)) as unknown as { rowCount: number | null };
  if (bulk.rowCount)
    log(
      `the bench's own ${bulk.rowCount.toLocaleString('en')} unswept reports marked as of their deadlines (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
  let total = 0;
  let lastLog = performance.now();
  for (;;) {
    const r = await runDeadlineSweep(db, systemClock);
    const done = Object.entries(r).reduce((a, [k, v]) => (k === 'skipped' ? a : a + Number(v)), 0);
    if (r.skipped) await new Promise((res) => setTimeout(res, 200));
    else if (done === 0) break;
    total += done;
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      log(`deadline sweep catching up: ${total.toLocaleString('en')} marks so far`);
    }
  }
  if (total)
    log(
      `deadline sweep caught up: ${total.toLocaleString('en')} marks in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  return total;
}
