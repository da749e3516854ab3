import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, type Db, openDatabase } from '../db/index.ts';
import * as schema from '../db/schema.ts';
import { createTestDb, type TestDb } from '../test/db.ts';
import { type EventBus, type LiveEvent, openEventBus, publish, type TicketChanged } from './events.ts';

const onPostgres = !!process.env.TEST_DATABASE_URL;

let seq = 0;
function ticketEvent(over: Partial<TicketChanged> = {}): TicketChanged {
  return {
    kind: 'ticket',
    id: ++seq,
    status: 'submitted',
    path: '140200.140213.',
    departmentIds: [],
    reporterUserId: null,
    at: new Date().toISOString(),
    ...over,
  };
}

/** Subscribes and keeps what arrives, with the time it arrived. */
function collect(bus: EventBus) {
  const got: { event: LiveEvent; t: number }[] = [];
  const waiters = new Set<() => void>();
  const stop = bus.subscribe((event) => {
    got.push({ event, t: performance.now() });
    for (const w of [...waiters]) w();
  });
  return {
    got,
    stop,
    events: () => got.map((g) => g.event),
    async waitFor(pred: (e: LiveEvent) => boolean, ms = 2000): Promise<{ event: LiveEvent; t: number }> {
      const deadline = Date.now() + ms;
      for (;;) {
        const hit = got.find((g) => pred(g.event));
        if (hit) return hit;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error('no such event arrived in time');
        await new Promise<void>((resolve) => {
          const w = () => {
            waiters.delete(w);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(w, left);
          waiters.add(w);
        });
      }
    },
  };
}

/** The shared contract: a committed publish arrives, a rolled-back one never does. */
async function commitAndRollback(db: Db, bus: EventBus) {
  const c = collect(bus);
  const committed = ticketEvent();
  const start = performance.now();
  await db.transaction(async (tx) => {
    await publish(tx as unknown as Db, committed);
  });
  const hit = await c.waitFor((e) => e.kind === 'ticket' && e.id === committed.id);
  expect(hit.event).toEqual(committed);
  const latencyMs = hit.t - start;

  const rolledBack = ticketEvent();
  await expect(
    db.transaction(async (tx) => {
      await publish(tx as unknown as Db, rolledBack);
      throw new Error('abandon');
    }),
  ).rejects.toThrow('abandon');
  // Events arrive in commit order: once a later one is here, the rolled-back one would have been too.
  const later = ticketEvent();
  await db.transaction(async (tx) => publish(tx as unknown as Db, later));
  await c.waitFor((e) => e.kind === 'ticket' && e.id === later.id);
  expect(c.events().some((e) => e.kind === 'ticket' && e.id === rolledBack.id)).toBe(false);
  c.stop();
  return latencyMs;
}

describe('event bus on the test database', () => {
  let testDb: TestDb;
  let bus: EventBus;
  beforeAll(async () => {
    testDb = await createTestDb();
    bus = await openEventBus(testDb.db, { kind: testDb.kind });
  });
  afterAll(async () => {
    await bus?.close();
    await testDb?.close();
  });

  it('listens the way the database allows', () => {
    expect(bus.mode).toBe(onPostgres ? 'dedicated' : 'pglite');
  });

  it('delivers a publish on commit and nothing on rollback', async () => {
    const ms = await commitAndRollback(testDb.db, bus);
    expect(ms).toBeLessThan(1000);
  });

  it('sends a resync instead of an event too large for NOTIFY, and the change still commits', async () => {
    const c = collect(bus);
    const huge = ticketEvent({ departmentIds: Array.from({ length: 3000 }, (_, i) => i + 1_000_000) });
    await testDb.db.transaction(async (tx) => publish(tx as unknown as Db, huge));
    await c.waitFor((e) => e.kind === 'resync');
    c.stop();
  });

  it('tells every subscriber, and an unsubscribed one no more', async () => {
    const a = collect(bus);
    const b = collect(bus);
    b.stop();
    const e = ticketEvent();
    await publish(testDb.db, e);
    await a.waitFor((x) => x.kind === 'ticket' && x.id === e.id);
    expect(b.events()).toEqual([]);
    a.stop();
  });
});

// The production embedded path: PGlite in a worker behind pglite-socket, reached with pg.
describe('event bus on the embedded database', () => {
  let dir: string;
  let database: Database;
  let bus: EventBus;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gz-events-'));
    database = await openDatabase({ dataDir: dir });
    bus = await openEventBus(database.db, { kind: database.kind });
  }, 120_000);
  afterAll(async () => {
    await bus?.close();
    await database?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('cannot have a connection of its own: the socket serves one connection', async () => {
    const pool = (database.db as unknown as { $client: pg.Pool }).$client;
    const second = new pg.Client({ ...pool.options, connectionTimeoutMillis: 5000 });
    second.on('error', () => {});
    const outcome = await second.connect().then(
      () => second.query('select 1').then(() => 'connected'),
      (err: Error) => `refused: ${err.message}`,
    );
    await second.end().catch(() => {});
    expect(outcome).toMatch(/^refused/);
    expect(bus.mode).toBe('session');
  });

  it('delivers a publish on commit and nothing on rollback through the socket', async () => {
    const ms = await commitAndRollback(database.db, bus);
    expect(ms).toBeLessThan(1000);
  });

  it('delivers to a bus opened again on the same database (the app rebuilt in-process)', async () => {
    const other = await openEventBus(database.db, { kind: database.kind });
    const c = collect(other);
    const e = ticketEvent();
    await database.db.transaction(async (tx) => publish(tx as unknown as Db, e));
    await c.waitFor((x) => x.kind === 'ticket' && x.id === e.id);
    await other.close();
    // The first bus still hears after the second closed.
    const again = collect(bus);
    const e2 = ticketEvent();
    await publish(database.db, e2);
    await again.waitFor((x) => x.kind === 'ticket' && x.id === e2.id);
    again.stop();
  });
});

describe.skipIf(!onPostgres)('event bus on PostgreSQL', () => {
  let testDb: TestDb;
  const pools: pg.Pool[] = [];
  const buses: EventBus[] = [];
  /** A second instance: its own pool and its own bus on the same database. */
  async function instance() {
    const pool = new pg.Pool({ connectionString: testDb.url, max: 2 });
    pools.push(pool);
    const db = drizzle({ client: pool, schema }) as unknown as Db;
    const bus = await openEventBus(db, { kind: 'postgres', backoffMs: { min: 50, max: 500 } });
    buses.push(bus);
    return { db, bus, pool };
  }
  beforeAll(async () => {
    testDb = await createTestDb();
  });
  afterAll(async () => {
    for (const b of buses) await b.close();
    for (const p of pools) await p.end();
    await testDb?.close();
  });

  it('listens on a connection of its own, outside the pool', async () => {
    const a = await instance();
    const res = await a.db.execute(
      sql`select count(*)::int as n from pg_stat_activity where application_name = 'gongzhi-events' and datname = current_database() and query ilike 'listen%'`,
    );
    expect((res as unknown as { rows: { n: number }[] }).rows[0]?.n).toBeGreaterThanOrEqual(1);
    expect(a.pool.totalCount).toBeLessThanOrEqual(2);
  });

  it('a change committed through one instance reaches the other', async () => {
    const a = await instance();
    const b = await instance();
    const cb = collect(b.bus);
    const ca = collect(a.bus);
    const e = ticketEvent();
    const start = performance.now();
    await a.db.transaction(async (tx) => publish(tx as unknown as Db, e));
    const hit = await cb.waitFor((x) => x.kind === 'ticket' && x.id === e.id, 2000);
    expect(hit.t - start).toBeLessThan(2000);
    await ca.waitFor((x) => x.kind === 'ticket' && x.id === e.id, 2000);
    cb.stop();
    ca.stop();
  });

  it('reconnects after losing its connection, and says events may have been missed', async () => {
    const a = await instance();
    const c = collect(a.bus);
    // Kill every listening connection of this database (as a failover or a network cut would).
    await testDb.db.execute(
      sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'gongzhi-events' and datname = current_database()`,
    );
    await c.waitFor((e) => e.kind === 'resync', 5000);
    const e = ticketEvent();
    await a.db.transaction(async (tx) => publish(tx as unknown as Db, e));
    await c.waitFor((x) => x.kind === 'ticket' && x.id === e.id, 2000);
    c.stop();
  });

  it('delivers a publish on commit and nothing on rollback', async () => {
    const a = await instance();
    await commitAndRollback(a.db, a.bus);
  });
});
