/**
 * What several instances behind a balancer must get right, observed from outside as users and
 * operators would: each check drives a running cluster (cluster.ts) over HTTP, looks at the
 * database where only the database can tell, and returns what it saw. The multi-instance test
 * asserts on these observations; `npm run bench -- --instances N` prints them at city scale.
 */
import fs from 'node:fs';
import type pg from 'pg';
import { secondsLeft } from '../core/rate-limit.ts';
import { DEMO_PASSWORD } from '../demo/seed.ts';
import type { Cluster } from './cluster.ts';
import type { NodeServer } from './processes.ts';

export const RESIDENT = '10000000008';
export const COMMUNITY_WORKER = '10000000004';

/** Signs in with the password; returns the `gz_session=…` cookie. */
export async function login(
  base: string,
  phone: string,
  password = DEMO_PASSWORD,
  headers: Record<string, string> = {},
): Promise<string> {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base, ...headers },
    body: JSON.stringify({ phone, password }),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`login ${phone} on ${base}: ${r.status} ${text.slice(0, 300)}`);
  const cookie = r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] as string)
    .find((c) => c.startsWith('gz_session='));
  if (!cookie) throw new Error(`login ${phone}: no session cookie`);
  return cookie;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function status(url: string, init: RequestInit = {}): Promise<number> {
  const r = await fetch(url, init);
  await r.arrayBuffer();
  return r.status;
}

