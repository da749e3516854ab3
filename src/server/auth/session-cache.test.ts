import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../app.ts';
import { createTestApp, loginAs, makeUser, regionPath, type TestApp } from '../test/app.ts';
import { TEST_PII } from '../test/pii.ts';
import { SessionCache, type SessionRow } from './session-cache.ts';
import { grants, users } from './tables.ts';

const row = (userId: number) => ({ user: { id: userId } }) as unknown as SessionRow;

describe('SessionCache', () => {
  it('reuses a row for its TTL, then reads again', async () => {
    const c = new SessionCache(1000);
    const load = vi.fn(async () => row(1));
    await c.get('a', 0, load);
    await c.get('a', 999, load);
    expect(load).toHaveBeenCalledTimes(1);
    await c.get('a', 1000, load);
    expect(load).toHaveBeenCalledTimes(2);
    // A clock set back (tests, NTP) does not extend a row's life.
    await c.get('a', 10, load);
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('forgets a user, or everything on resync; a TTL of 0 keeps nothing', async () => {
    const c = new SessionCache(60_000);
    await c.get('a', 0, async () => row(1));
    await c.get('b', 0, async () => row(1));
    await c.get('c', 0, async () => row(2));
    c.onEvent({ kind: 'session', userId: 1 });
    expect(c.size).toBe(1);
    c.onEvent({ kind: 'resync' });
    expect(c.size).toBe(0);
    const none = new SessionCache(0);
    await none.get('a', 0, async () => row(1));
    expect(none.size).toBe(0);
  });

  it('does not store a row read before an invalidation that arrived while it was being read', async () => {
    const c = new SessionCache(60_000);
    let release = () => {};
    const slow = c.get('a', 0, () => new Promise((r) => (release = () => r(row(1)))));
    c.onEvent({ kind: 'session', userId: 1 });
    release();
    await slow;
    expect(c.size).toBe(0);
  });

  it('keeps at most its limit, dropping the oldest', async () => {
    const c = new SessionCache(60_000, 2);
    for (const k of ['a', 'b', 'c']) await c.get(k, 0, async () => row(1));
    expect(c.size).toBe(2);
    const load = vi.fn(async () => row(1));
    await c.get('a', 0, load);
    expect(load).toHaveBeenCalledTimes(1);
  });
});

describe('cached sessions on two instances of one database', () => {
  let t: TestApp;
  let other: Awaited<ReturnType<typeof buildApp>>;
  let path: string;
  beforeAll(async () => {
    t = await createTestApp();
    other = await buildApp({
      pii: TEST_PII,
      db: t.db,
      dbKind: t.testDb.kind,
      clock: t.clock,
      sms: t.sms,
      webDir: null,
    });
    path = await regionPath(t.db, '140213066004');
  });
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  const me = (app: typeof other, cookie: string) =>
    app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
  const both = async (cookie: string) => [await me(t.app, cookie), await me(other, cookie)];

  async function signedIn() {
    const u = await makeUser(t.db, {
      grants: [{ role: 'communityAdmin', scopePath: path, nodeKind: 'region', nodeRef: '140213066004' }],
    });
    return { u, cookie: await loginAs(t.app, u.phone) };
  }

  it('both instances forget a grant revoked behind their back (by SQL, not the API)', async () => {
    const { u, cookie } = await signedIn();
    for (const r of await both(cookie)) expect(r.json().grants).toHaveLength(1);
    await t.db.delete(grants).where(eq(grants.userId, u.id));
    await vi.waitFor(async () => {
      for (const r of await both(cookie)) expect(r.json().grants).toHaveLength(0);
    });
  });

  it('both instances sign out a disabled user and a deleted session at once', async () => {
    const a = await signedIn();
    const b = await signedIn();
    for (const r of [...(await both(a.cookie)), ...(await both(b.cookie))]) expect(r.statusCode).toBe(200);
    await t.db.update(users).set({ disabled: true }).where(eq(users.id, a.u.id));
    await t.db.execute(sql`delete from sessions where user_id = ${b.u.id}`);
    await vi.waitFor(async () => {
      for (const r of [...(await both(a.cookie)), ...(await both(b.cookie))]) expect(r.statusCode).toBe(401);
    });
  });

  it('a change nobody announced lasts no longer than the TTL', async () => {
    const { u, cookie } = await signedIn();
    expect((await me(t.app, cookie)).statusCode).toBe(200);
    // Without the trigger the cache cannot know: only its TTL (10 s by default) ends the session.
    await t.db.execute(sql`alter table sessions disable trigger sessions_session_changed`);
    try {
      await t.db.execute(sql`delete from sessions where user_id = ${u.id}`);
    } finally {
      await t.db.execute(sql`alter table sessions enable trigger sessions_session_changed`);
    }
    expect((await me(t.app, cookie)).statusCode).toBe(200);
    t.clock.advance(10_000);
    expect((await me(t.app, cookie)).statusCode).toBe(401);
  });
});
