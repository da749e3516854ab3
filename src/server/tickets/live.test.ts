/**
 * Live ticket queues over real HTTP: the app listens on a port and `fetch` reads the stream, as a
 * browser's EventSource would.
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../contracts/roles.ts';
import { buildApp } from '../app.ts';
import { memorySmsGateway } from '../auth/sms.ts';
import type { Actor } from '../core/access.ts';
import type { LiveEvent, Subscriber } from '../core/events.ts';
import type { Db } from '../db/index.ts';
import * as schema from '../db/schema.ts';
import {
  createTestApp,
  loginAs,
  makeCompound,
  makeDepartment,
  makeUser,
  regionPath,
  type TestApp,
} from '../test/app.ts';
import { TEST_PII } from '../test/pii.ts';
import { liveRoutes, ticketEventFilter } from './live.ts';

const onPostgres = !!process.env.TEST_DATABASE_URL;

interface SseMessage {
  event: string;
  data: string;
  t: number;
}

/** Opens the live stream and parses what arrives (events, `retry:`, comments). */
async function openStream(base: string, cookie?: string) {
  const ac = new AbortController();
  const res = await fetch(`${base}/api/v1/tickets/live`, {
    headers: cookie ? { cookie } : {},
    signal: ac.signal,
  });
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  let retry: number | null = null;
  let wake: () => void = () => {};
  let done = false;
  const ended = (async () => {
    if (!res.body) return;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for (;;) {
        const { value, done: d } = await reader.read();
        if (d) break;
        buf += decoder.decode(value, { stream: true });
        let i = buf.indexOf('\n\n');
        while (i >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('retry:')) retry = Number(line.slice(6));
            else if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).trim());
          }
          if (data.length) messages.push({ event, data: data.join('\n'), t: performance.now() });
          i = buf.indexOf('\n\n');
        }
        wake();
      }
    } catch {
      // aborted
    } finally {
      done = true;
      wake();
    }
  })();
  return {
    res,
    messages,
    comments,
    retry: () => retry,
    ended,
    isDone: () => done,
    tickets: () => messages.filter((m) => m.event === 'ticket').map((m) => JSON.parse(m.data)),
    async waitFor(pred: (m: SseMessage) => boolean, ms = 2000): Promise<SseMessage> {
      const deadline = Date.now() + ms;
      for (;;) {
        const hit = messages.find(pred);
        if (hit) return hit;
        if (done) throw new Error('stream ended');
        const left = deadline - Date.now();
        if (left <= 0) throw new Error('no such message arrived in time');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    },
    close: () => ac.abort(),
  };
}
type Stream = Awaited<ReturnType<typeof openStream>>;

const isTicket = (id: number, status?: string) => (m: SseMessage) => {
  if (m.event !== 'ticket') return false;
  const d = JSON.parse(m.data) as { id: number; status: string };
  return d.id === id && (status === undefined || d.status === status);
};

let t: TestApp;
let base: string;
const streams: Stream[] = [];
async function stream(cookie?: string, at = base) {
  const s = await openStream(at, cookie);
  streams.push(s);
  return s;
}

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  for (const s of streams) s.close();
  await t?.close();
});

async function world() {
  const community = await t.freshCommunity();
  const county = community.slice(0, 6);
  const { compound } = await makeCompound(t.db, community, `实时${community.slice(-4)}小区`);
  const person = async (role: Role, node: { path: string; kind: string; ref: string; dept?: number }) => {
    const u = await makeUser(t.db, {
      grants: [
        { role, scopePath: node.path, nodeKind: node.kind, nodeRef: node.ref, departmentId: node.dept },
      ],
    });
    return { user: u, cookie: await loginAs(t.app, u.phone) };
  };
  const cPath = await regionPath(t.db, community);
  const dept = await makeDepartment(t.db, county, `实时部门${community.slice(-6)}`);
  const other = await makeDepartment(t.db, county, `实时他部门${community.slice(-6)}`);
  const elsewhere = await t.freshCommunity(county, [community]);
  return {
    community,
    compound,
    dept,
    other,
    admin: await person('communityAdmin', { path: cPath, kind: 'region', ref: community }),
    resident: await person('resident', { path: compound.path, kind: 'compound', ref: String(compound.id) }),
    neighbour: await person('resident', { path: compound.path, kind: 'compound', ref: String(compound.id) }),
    officer: await person('departmentOfficer', {
      path: dept.path,
      kind: 'department',
      ref: String(dept.id),
      dept: dept.id,
    }),
    otherOfficer: await person('departmentOfficer', {
      path: other.path,
      kind: 'department',
      ref: String(other.id),
      dept: other.id,
    }),
    stranger: await person('communityAdmin', {
      path: await regionPath(t.db, elsewhere),
      kind: 'region',
      ref: elsewhere,
    }),
  };
}