/** A report from the resident's phone, with the Idempotency-Key the app sends. */
async function report(
  base: string,
  cookie: string,
  compoundId: number,
  key: string,
  signal?: AbortSignal,
): Promise<{ status: number; id: number | null; res: Response }> {
  const res = await fetch(`${base}/api/v1/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, origin: base, 'idempotency-key': key },
    body: JSON.stringify({
      description: `楼道灯坏了，晚上看不见路（${key}）`,
      compoundId,
      channel: 'app',
      private: false,
      photoIds: [],
    }),
    signal,
  });
  const body = await res.text();
  const id = res.ok ? Number((JSON.parse(body) as { id: number }).id) : null;
  return { status: res.status, id, res };
}

/** A compound in the demo community worker's community (their live stream hears its reports). */
export async function workerCompound(db: pg.Client): Promise<number> {
  const r = await db.query(
    `select c.id from compounds c
     join grants g on g.role = 'communityAdmin' and g.node_kind = 'region' and g.node_ref = c.community_code
     join users u on u.id = g.user_id where u.phone = $1 order by c.id limit 1`,
    [COMMUNITY_WORKER],
  );
  if (!r.rows[0]) throw new Error('the demo community worker has no compound');
  return Number(r.rows[0].id);
}

// Sessions -----------------------------------------------------------------------------------------

export interface SessionsSeen {
  /** GET /api/v1/me with a session made on the first instance, on each instance directly. */
  meStatus: number[];
  /** Requests through the balancer with that cookie: how many each instance answered, and their statuses. */
  viaBalancer: { byInstance: Record<string, number>; statuses: Record<string, number> };
  /** After signing out on the last instance: the first instance's answer, and how long it took to learn. */
  afterLogout: { status: number; ms: number };
}

export async function checkSessions(c: Cluster, requests = 20): Promise<SessionsSeen> {
  const first = c.instances[0] as NodeServer;
  const last = c.instances.at(-1) as NodeServer;
  const cookie = await login(first.url, RESIDENT);
  const meStatus: number[] = [];
  for (const i of c.instances) meStatus.push(await status(`${i.url}/api/v1/me`, { headers: { cookie } }));
  const byInstance: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  for (let n = 0; n < requests; n++) {
    const r = await fetch(`${c.url}/api/v1/me`, { headers: { cookie } });
    await r.arrayBuffer();
    const who = c.instanceOf(r)?.name ?? 'unknown';
    byInstance[who] = (byInstance[who] ?? 0) + 1;
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  }
  // The first instance has the session cached (SESSION_CACHE_SECONDS); the sign-out elsewhere must
  // reach it through the database at once, not when its cache expires.
  const lo = await status(`${last.url}/api/v1/auth/logout`, {
    method: 'POST',
    headers: { cookie, origin: last.url },
  });
  if (lo !== 200) throw new Error(`logout on ${last.name}: ${lo}`);
  const t0 = performance.now();
  let after = 200;
  while (performance.now() - t0 < 15_000) {
    after = await status(`${first.url}/api/v1/me`, { headers: { cookie } });
    if (after !== 200) break;
    await sleep(20);
  }
  return {
    meStatus,
    viaBalancer: { byInstance, statuses },
    afterLogout: { status: after, ms: Math.round(performance.now() - t0) },
  };
}

// Rate limits --------------------------------------------------------------------------------------

export interface RateLimitSeen {
  /** The per-account limit on sign-in attempts (auth/service.ts). */
  limit: number;
  /** Wrong-password attempts on one account, in order, sent to the instances in turn. */
  attempts: { instance: string; status: number }[];
}

export async function checkRateLimit(c: Cluster, limit = 20): Promise<RateLimitSeen> {
  // Fixed ten-minute windows: start well inside one, so the count is not reset half-way.
  while (secondsLeft(600, new Date()) < 15) await sleep(1000);
  const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const attempts: RateLimitSeen['attempts'] = [];
  for (let n = 0; n < limit + 2; n++) {
    const i = c.instances[n % c.instances.length] as NodeServer;
    const s = await status(`${i.url}/api/v1/auth/login`, {
      method: 'POST',
      // A different client address each time: only the account's limit can refuse.
      headers: { 'content-type': 'application/json', origin: i.url, 'x-forwarded-for': `10.9.${n}.1` },
      body: JSON.stringify({ phone, password: 'not-the-password-1' }),
    });
    attempts.push({ instance: i.name, status: s });
  }
  return { limit, attempts };
}

// Live events --------------------------------------------------------------------------------------

interface Stream {
  /** Where it was opened ("gongzhi-1", or "nginx → gongzhi-2"). */
  label: string;
  heard: Map<number, number>;
  close(): void;
}

async function openStream(url: string, cookie: string, label: (r: Response) => string): Promise<Stream> {
  const ac = new AbortController();
  const res = await fetch(`${url}/api/v1/tickets/live`, { headers: { cookie }, signal: ac.signal });
  if (!res.ok || !res.body) throw new Error(`live stream at ${url}: ${res.status}`);
  const heard = new Map<number, number>();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += value;
        let cut = buf.indexOf('\n\n');
        while (cut >= 0) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          cut = buf.indexOf('\n\n');
          if (!/^event: ticket$/m.test(block)) continue;
          const data = /^data: (.*)$/m.exec(block)?.[1];
          const id = data ? Number((JSON.parse(data) as { id: number }).id) : Number.NaN;
          if (!heard.has(id)) heard.set(id, performance.now());
        }
      }
    } catch {
      // aborted
    }
  })();
  return { label: label(res), heard, close: () => ac.abort() };
}

export interface LiveSeen {
  /** For each report (made on one instance), when each stream heard it, in ms after it was sent; null: never (5 s). */
  reports: { madeOn: string; ticketId: number; heardMs: Record<string, number | null> }[];
}

/**
 * The community worker keeps one stream open on each instance and one through the balancer; the
 * resident reports in that community once on each instance. Every stream must hear every report.
 */
export async function checkLiveEvents(c: Cluster, db: pg.Client): Promise<LiveSeen> {
  const compoundId = await workerCompound(db);
  const worker = await login(c.url, COMMUNITY_WORKER);
  const resident = await login(c.url, RESIDENT);
  const streams = [
    ...(await Promise.all(c.instances.map((i) => openStream(i.url, worker, () => i.name)))),
    await openStream(c.url, worker, (r) => `nginx → ${c.instanceOf(r)?.name ?? '?'}`),
  ];
  try {
    // The stream's subscription starts once its headers are sent; give the last a moment.
    await sleep(200);
    const reports: LiveSeen['reports'] = [];
    for (const i of c.instances) {
      const at = performance.now();
      const r = await report(i.url, resident, compoundId, `live-${Date.now()}-${i.name}`);
      if (r.id === null) throw new Error(`report on ${i.name}: ${r.status}`);
      const id = r.id;
      const deadline = performance.now() + 5_000;
      while (performance.now() < deadline && streams.some((s) => !s.heard.has(id))) await sleep(10);
      reports.push({
        madeOn: i.name,
        ticketId: id,
        heardMs: Object.fromEntries(
          streams.map((s) => {
            const t = s.heard.get(id);
            return [s.label, t === undefined ? null : Math.max(0, Math.round(t - at))];
          }),
        ),
      });
    }
    return { reports };
  } finally {
    for (const s of streams) s.close();
  }
}

// The deadline sweep ---------------------------------------------------------------------------------

export interface DeadlinesSeen {
  tickets: number;
  /** Seconds until every one of them was marked overdue. */
  markedAfterS: number | null;
  /** How many of the tickets have exactly one / more than one accept warning and overdue event. */
  warnEvents: { exactlyOne: number; moreThanOne: number; none: number };
  overdueEvents: { exactlyOne: number; moreThanOne: number; none: number };
  /**
   * What each instance's log says its sweeps did meanwhile: sweeps that marked something, and the
   * accept warnings and overdue marks they made; with LOG_LEVEL=debug also the sweeps that found
   * nothing and those skipped because another instance held the lock.
   */
  byInstance: Record<
    string,
    { sweeps: number; idle: number; skipped: number; acceptWarned: number; acceptOverdue: number }
  >;
  /** Accept warnings and overdue marks written meanwhile to any ticket, by the database's count. */
  eventsWritten: { acceptWarned: number; acceptOverdue: number };
}

const logSize = (f: string) => {
  try {
    return fs.statSync(f).size;
  } catch {
    return 0;
  }
};

/** JSON log lines an instance wrote after byte `from`. */
function logLinesSince(file: string, from: number): Record<string, unknown>[] {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.alloc(Math.max(0, size - from));
    fs.readSync(fd, buf, 0, buf.length, from);
    return buf
      .toString('utf8')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reports `n` tickets through the balancer, makes their accept deadline pass (by SQL, as time
 * would), and waits for the instances' sweepers (DEADLINE_SWEEP_SECONDS) to warn and mark them.
 */
export async function checkDeadlines(
  c: Cluster,
  db: pg.Client,
  opts: { tickets: number; sweepSeconds: number; concurrency?: number },
): Promise<DeadlinesSeen> {
  const compoundId = await workerCompound(db);
  const resident = await login(c.url, RESIDENT);
  const run = `due-${Date.now().toString(36)}`;
  const ids: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: opts.concurrency ?? 10 }, async () => {
      while (next < opts.tickets) {
        const k = next++;
        const r = await report(c.url, resident, compoundId, `${run}-${k}`);
        if (r.id === null) throw new Error(`report through the balancer: ${r.status}`);
        ids.push(r.id);
      }
    }),
  );
  const since = (await db.query('select now() as t')).rows[0].t as Date;
  const offsets = new Map(c.instances.map((i) => [i.name, logSize(i.logFile)]));
  const upd = await db.query(
    `update tickets set accept_warn_at = now() - interval '2 minutes', accept_due_at = now() - interval '1 minute'
     where id = any($1) and status = 'submitted'`,
    [ids],
  );
  if (upd.rowCount !== ids.length)
    throw new Error(`${upd.rowCount} of ${ids.length} reports still submitted`);
  const t0 = performance.now();
  let markedAfterS: number | null = null;
  while (performance.now() - t0 < 30_000 + opts.sweepSeconds * 3000) {
    const r = await db.query(
      'select count(*)::int as n from tickets where id = any($1) and accept_overdue_at is not null',
      [ids],
    );
    if (r.rows[0].n === ids.length) {
      markedAfterS = Math.round((performance.now() - t0) / 100) / 10;
      break;
    }
    await sleep(200);
  }
  // A few more rounds of every instance: a second mark would show now.
  await sleep(opts.sweepSeconds * 3000);
  const per = await db.query(
    `select t.id,
       count(e.*) filter (where e.kind = 'warn' and e.data->>'deadline' = 'accept')::int as warn,
       count(e.*) filter (where e.kind = 'overdue' and e.data->>'deadline' = 'accept')::int as overdue
     from tickets t left join ticket_events e on e.ticket_id = t.id
     where t.id = any($1) group by t.id`,
    [ids],
  );
  const tally = (col: 'warn' | 'overdue') => ({
    exactlyOne: per.rows.filter((r) => r[col] === 1).length,
    moreThanOne: per.rows.filter((r) => r[col] > 1).length,
    none: per.rows.filter((r) => r[col] === 0).length,
  });
  const written = await db.query(
    `select count(*) filter (where kind = 'warn')::int as warned, count(*) filter (where kind = 'overdue')::int as overdue
     from ticket_events where at >= $1 and kind in ('warn', 'overdue') and data->>'deadline' = 'accept'`,
    [since],
  );
  const byInstance: DeadlinesSeen['byInstance'] = {};
  for (const i of c.instances) {
    const mine = { sweeps: 0, idle: 0, skipped: 0, acceptWarned: 0, acceptOverdue: 0 };
    for (const l of logLinesSince(i.logFile, offsets.get(i.name) ?? 0)) {
      if (typeof l.msg !== 'string' || !l.msg.startsWith('deadline sweep')) continue;
      if (l.msg !== 'deadline sweep') {
        if (l.skipped) mine.skipped++;
        else mine.idle++;
        continue;
      }
      const s = l.sweep as Record<string, number>;
      mine.sweeps++;
      mine.acceptWarned += s.acceptWarned ?? 0;
      mine.acceptOverdue += s.acceptOverdue ?? 0;
    }
    byInstance[i.name] = mine;
  }
  return {
    tickets: ids.length,
    markedAfterS,
    warnEvents: tally('warn'),
    overdueEvents: tally('overdue'),
    byInstance,
    eventsWritten: { acceptWarned: written.rows[0].warned, acceptOverdue: written.rows[0].overdue },
  };
}

// Losing an instance under load --------------------------------------------------------------------

export interface KillSeen {
  victim: string;
  connections: number;
  seconds: number;
  killedAtS: number;
  /** Reports answered 2xx (acknowledged), before and after the kill. */
  acknowledged: { beforeKill: number; afterKill: number };
  /** Reports not acknowledged: status (0: the connection failed) → count. */
  unacknowledged: Record<string, number>;
  /** Acknowledged reports missing from the database, or found under another id. */
  lost: number;
  /** Unacknowledged reports retried with their Idempotency-Key: answered 2xx / not. */
  retried: { ok: number; failed: number };
  /** Of those, how many had been saved although their answer never arrived. */
  savedUnanswered: number;
  /** Idempotency keys with more than one ticket. */
  duplicates: number;
  /** 2xx answers per instance over the whole run, from the balancer's header. */
  answeredBy: Record<string, number>;
  /** The victim's exit (SIGKILL: no clean shutdown). */
  victimExit: number | null;
}

/**
 * The resident's phone app under load through the balancer (`connections` reports in flight at
 * a time, each with its own Idempotency-Key); after `killAfterS` one instance is killed with
 * SIGKILL. Afterwards every acknowledged report must be in the database under the id it was
 * answered with, and the unacknowledged ones, retried with their key as the app does, must each
 * end up as exactly one ticket.
 */
export async function checkKillUnderLoad(
  c: Cluster,
  db: pg.Client,
  opts: { connections: number; seconds: number; killAfterS: number; victim?: NodeServer },
): Promise<KillSeen> {
  const victim = opts.victim ?? (c.instances[0] as NodeServer);
  const compounds = (await db.query('select id from compounds order by id limit 200')).rows.map((r) =>
    Number(r.id),
  );
  const resident = await login(c.url, RESIDENT);
  const run = `kill-${Date.now().toString(36)}`;
  const acked = new Map<string, number>();
  const unacked = new Map<string, number>();
  const answeredBy: Record<string, number> = {};
  let before = 0;
  let after = 0;
  let killedAt: number | null = null;
  let seq = 0;
  const t0 = performance.now();
  const stopAt = t0 + opts.seconds * 1000;
  const worker = async () => {
    while (performance.now() < stopAt) {
      const k = seq++;
      const key = `${run}-${k}`;
      try {
        const r = await report(
          c.url,
          resident,
          compounds[k % compounds.length] as number,
          key,
          AbortSignal.timeout(20_000),
        );
        if (r.id !== null) {
          acked.set(key, r.id);
          const who = c.instanceOf(r.res)?.name ?? 'unknown';
          answeredBy[who] = (answeredBy[who] ?? 0) + 1;
          if (killedAt === null) before++;
          else after++;
        } else unacked.set(key, r.status);
      } catch {
        unacked.set(key, 0);
      }
    }
  };
  const killer = (async () => {
    await sleep(opts.killAfterS * 1000);
    killedAt = performance.now();
    await victim.kill('SIGKILL');
  })();
  await Promise.all([...Array.from({ length: opts.connections }, worker), killer]);

  const rowsOf = async () =>
    (
      await db.query<{ k: string; ids: string[] }>(
        `select idempotency_key as k, array_agg(id::text) as ids from tickets
         where idempotency_key like $1 group by idempotency_key`,
        [`${run}-%`],
      )
    ).rows;
  const saved = new Map((await rowsOf()).map((r) => [r.k, r.ids.map(Number)]));
  let lost = 0;
  for (const [key, id] of acked) if (!saved.get(key)?.includes(id)) lost++;
  const unacknowledged: Record<string, number> = {};
  for (const s of unacked.values()) unacknowledged[s] = (unacknowledged[s] ?? 0) + 1;
  let savedUnanswered = 0;
  for (const key of unacked.keys()) if (saved.has(key)) savedUnanswered++;
  const retried = { ok: 0, failed: 0 };
  for (const key of unacked.keys()) {
    const k = Number(key.slice(run.length + 1));
    const r = await report(c.url, resident, compounds[k % compounds.length] as number, key).catch(() => null);
    if (r?.id != null) retried.ok++;
    else retried.failed++;
  }
  const duplicates = (await rowsOf()).filter((r) => r.ids.length > 1).length;
  return {
    victim: victim.name,
    connections: opts.connections,
    seconds: opts.seconds,
    killedAtS: killedAt === null ? -1 : Math.round((killedAt - t0) / 100) / 10,
    acknowledged: { beforeKill: before, afterKill: after },
    unacknowledged,
    lost,
    retried,
    savedUnanswered,
    duplicates,
    answeredBy,
    victimExit: victim.exitCode(),
  };
}

// All together ----------------------------------------------------------------------------------------

export interface ClusterSeen {
  instances: number;
  sessions: SessionsSeen;
  rateLimit: RateLimitSeen;
  live: LiveSeen;
  deadlines: DeadlinesSeen;
  kill: KillSeen;
}

export interface ClusterCheckOptions {
  deadlineTickets: number;
  sweepSeconds: number;
  kill: { connections: number; seconds: number; killAfterS: number };
  log?: (msg: string) => void;
}

/** Every check in turn; the kill last, as it leaves one instance fewer. */
export async function runClusterChecks(
  c: Cluster,
  db: pg.Client,
  o: ClusterCheckOptions,
): Promise<ClusterSeen> {
  const log = o.log ?? (() => {});
  log('sessions across instances');
  const sessions = await checkSessions(c);
  log('the sign-in limit across instances');
  const rateLimit = await checkRateLimit(c);
  log('live events across instances');
  const live = await checkLiveEvents(c, db);
  log(`the deadline sweep on every instance (${o.deadlineTickets} due tickets)`);
  const deadlines = await checkDeadlines(c, db, { tickets: o.deadlineTickets, sweepSeconds: o.sweepSeconds });
  log(
    `killing an instance under load (${o.kill.connections} connections, ${o.kill.seconds} s, SIGKILL after ${o.kill.killAfterS} s)`,
  );
  const kill = await checkKillUnderLoad(c, db, o.kill);
  return { instances: c.instances.length, sessions, rateLimit, live, deadlines, kill };
}

/** One line per property, met or not, with what was seen: for the bench's report. */
export function clusterVerdicts(s: ClusterSeen): { property: string; met: boolean; seen: string }[] {
  const n = s.instances;
  const attempts = s.rateLimit.attempts.map((a) => a.status);
  const heard = s.live.reports.flatMap((r) => Object.values(r.heardMs));
  const heardMs = heard.filter((x): x is number => x !== null);
  const d = s.deadlines;
  const logged = Object.values(d.byInstance);
  const k = s.kill;
  return [
    {
      property: 'sessions work across instances',
      met:
        s.sessions.meStatus.every((x) => x === 200) &&
        Object.keys(s.sessions.viaBalancer.byInstance).length === n &&
        s.sessions.afterLogout.status === 401,
      seen: `/api/v1/me on each instance: ${s.sessions.meStatus.join(', ')}; through nginx: ${JSON.stringify(s.sessions.viaBalancer.byInstance)}; signed out on the last, refused by the first after ${s.sessions.afterLogout.ms} ms (${s.sessions.afterLogout.status})`,
    },
    {
      property: 'rate limits are shared',
      met:
        attempts.slice(0, s.rateLimit.limit).every((x) => x === 401) &&
        attempts.slice(s.rateLimit.limit).every((x) => x === 429),
      seen: `${attempts.length} wrong passwords for one account, round robin: ${s.rateLimit.limit} × 401, then ${attempts
        .slice(s.rateLimit.limit)
        .join(', ')}`,
    },
    {
      property: 'SSE events reach clients of every instance',
      met: heard.length > 0 && heardMs.length === heard.length,
      seen: `${heardMs.length} of ${heard.length} (report, stream) pairs heard; max ${Math.max(...heardMs, 0)} ms after the report was sent`,
    },
    {
      property: 'the deadline sweep runs once per due ticket',
      met:
        d.markedAfterS !== null &&
        d.warnEvents.exactlyOne === d.tickets &&
        d.overdueEvents.exactlyOne === d.tickets &&
        logged.reduce((a, x) => a + x.acceptOverdue, 0) === d.eventsWritten.acceptOverdue &&
        logged.reduce((a, x) => a + x.acceptWarned, 0) === d.eventsWritten.acceptWarned,
      seen: `${d.tickets} due tickets marked in ${d.markedAfterS ?? '–'} s; one warning each: ${d.warnEvents.exactlyOne}, one overdue mark each: ${d.overdueEvents.exactlyOne}; sweeps logged: ${Object.entries(
        d.byInstance,
      )
        .map(([i, x]) => `${i} ${x.acceptOverdue} marks in ${x.sweeps} sweeps`)
        .join(', ')}`,
    },
    {
      property: 'killing an instance loses no acknowledged write',
      met: k.lost === 0 && k.duplicates === 0 && k.retried.failed === 0 && k.acknowledged.afterKill > 0,
      seen: `${k.victim} killed (SIGKILL) at ${k.killedAtS} s of ${k.seconds} s: ${k.acknowledged.beforeKill} + ${k.acknowledged.afterKill} acknowledged, ${k.lost} lost; unanswered ${JSON.stringify(k.unacknowledged)} (${k.savedUnanswered} of them saved), retried: ${k.retried.ok} ok, ${k.retried.failed} failed; duplicates ${k.duplicates}`,
    },
  ];
}
