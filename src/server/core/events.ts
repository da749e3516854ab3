/**
 * Live events: what changed, told to every instance through PostgreSQL LISTEN/NOTIFY.
 *
 * Publishing is `select pg_notify(…)` on the writer's own transaction: PostgreSQL delivers it on
 * commit and drops it on rollback, so a subscriber never hears of a change that did not happen
 * and never hears before the change is visible to its own reads. Each instance listens on one
 * connection and fans events out to its in-process subscribers (SSE streams).
 *
 * Where the listening happens depends on the database (all three measured, see events.test.ts):
 * - PostgreSQL: one dedicated `pg.Client` outside the request pool, reconnecting with backoff.
 *   Instances behind a load balancer each hold one and all see every change.
 * - Embedded (PGlite in a worker behind pglite-socket): a second connection is impossible — the
 *   socket server is started with `maxConnections: 1` and refuses it (a second `pg.Client` fails
 *   with EPIPE after "Too many connections"), and every socket connection would share PGlite's one
 *   session anyway. So the pool's single connection LISTENs itself: PostgreSQL delivers a session's
 *   own notifications after COMMIT, and PGlite passes them through the socket as NotificationResponse
 *   messages (measured: commit delivers, rollback does not, ~2 ms from BEGIN to event). The data
 *   directory is locked to one process, so that process is every writer there is. No in-process
 *   shortcut is needed, and the semantics stay those of NOTIFY.
 * - In-process PGlite (the test suites): PGlite's own `listen()`, the same session semantics.
 *
 * NOTIFY is fire-and-forget: an event sent while a listener is reconnecting is lost. The bus then
 * tells its subscribers `{ kind: 'resync' }`, and live clients refetch what they show.
 */
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Db, DbKind } from '../db/index.ts';

export const EVENTS_CHANNEL = 'gongzhi_events';
/** PostgreSQL's payload limit is 8000 bytes; stay clear of it. */
export const MAX_PAYLOAD_BYTES = 7900;

/** A ticket changed (created or moved). Enough to decide who may hear of it, nothing personal. */
export interface TicketChanged {
  kind: 'ticket';
  id: number;
  status: string;
  /** Region path of the ticket now. */
  path: string;
  /** Its path before this change, when the change moved it (a transfer to another community). */
  fromPath?: string | null;
  /** Departments it has been whistled to. */
  departmentIds: number[];
  reporterUserId: number | null;
  /** Someone who started following it with this change ("+1", a merged duplicate's reporter). */
  followerUserId?: number | null;
  at: string;
}

/** A user's account, grants or sessions changed (sent by database triggers, migration 0008):
 * instances forget the sessions they cached for that user. */
export interface SessionChanged {
  kind: 'session';
  userId: number;
}

/** A reference table that instances cache changed (sent by database triggers, migrations 0010 and 0012). */
export interface TableChanged {
  kind: 'changed';
  table: 'calendar_overrides' | 'compounds' | 'responsibility_items' | 'responsibility_lists';
}

/** Events may have been missed (the listener reconnected, or one was too large to send). */
export interface Resync {
  kind: 'resync';
}

export type LiveEvent = TicketChanged | SessionChanged | TableChanged | Resync;
export type Subscriber = (event: LiveEvent) => void;

interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
const silent: Logger = { info() {}, warn() {}, error() {} };

/**
 * Sends an event when the surrounding transaction commits. Call it with the transaction
 * (`ctx.db` inside `mutate`/`inTransaction`), as the last write of the change.
 */
