import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { memorySmsGateway } from '../auth/sms.ts';
import { systemClock } from '../core/clock.ts';
import { TEST_PII } from '../test/pii.ts';
import { type Database, DataDirBusyError, lockDataDir, openDatabase, runMigrations } from './index.ts';

// The embedded production path: PGlite in a worker thread behind a unix socket, reached through pg.
describe('embedded database', () => {
  let dir: string;
  let database: Database;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gz-embedded-'));
    database = await openDatabase({ dataDir: dir });
    await runMigrations(database.db);
  }, 120_000);
  afterAll(async () => {
    await database?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second opener while the first holds the directory', async () => {
    expect(() => lockDataDir(dir)).toThrow(DataDirBusyError);
    await expect(openDatabase({ dataDir: dir })).rejects.toThrow(/正被进程 \d+ 使用/);
  });

  it('takes over a lock left by a dead process', () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'gz-lock-'));
    fs.writeFileSync(path.join(other, 'gongzhi.lock'), '999999999');
    const unlock = lockDataDir(other);
    expect(fs.readFileSync(path.join(other, 'gongzhi.lock'), 'utf8')).toBe(String(process.pid));
    unlock();
    expect(fs.existsSync(path.join(other, 'gongzhi.lock'))).toBe(false);
    // Our own pid left by an earlier life of this pid (a container's pid 1) is stale too.
    fs.writeFileSync(path.join(other, 'gongzhi.lock'), String(process.pid));
    lockDataDir(other)();
    fs.rmSync(other, { recursive: true });
  });

  it('answers /api/health while a long aggregate holds the database', async () => {
    const app = await buildApp({
      pii: TEST_PII,
      db: database.db,
      dbKind: database.kind,
      clock: systemClock,
      sms: memorySmsGateway(),
      webDir: null,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address() as { port: number };
    let slowDone = false;
    const slow = database.db
      .execute(sql`select sum(x * random()) from generate_series(1, 6000000) as x`)
      .then(() => {
        slowDone = true;
      });
    // Give the query time to reach the worker, then ask for health over real HTTP.
    await new Promise((r) => setTimeout(r, 50));
    const res = await fetch(`http://127.0.0.1:${addr.port}/api/health`);
    const healthAnsweredWhileBusy = !slowDone;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      database: { kind: 'embedded', migrations: { upToDate: true } },
    });
    await slow;
    expect(healthAnsweredWhileBusy).toBe(true);
    await app.close();
  }, 60_000);

  it('keeps data across a clean close and reopen', async () => {
    await database.db.execute(
      sql`insert into regions (code, name, official_name, level, path) values ('990000', '测试市', '测试市', 'city', '990000.')`,
    );
    await database.close();
    database = await openDatabase({ dataDir: dir });
    const res = (await database.db.execute(
      sql`select name from regions where code = '990000'`,
    )) as unknown as {
      rows: { name: string }[];
    };
    expect(res.rows[0]?.name).toBe('测试市');
  }, 60_000);
});