async function report(cookie: string, compoundId: number): Promise<number> {
  const res = await t.send(cookie, 'POST', '/api/v1/tickets', { description: '楼道灯坏了', compoundId });
  expect(res.statusCode).toBe(200);
  return res.json().id;
}

async function act(cookie: string, id: number, body: object) {
  const res = await t.send(cookie, 'POST', `/api/v1/tickets/${id}/actions`, body);
  expect(res.statusCode, res.body).toBe(200);
}

describe('GET /api/v1/tickets/live', () => {
  it('asks an anonymous caller to log in', async () => {
    const res = await fetch(`${base}/api/v1/tickets/live`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('opens an event stream with a reconnection delay', async () => {
    const w = await world();
    const s = await stream(w.admin.cookie);
    expect(s.res.status).toBe(200);
    expect(s.res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(s.res.headers.get('cache-control')).toBe('no-store');
    expect(s.res.headers.get('x-content-type-options')).toBe('nosniff');
    await expect.poll(() => s.retry()).toBe(5000);
    s.close();
  });

  it('tells area staff and the reporter of a new ticket, and no one else', async () => {
    const w = await world();
    const admin = await stream(w.admin.cookie);
    const resident = await stream(w.resident.cookie);
    const neighbour = await stream(w.neighbour.cookie);
    const officer = await stream(w.officer.cookie);
    const stranger = await stream(w.stranger.cookie);
    const start = performance.now();
    const id = await report(w.resident.cookie, w.compound.id);
    const got = await admin.waitFor(isTicket(id, 'submitted'));
    expect(got.t - start).toBeLessThan(2000);
    expect(JSON.parse(got.data)).toEqual({ id, status: 'submitted', at: expect.any(String) });
    await resident.waitFor(isTicket(id, 'submitted'));
    // A later change has come through (the neighbour hears only their own report): anything sent
    // to the others for the first one would be here by now.
    const other = await report(w.neighbour.cookie, w.compound.id);
    await neighbour.waitFor(isTicket(other));
    expect(neighbour.tickets().map((e) => e.id)).toEqual([other]);
    expect(officer.tickets()).toEqual([]);
    expect(stranger.tickets()).toEqual([]);
    for (const s of [admin, resident, neighbour, officer, stranger]) s.close();
  });

  it('a department officer hears of tickets whistled to their department, not to others', async () => {
    const w = await world();
    const officer = await stream(w.officer.cookie);
    const otherOfficer = await stream(w.otherOfficer.cookie);
    const mine = await report(w.resident.cookie, w.compound.id);
    const theirs = await report(w.resident.cookie, w.compound.id);
    await act(w.admin.cookie, mine, { kind: 'accept' });
    await act(w.admin.cookie, mine, { kind: 'whistle', departmentIds: [w.dept.id] });
    await act(w.admin.cookie, theirs, { kind: 'accept' });
    await act(w.admin.cookie, theirs, { kind: 'whistle', departmentIds: [w.other.id] });
    await officer.waitFor(isTicket(mine, 'whistled'));
    await otherOfficer.waitFor(isTicket(theirs, 'whistled'));
    // Checking in is heard by the officer; the other department never hears of this ticket.
    await act(w.officer.cookie, mine, { kind: 'checkIn', departmentId: w.dept.id });
    await officer.waitFor(isTicket(mine, 'inProgress'));
    await act(w.otherOfficer.cookie, theirs, { kind: 'checkIn', departmentId: w.other.id });
    await otherOfficer.waitFor(isTicket(theirs, 'inProgress'));
    expect(otherOfficer.tickets().every((e) => e.id === theirs)).toBe(true);
    expect(officer.tickets().every((e) => e.id === mine)).toBe(true);
    officer.close();
    otherOfficer.close();
  });

  it('a neighbour who added "+1" hears of the ticket, from the moment they follow it and after reconnecting', async () => {
    const w = await world();
    const id = await report(w.resident.cookie, w.compound.id);
    const before = await stream(w.neighbour.cookie);
    await expect.poll(() => before.retry()).toBe(5000);
    const plus = await t.send(w.neighbour.cookie, 'POST', `/api/v1/tickets/${id}/follow`, {});
    expect(plus.statusCode).toBe(200);
    await act(w.admin.cookie, id, { kind: 'accept' });
    await before.waitFor(isTicket(id, 'accepted'));
    before.close();
    // A new stream knows the followed ticket from the start.
    const after = await stream(w.neighbour.cookie);
    await expect.poll(() => after.retry()).toBe(5000);
    await act(w.admin.cookie, id, { kind: 'whistle', departmentIds: [w.dept.id] });
    await after.waitFor(isTicket(id, 'whistled'));
    after.close();
  });

  it('refuses a seventh stream of one user with a clear 429, and takes one again when a stream ends', async () => {
    const w = await world();
    const six = await Promise.all(Array.from({ length: 6 }, () => stream(w.admin.cookie)));
    for (const s of six) await expect.poll(() => s.retry()).toBe(5000);
    const res = await fetch(`${base}/api/v1/tickets/live`, { headers: { cookie: w.admin.cookie } });
    expect(res.status).toBe(429);
    expect((await res.json()).detail).toContain('打开的实时页面过多');
    // Another user is not affected.
    const other = await stream(w.resident.cookie);
    await expect.poll(() => other.retry()).toBe(5000);
    six[0]?.close();
    await six[0]?.ended;
    await expect
      .poll(async () => {
        const again = await stream(w.admin.cookie);
        const ok = again.res.status;
        again.close();
        return ok;
      })
      .toBe(200);
    for (const s of [...six, other]) s.close();
  });

  it('a transfer is heard by the community it leaves and the one it reaches', async () => {
    const w = await world();
    const target = await t.freshCommunity(w.community.slice(0, 9));
    const there = await makeUser(t.db, {
      grants: [
        {
          role: 'communityAdmin',
          scopePath: await regionPath(t.db, target),
          nodeKind: 'region',
          nodeRef: target,
        },
      ],
    });
    const here = await stream(w.admin.cookie);
    const away = await stream(await loginAs(t.app, there.phone));
    const id = await report(w.resident.cookie, w.compound.id);
    await here.waitFor(isTicket(id, 'submitted'));
    await act(w.admin.cookie, id, { kind: 'transfer', reason: '位置在隔壁社区', communityCode: target });
    // The community it left hears of it once more (by the path it had), then no longer.
    await expect.poll(() => here.messages.filter(isTicket(id)).length).toBe(2);
    await away.waitFor(isTicket(id));
    here.close();
    away.close();
  });

  it('ends the stream when the client goes, and when the app closes', async () => {
    const w = await world();
    const app = await buildApp({
      pii: TEST_PII,
      db: t.db,
      dbKind: t.testDb.kind,
      clock: t.clock,
      sms: memorySmsGateway(),
      webDir: null,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const at = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const s1 = await stream(w.admin.cookie, at);
    const s2 = await stream(w.resident.cookie, at);
    await expect.poll(() => s1.retry()).toBe(5000);
    await expect.poll(() => s2.retry()).toBe(5000);
    s2.close();
    await s2.ended;
    const start = Date.now();
    await app.close();
    expect(Date.now() - start).toBeLessThan(3000);
    await s1.ended;
    expect(s1.isDone()).toBe(true);
  });
});

describe.skipIf(!onPostgres)('several instances on one PostgreSQL', () => {
  let other: FastifyInstance;
  let pool: pg.Pool;
  let otherBase: string;
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: t.testDb.url, max: 3 });
    other = await buildApp({
      pii: TEST_PII,
      db: drizzle({ client: pool, schema }) as unknown as Db,
      dbKind: 'postgres',
      clock: t.clock,
      sms: memorySmsGateway(),
      webDir: null,
    });
    await other.listen({ port: 0, host: '127.0.0.1' });
    otherBase = `http://127.0.0.1:${(other.server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await other?.close();
    await pool?.end();
  });

  it('a change made through instance A reaches a client of instance B within 2 s', async () => {
    const w = await world();
    const onB = await stream(w.admin.cookie, otherBase);
    const officerOnB = await stream(w.otherOfficer.cookie, otherBase);
    await expect.poll(() => onB.retry()).toBe(5000);
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      const id = await report(w.resident.cookie, w.compound.id); // through instance A (t.app)
      const got = await onB.waitFor(isTicket(id), 2000);
      latencies.push(got.t - start);
    }
    expect(Math.max(...latencies)).toBeLessThan(2000);
    expect(officerOnB.tickets()).toEqual([]);
    onB.close();
    officerOnB.close();
  });
});

describe('stream mechanics (a bare server and a hand-fed bus)', () => {
  const subs = new Set<Subscriber>();
  const bus = {
    subscribe(fn: Subscriber) {
      subs.add(fn);
      return () => {
        subs.delete(fn);
      };
    },
  };
  const emit = (e: LiveEvent) => {
    for (const fn of subs) fn(e);
  };
  const actor: Actor = {
    userId: 7,
    name: '甲',
    phone: '10000000000',
    locale: 'zh-CN',
    grants: [
      {
        id: 1,
        role: 'communityAdmin',
        scopePath: '1.2.3.',
        nodeKind: 'region',
        nodeRef: '3',
        departmentId: null,
      },
    ],
  };
  let app: FastifyInstance;
  let at: string;
  beforeAll(async () => {
    app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    app.decorateRequest('actor', null);
    app.addHook('onRequest', async (req) => {
      req.actor = actor;
    });
    liveRoutes(
      app,
      { events: bus },
      { heartbeatMs: 50, maxAgeMs: 600, retryMs: 1000, maxBufferedBytes: 64 * 1024 },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    at = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  });
  afterAll(async () => app?.close());

  it('sends heartbeats, forwards resync, filters, unsubscribes on disconnect and ends at its maximum age', async () => {
    const s = await openStream(at);
    await expect.poll(() => s.comments.filter((c) => c === 'ping').length).toBeGreaterThanOrEqual(2);
    expect(s.retry()).toBe(1000);
    expect(subs.size).toBe(1);
    const base = { kind: 'ticket' as const, status: 'submitted', departmentIds: [], at: 'x' };
    emit({ ...base, id: 1, path: '1.2.9.', reporterUserId: null });
    emit({ ...base, id: 2, path: '1.2.3.4.', reporterUserId: null });
    emit({ kind: 'resync' });
    await s.waitFor((m) => m.event === 'resync');
    expect(s.tickets().map((e) => e.id)).toEqual([2]);
    await s.ended; // maxAgeMs
    await expect.poll(() => subs.size).toBe(0);

    const s2 = await openStream(at);
    await expect.poll(() => subs.size).toBe(1);
    s2.close();
    await expect.poll(() => subs.size).toBe(0);
  });

  it('drops a client that stopped reading instead of buffering for it', async () => {
    const res = await fetch(`${at}/api/v1/tickets/live`); // headers read, body never
    await expect.poll(() => subs.size).toBe(1);
    const e = {
      kind: 'ticket' as const,
      id: 1,
      status: 'submitted',
      path: '1.2.3.',
      departmentIds: [],
      reporterUserId: null,
      at: 'x'.repeat(200),
    };
    // The kernel's socket buffers take a few MB first; then the server's queue passes its limit.
    for (let i = 0; i < 200_000 && subs.size > 0; i++) {
      emit({ ...e, id: i });
      if (i % 1000 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    expect(subs.size).toBe(0);
    await res.body?.cancel().catch(() => {});
  });

  it('decides who hears of a change', () => {
    const heard = ticketEventFilter({
      ...actor,
      grants: [
        ...actor.grants,
        {
          id: 2,
          role: 'departmentOfficer',
          scopePath: '1.',
          nodeKind: 'department',
          nodeRef: '5',
          departmentId: 5,
        },
        // A resident's home is not a work area.
        {
          id: 3,
          role: 'resident',
          scopePath: '1.8.',
          nodeKind: 'compound',
          nodeRef: '8',
          departmentId: null,
        },
      ],
    });
    const e = {
      kind: 'ticket' as const,
      id: 1,
      status: 'submitted',
      departmentIds: [] as number[],
      reporterUserId: null as number | null,
      at: '',
    };
    expect(heard({ ...e, path: '1.2.3.4.' })).toBe(true);
    expect(heard({ ...e, path: '1.2.30.' })).toBe(false);
    expect(heard({ ...e, path: '1.8.1.' })).toBe(false);
    expect(heard({ ...e, path: '1.9.', fromPath: '1.2.3.4.' })).toBe(true);
    expect(heard({ ...e, path: '1.9.', departmentIds: [4, 5] })).toBe(true);
    expect(heard({ ...e, path: '1.9.', departmentIds: [4] })).toBe(false);
    expect(heard({ ...e, path: '1.9.', reporterUserId: 7 })).toBe(true);
  });
});
