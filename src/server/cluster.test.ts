/**
 * Two instances behind nginx on one PostgreSQL database, started as in production (src/server/
 * main.ts, NODE_ENV=production, TRUST_PROXY), on a database they create together. PostgreSQL
 * only: the embedded database belongs to one process. In CI (CI=true) a missing nginx fails.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from './db/index.ts';
import { DEMO_ACCOUNTS } from './demo/seed.ts';
import { type Cluster, nginxAvailable, startCluster } from './test/cluster.ts';
import {
  checkDeadlines,
  checkKillUnderLoad,
  checkLiveEvents,
  checkRateLimit,
  checkSessions,
} from './test/cluster-checks.ts';

const adminUrl = process.env.TEST_DATABASE_URL;
const SWEEP_SECONDS = 1;

describe.skipIf(!adminUrl || !nginxAvailable())('several instances behind nginx', () => {
  const name = `gongzhi_cluster_${process.pid}_${Date.now().toString(36)}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gz-cluster-'));
  let url: string;
  let cluster: Cluster;
  let db: pg.Client;
  let failed = false;

  const admin = async (q: string) => {
    const a = new pg.Client({ connectionString: adminUrl });
    await a.connect();
    try {
      await a.query(q);
    } finally {
      await a.end();
    }
  };

  beforeAll(async () => {
    await admin(`create database ${name}`);
    const u = new URL(adminUrl as string);
    u.pathname = `/${name}`;
    url = u.toString();
    // An empty database: both instances migrate and seed it at start-up, together.
    cluster = await startCluster({
      databaseUrl: url,
      instances: 2,
      dir,
      // debug: the sweepers also log the rounds that found nothing or were skipped.
      env: { DEADLINE_SWEEP_SECONDS: String(SWEEP_SECONDS), LOG_LEVEL: 'debug' },
      flags: ['--demo'],
    });
    db = new pg.Client({ connectionString: url });
    await db.connect();
  }, 240_000);

  afterAll(async () => {
    await cluster?.stop();
    await db?.end();
    await admin(`drop database if exists ${name} with (force)`);
    if (failed) process.stderr.write(`[cluster] logs kept in ${dir}\n`);
    else fs.rmSync(dir, { recursive: true, force: true });
  });

  const guard =
    <T>(fn: () => Promise<T>) =>
    async () => {
      try {
        return await fn();
      } catch (err) {
        failed = true;
        throw err;
      }
    };

  it(
    'instances started together on an empty database migrate and seed it once',
    guard(async () => {
      const applied = await db.query('select count(*)::int as n from drizzle.__drizzle_migrations');
      const files = fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).length;
      expect(applied.rows[0].n).toBe(files);
      const demo = await db.query('select count(*)::int as n from users where phone = any($1)', [
        DEMO_ACCOUNTS.map((a) => a.phone),
      ]);
      expect(demo.rows[0].n).toBe(DEMO_ACCOUNTS.length);
      for (const i of cluster.instances) expect((await fetch(`${i.url}/api/health`)).status).toBe(200);
    }),
  );

  it(
    'a session made on one instance works on the other and through the balancer; signing out anywhere ends it everywhere at once',
    guard(async () => {
      const s = await checkSessions(cluster);
      expect(s.meStatus).toEqual([200, 200]);
      expect(s.viaBalancer.statuses).toEqual({ 200: 20 });
      // Round robin: both instances answered.
      expect(Object.keys(s.viaBalancer.byInstance).sort()).toEqual(['gongzhi-1', 'gongzhi-2']);
      // The first instance had it cached for SESSION_CACHE_SECONDS (10): the database told it.
      expect(s.afterLogout.status).toBe(401);
      expect(s.afterLogout.ms).toBeLessThan(2000);
    }),
  );

  it(
    "the sign-in limit counts one account's attempts on every instance together",
    guard(async () => {
      const r = await checkRateLimit(cluster);
      const statuses = r.attempts.map((a) => a.status);
      // 20 refused as wrong, then the limit, whichever instance is asked (each saw only 10 or 11).
      expect(statuses.slice(0, r.limit)).toEqual(Array(r.limit).fill(401));
      expect(statuses.slice(r.limit)).toEqual([429, 429]);
      expect(new Set(r.attempts.slice(r.limit).map((a) => a.instance)).size).toBe(2);
    }),
  );

  it(
    'a report made on either instance reaches live streams on both, and through nginx unbuffered',
    guard(async () => {
      const r = await checkLiveEvents(cluster, db);
      expect(r.reports).toHaveLength(2);
      for (const rep of r.reports) {
        expect(Object.keys(rep.heardMs)).toHaveLength(3);
        for (const [stream, ms] of Object.entries(rep.heardMs)) {
          expect(ms, `${stream} hearing a report made on ${rep.madeOn}`).not.toBeNull();
          expect(ms as number).toBeLessThan(2000);
        }
      }
    }),
  );

  it(
    'both instances sweep deadlines, and each due ticket is warned and marked overdue exactly once',
    guard(async () => {
      // More than two sweeps' batches (500 a step), so the work is spread over several sweeps
      // that either instance may run.
      const n = 1_100;
      const r = await checkDeadlines(cluster, db, { tickets: n, sweepSeconds: SWEEP_SECONDS });
      expect(r.markedAfterS).not.toBeNull();
      expect(r.warnEvents).toEqual({ exactlyOne: n, moreThanOne: 0, none: 0 });
      expect(r.overdueEvents).toEqual({ exactlyOne: n, moreThanOne: 0, none: 0 });
      // What the instances say they did adds up to what the database holds: no sweep counted twice.
      const logged = Object.values(r.byInstance);
      expect(logged.reduce((a, x) => a + x.acceptWarned, 0)).toBe(r.eventsWritten.acceptWarned);
      expect(logged.reduce((a, x) => a + x.acceptOverdue, 0)).toBe(r.eventsWritten.acceptOverdue);
      expect(r.eventsWritten.acceptOverdue).toBeGreaterThanOrEqual(n);
      expect(logged.reduce((a, x) => a + x.sweeps, 0)).toBeGreaterThanOrEqual(3);
      // Both swept meanwhile (whether a round found work is up to timing).
      for (const x of logged) expect(x.sweeps + x.idle + x.skipped).toBeGreaterThanOrEqual(2);
    }),
    60_000,
  );

  it(
    'killing an instance under load loses no acknowledged report; the unanswered ones retried with their key are saved once',
    guard(async () => {
      const r = await checkKillUnderLoad(cluster, db, { connections: 8, seconds: 6, killAfterS: 2 });
      expect(r.victimExit).not.toBeNull();
      expect(r.acknowledged.beforeKill).toBeGreaterThan(0);
      // The survivor took over: reports kept being answered after the kill.
      expect(r.acknowledged.afterKill).toBeGreaterThan(0);
      expect(r.lost).toBe(0);
      expect(r.retried.failed).toBe(0);
      expect(r.duplicates).toBe(0);
      expect(Object.keys(r.answeredBy).sort()).toEqual(['gongzhi-1', 'gongzhi-2']);
      // Only the survivor answers now.
      const res = await fetch(`${cluster.url}/api/health`);
      expect(cluster.instanceOf(res)?.name).toBe('gongzhi-2');
    }),
    60_000,
  );
});
