/**
 * The yardstick the ticket scenarios are compared with: a bare Fastify server (same Fastify, same
 * pino logger at the same level, same pg driver and pool size as gongzhi) with three routes:
 *
 *   GET  /bench/none         no database
 *   POST /bench/insert       one INSERT of the posted JSON's description into a narrow table
 *   GET  /bench/select/:id   one SELECT by primary key on a table of BASELINE_ROWS rows
 *
 * Run as a child process by bench/tickets.ts:
 *   BASELINE_DATABASE_URL=postgres://… | BASELINE_DATA_DIR=dir   PORT=… HOST=127.0.0.1 BASELINE_ROWS=1000000
 * With a data directory it opens an embedded database exactly as gongzhi does (PGlite in a worker
 * behind a unix socket, one connection).
 */
import Fastify from 'fastify';
import type pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../src/server/config.ts';
import { openDatabase } from '../src/server/db/index.ts';

const env = process.env;
const rows = Number(env.BASELINE_ROWS ?? 1_000_000);
// Same default pool size as gongzhi (DB_POOL_SIZE unless set).
const poolSize = loadConfig(env, []).dbPoolSize;
const database = await openDatabase({
  databaseUrl: env.BASELINE_DATABASE_URL,
  dataDir: env.BASELINE_DATA_DIR ?? '',
  poolSize,
});
const pool = (database.db as unknown as { $client: pg.Pool }).$client;

await pool.query('create schema if not exists bench_baseline');
await pool.query(
  `create table if not exists bench_baseline.writes (
     id bigint generated always as identity primary key, at timestamptz not null, note text not null)`,
);
await pool.query(
  `create table if not exists bench_baseline.rows (id bigint primary key, payload text not null, at timestamptz not null)`,
);
const have = Number((await pool.query('select count(*)::int as n from bench_baseline.rows')).rows[0].n);
if (have !== rows) {
  await pool.query('truncate bench_baseline.rows');
  await pool.query(
    `insert into bench_baseline.rows (id, payload, at)
     select g, md5(g::text) || md5((g * 7)::text) || md5((g * 13)::text), now() - g * interval '1 second'
     from generate_series(1, $1::int) g`,
    [rows],
  );
  await pool.query('vacuum analyze bench_baseline.rows');
}

const logger = pino({ level: env.LOG_LEVEL || 'info' });
const app = Fastify({ loggerInstance: logger, bodyLimit: 1_048_576 });
app.get('/bench/none', async () => ({ ok: true }));
app.post('/bench/insert', async (req) => {
  const body = req.body as { description?: string } | undefined;
  const r = await pool.query('insert into bench_baseline.writes (at, note) values (now(), $1) returning id', [
    String(body?.description ?? ''),
  ]);
  return { id: Number(r.rows[0].id) };
});
app.get('/bench/select/:id', async (req, reply) => {
  const r = await pool.query('select id, payload, at from bench_baseline.rows where id = $1', [
    Number((req.params as { id: string }).id),
  ]);
  const row = r.rows[0];
  if (!row) return reply.code(404).send({ error: 'not found' });
  return { id: Number(row.id), payload: row.payload, at: row.at };
});

const shutdown = async () => {
  await app.close();
  await database.close();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
await app.listen({ port: Number(env.PORT ?? 0), host: env.HOST ?? '127.0.0.1' });
process.stdout.write(`[baseline] ready on ${env.PORT} (${database.kind}, pool ${poolSize}, ${rows} rows)\n`);
