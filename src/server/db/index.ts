import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** A database or an open transaction: every repo function takes one of these explicitly. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type DbKind = 'embedded' | 'postgres';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations', import.meta.url));

export interface Database {
  db: Db;
  kind: DbKind;
  /**
   * Runs `fn` while holding a cluster-wide lock, so instances starting together migrate and seed
   * one after another (a PostgreSQL advisory lock; the embedded database has one process anyway).
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const STARTUP_LOCK = 1_402_200_001;

export class DataDirBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `数据目录 ${dataDir} 正被进程 ${pid} 使用（gongzhi 服务正在运行）。请先停止服务，或设置 DATABASE_URL 连接 PostgreSQL。\n` +
        `The data directory ${dataDir} is in use by process ${pid} (a running gongzhi server). Stop it first, or use DATABASE_URL.`,
    );
    this.name = 'DataDirBusyError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite has no lock of its own: two processes on one data directory corrupt it. Take an
 * exclusive lock file holding our pid; a lock left by a dead process is taken over.
 */
const heldLocks = new Set<string>();

export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'gongzhi.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx', 0o600);
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      heldLocks.add(lockPath);
      return () => {
        heldLocks.delete(lockPath);
        try {
          if (fs.readFileSync(lockPath, 'utf8') === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(fs.readFileSync(lockPath, 'utf8'), 10);
      // Our own pid in the file is stale (a container restarted as pid 1, say) unless this process
      // really holds the lock.
      const ours = pid === process.pid && heldLocks.has(lockPath);
      if (Number.isFinite(pid) && (ours || (pid !== process.pid && isAlive(pid))))
        throw new DataDirBusyError(dataDir, pid);
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}

async function startEmbeddedWorker(dbDir: string): Promise<{ socketDir: string; stop(): Promise<void> }> {
  // A private directory for the socket: pglite-socket accepts any password, so only this
  // process's user may reach it. Short path: unix socket paths are limited to ~107 bytes.
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-'));
  fs.chmodSync(socketDir, 0o700);
  const socketPath = path.join(socketDir, '.s.PGSQL.5432');
  const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), {
    workerData: { dataDir: dbDir, socketPath },
  });
  await new Promise<void>((resolve, reject) => {
    const onMessage = (msg: { type: string; message?: string }) => {
      if (msg.type === 'ready') resolve();
      else if (msg.type === 'error') reject(new Error(`Embedded database failed to start: ${msg.message}`));
    };
    worker.once('message', onMessage);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`Embedded database worker exited (${code})`)));
  });
  return {
    socketDir,
    async stop() {
      const closed = new Promise<void>((resolve) => {
        worker.on('message', (msg: { type: string }) => msg.type === 'closed' && resolve());
        worker.once('exit', () => resolve());
      });
      worker.postMessage({ type: 'close' });
      await Promise.race([closed, new Promise((r) => setTimeout(r, 10_000))]);
      await worker.terminate();
      fs.rmSync(socketDir, { recursive: true, force: true });
    },
  };
}

export interface OpenOptions {
  databaseUrl?: string;
  dataDir: string;
  /** Pool size on PostgreSQL; embedded always uses one connection. */
  poolSize?: number;
  logQueries?: boolean;
}

/** Opens the configured database: PostgreSQL via DATABASE_URL, else embedded PGlite under dataDir/db. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    pool.on('error', () => {}); // idle client errors surface on the next query instead
    await pool.query('select 1');
    return {
      db: drizzle({ client: pool, schema, logger: opts.logQueries }) as unknown as Db,
      kind: 'postgres',
      async exclusive(fn) {
        const client = await pool.connect();
        try {
          await client.query('select pg_advisory_lock($1)', [STARTUP_LOCK]);
          return await fn();
        } finally {
          await client.query('select pg_advisory_unlock($1)', [STARTUP_LOCK]).catch(() => {});
          client.release();
        }
      },
      async close() {
        await pool.end();
      },
    };
  }
  const unlock = lockDataDir(opts.dataDir);
  try {
    const embedded = await startEmbeddedWorker(path.join(opts.dataDir, 'db'));
    // One connection: PGlite is one session; pg queues queries behind it.
    const pool = new pg.Pool({
      host: embedded.socketDir,
      port: 5432,
      user: 'postgres',
      database: 'postgres',
      max: 1,
      idleTimeoutMillis: 0,
      connectionTimeoutMillis: 30_000,
    });
    pool.on('error', () => {});
    return {
      db: drizzle({ client: pool, schema, logger: opts.logQueries }) as unknown as Db,
      kind: 'embedded',
      exclusive: (fn) => fn(),
      async close() {
        await pool.end();
        await embedded.stop();
        unlock();
      },
    };
  } catch (err) {
    unlock();
    throw err;
  }
}

export async function runMigrations(db: Db): Promise<void> {
  // Both drivers speak node-postgres here (embedded goes through the socket), so one migrator.
  await migrate(db as never, { migrationsFolder: MIGRATIONS_DIR });
}

export interface MigrationState {
  applied: number;
  available: number;
  latest: string | null;
}

export async function migrationState(db: Db): Promise<MigrationState> {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  let applied = 0;
  try {
    const res = (await db.execute(
      'select count(*)::int as n from drizzle.__drizzle_migrations',
    )) as unknown as {
      rows: { n: number }[];
    };
    applied = res.rows[0]?.n ?? 0;
  } catch {
    applied = 0;
  }
  return { applied, available: journal.entries.length, latest: journal.entries.at(-1)?.tag ?? null };
}
