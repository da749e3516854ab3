/**
 * PostgreSQL's own yardstick in the same run: pgbench's built-in TPC-B-like transaction (three
 * UPDATEs, a SELECT and an INSERT) on a database of its own beside the bench database
 * (`<name>_pgbench`, created and initialised on first use at a scale of the number of clients), at
 * the scenarios' number of connections: what this machine gives PostgreSQL at all, to read the
 * scenarios' figures against.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface PgbenchFigures {
  database: string;
  scale: number;
  clients: number;
  seconds: number;
  tps: number;
  latencyMsAvg: number;
  transactions: number;
}

/** `pgbench`'s connection options from a URL (it takes no URL of its own in version 15). */
function connArgs(u: URL): { args: string[]; env: NodeJS.ProcessEnv } {
  const args = ['-h', u.hostname || 'localhost', '-p', u.port || '5432'];
  if (u.username) args.push('-U', decodeURIComponent(u.username));
  return { args, env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password) } };
}

export async function runPgbench(
  databaseUrl: string,
  o: { clients: number; seconds: number; scale?: number; log?: (m: string) => void },
): Promise<PgbenchFigures> {
  // pgbench's advice: a scale of at least the number of clients, or they queue on the few branch rows.
  const scale = o.scale ?? Math.max(10, o.clients);
  const log = o.log ?? (() => {});
  const u = new URL(databaseUrl);
  const name = `${u.pathname.slice(1) || 'postgres'}_pgbench`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  let fresh = false;
  try {
    const have = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (!have.rowCount) {
      await admin.query(`create database "${name.replaceAll('"', '""')}"`);
      fresh = true;
    }
  } finally {
    await admin.end();
  }
  const { args, env } = connArgs(u);
  if (!fresh) {
    const c = new pg.Client({
      connectionString: Object.assign(new URL(databaseUrl), { pathname: `/${name}` }).href,
    });
    await c.connect();
    try {
      const r = await c.query(
        `select case when to_regclass('pgbench_branches') is null then 0 else (select count(*)::int from pgbench_branches) end as n`,
      );
      fresh = Number(r.rows[0]?.n) !== scale;
    } finally {
      await c.end();
    }
  }
  if (fresh) {
    log(`pgbench: initialising ${name} at scale ${scale}`);
    await run('pgbench', [...args, '-i', '-q', '-s', String(scale), name], { env });
  }
  const jobs = Math.max(1, Math.min(o.clients, 2));
  const { stdout } = await run(
    'pgbench',
    [
      ...args,
      '-n',
      '-M',
      'prepared',
      '-c',
      String(o.clients),
      '-j',
      String(jobs),
      '-T',
      String(o.seconds),
      name,
    ],
    { env, maxBuffer: 1 << 20 },
  );
  const num = (re: RegExp) => {
    const m = re.exec(stdout);
    if (!m) throw new Error(`pgbench printed no ${re.source}:\n${stdout}`);
    return Number(m[1]);
  };
  return {
    database: name,
    scale: num(/scaling factor: (\d+)/),
    clients: o.clients,
    seconds: o.seconds,
    tps: Math.round(num(/tps = ([\d.]+)/)),
    latencyMsAvg: num(/latency average = ([\d.]+) ms/),
    transactions: num(/number of transactions actually processed: (\d+)/),
  };
}