export async function publish(db: Db, event: LiveEvent): Promise<void> {
  let payload = JSON.stringify(event);
  // A payload over the limit would make NOTIFY fail and roll the whole change back; tell
  // everyone to refetch instead.
  if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) payload = JSON.stringify({ kind: 'resync' });
  await db.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${payload})`);
}

export interface EventBus {
  /** How this instance listens (for logs and tests). */
  readonly mode: 'dedicated' | 'session' | 'pglite';
  /** Calls `fn` for every event from now on; returns the unsubscribe function. */
  subscribe(fn: Subscriber): () => void;
  /** Stops listening; subscribers hear nothing more. */
  close(): Promise<void>;
}

export interface EventBusOptions {
  kind: DbKind;
  log?: Logger;
  /** First and longest wait between reconnection attempts (dedicated connection only). */
  backoffMs?: { min: number; max: number };
  /** How often the dedicated connection is checked with a query (a silently dead TCP peer). */
  pingMs?: number;
}

class Fanout {
  private readonly subs = new Set<Subscriber>();
  constructor(private readonly log: Logger) {}
  subscribe(fn: Subscriber): () => void {
    this.subs.add(fn);
    return () => {
      this.subs.delete(fn);
    };
  }
  emit(event: LiveEvent) {
    for (const fn of [...this.subs]) {
      try {
        fn(event);
      } catch (err) {
        this.log.error({ err }, 'live event subscriber failed');
      }
    }
  }
  /** Parses a notification payload; a malformed one (not ours) is dropped. */
  emitRaw(payload: string | undefined) {
    if (!payload) return;
    let event: LiveEvent;
    try {
      event = JSON.parse(payload) as LiveEvent;
    } catch {
      this.log.warn({ payload: payload.slice(0, 200) }, 'ignored a malformed live event');
      return;
    }
    if (event && ['ticket', 'session', 'changed', 'resync'].includes(event.kind)) this.emit(event);
  }
  clear() {
    this.subs.clear();
  }
}

function isPglite(client: unknown): client is PGlite {
  const c = client as Partial<PGlite> | null;
  return !!c && typeof c.listen === 'function' && typeof c.execProtocolRaw === 'function';
}

/** Starts listening for this instance. `db` is the application's database (not a transaction). */
export async function openEventBus(db: Db, opts: EventBusOptions): Promise<EventBus> {
  const log = opts.log ?? silent;
  const client = (db as unknown as { $client?: unknown }).$client;
  const fan = new Fanout(log);
  if (isPglite(client)) return pgliteBus(client, fan);
  if (client instanceof pg.Pool) {
    return opts.kind === 'embedded' ? sessionBus(client, fan, log) : dedicatedBus(client, fan, log, opts);
  }
  throw new Error('openEventBus: unsupported database client');
}

async function pgliteBus(client: PGlite, fan: Fanout): Promise<EventBus> {
  const unlisten = await client.listen(EVENTS_CHANNEL, (payload) => fan.emitRaw(payload));
  return {
    mode: 'pglite',
    subscribe: (fn) => fan.subscribe(fn),
    async close() {
      fan.clear();
      await unlisten().catch(() => {});
    },
  };
}

/**
 * Embedded: LISTEN on the pool's one connection (see the top of this file). A connection the pool
 * opens later (after the worker dropped the old one) listens again, and subscribers are told to
 * resync because anything in between is unknown.
 */
async function sessionBus(pool: pg.Pool, fan: Fanout, log: Logger): Promise<EventBus> {
  const attached = new Set<pg.PoolClient | pg.Client>();
  const onNotification = (n: pg.Notification) => {
    if (n.channel === EVENTS_CHANNEL) fan.emitRaw(n.payload);
  };
  let first = true;
  const attach = (c: pg.Client | pg.PoolClient) => {
    if (attached.has(c)) return;
    attached.add(c);
    c.once('end', () => attached.delete(c));
    c.on('notification', onNotification);
    // pg runs a client's queries in order: this LISTEN goes before whatever the pool hands it out for.
    c.query(`listen ${EVENTS_CHANNEL}`).then(
      () => {
        if (!first) fan.emit({ kind: 'resync' });
        first = false;
      },
      (err: unknown) => log.error({ err }, 'live events: LISTEN failed on the embedded connection'),
    );
  };
  pool.on('connect', attach);
  const c = await pool.connect();
  try {
    attach(c);
    await c.query('select 1'); // wait for the LISTEN queued before it
  } finally {
    c.release();
  }
  return {
    mode: 'session',
    subscribe: (fn) => fan.subscribe(fn),
    async close() {
      fan.clear();
      pool.off('connect', attach);
      // Leave LISTEN in place: the database may already be closing, and notifications nobody
      // handles cost nothing. Only this bus's handler goes.
      for (const cl of attached) cl.off('notification', onNotification);
      attached.clear();
    },
  };
}

/** PostgreSQL: one connection of its own per instance, outside the request pool. */
async function dedicatedBus(
  pool: pg.Pool,
  fan: Fanout,
  log: Logger,
  opts: EventBusOptions,
): Promise<EventBus> {
  const backoff = opts.backoffMs ?? { min: 250, max: 10_000 };
  const pingMs = opts.pingMs ?? 30_000;
  let client: pg.Client | null = null;
  let closed = false;
  let attempt = 0;
  let everConnected = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let pingTimer: NodeJS.Timeout | null = null;

  const drop = (c: pg.Client, why: unknown) => {
    if (client !== c) return; // already replaced
    client = null;
    if (pingTimer) clearInterval(pingTimer);
    pingTimer = null;
    c.removeAllListeners('notification');
    c.end().catch(() => {});
    if (closed) return;
    log.warn({ err: why }, 'live events: listening connection lost, reconnecting');
    schedule();
  };

  const schedule = () => {
    if (closed || retryTimer) return;
    const wait = Math.min(backoff.max, backoff.min * 2 ** attempt);
    attempt++;
    // ±20 % so instances that lost the server together do not return together.
    retryTimer = setTimeout(
      () => {
        retryTimer = null;
        void connect();
      },
      wait * (0.8 + Math.random() * 0.4),
    );
    retryTimer.unref();
  };

  const connect = async (): Promise<boolean> => {
    // The pool's own settings (connection string, host, ssl …), as pg-pool itself builds a client.
    const c = new pg.Client({ ...pool.options, application_name: 'gongzhi-events', keepAlive: true });
    c.on('error', (err) => drop(c, err));
    c.on('end', () => drop(c, new Error('connection ended')));
    c.on('notification', (n) => {
      if (n.channel === EVENTS_CHANNEL) fan.emitRaw(n.payload);
    });
    client = c;
    try {
      await c.connect();
      await c.query(`listen ${EVENTS_CHANNEL}`);
    } catch (err) {
      if (client === c) drop(c, err);
      return false;
    }
    if (closed) {
      await c.end().catch(() => {});
      return false;
    }
    attempt = 0;
    if (everConnected) {
      log.info({}, 'live events: listening again');
      fan.emit({ kind: 'resync' });
    }
    everConnected = true;
    pingTimer = setInterval(() => {
      const timeout = setTimeout(() => drop(c, new Error('ping timed out')), 10_000);
      c.query('select 1').then(
        () => clearTimeout(timeout),
        (err) => {
          clearTimeout(timeout);
          drop(c, err);
        },
      );
    }, pingMs);
    pingTimer.unref();
    return true;
  };

  // The first attempt is awaited so events published right after start-up are heard; if the
  // server is unreachable now, the app starts anyway and the bus keeps trying.
  await connect();
  return {
    mode: 'dedicated',
    subscribe: (fn) => fan.subscribe(fn),
    async close() {
      closed = true;
      fan.clear();
      if (retryTimer) clearTimeout(retryTimer);
      if (pingTimer) clearInterval(pingTimer);
      const c = client;
      client = null;
      if (c) {
        c.removeAllListeners('notification');
        await c.end().catch(() => {});
      }
    },
  };
}
