import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cookieOf,
  createTestApp,
  loginAs,
  makeUser,
  nextPhone,
  regionPath,
  TEST_PASSWORD,
  type TestApp,
} from '../test/app.ts';
import { actorFromToken, DEFAULT_AUTH } from './service.ts';
import { auditLog } from './tables.ts';

let t: TestApp;
let communityPath: string;

beforeAll(async () => {
  t = await createTestApp();
  communityPath = await regionPath(t.db, '140213066004');
});
afterAll(async () => t?.close());

const json = { 'content-type': 'application/json' };

async function newAdmin() {
  return makeUser(t.db, {
    grants: [
      { role: 'communityAdmin', scopePath: communityPath, nodeKind: 'region', nodeRef: '140213066004' },
    ],
  });
}

describe('password login', () => {
  it('sets an HttpOnly SameSite=Lax cookie whose token is not stored in clear', async () => {
    const u = await newAdmin();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: u.phone, password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const c = res.cookies.find((x) => x.name === 'gz_session');
    expect(c?.httpOnly).toBe(true);
    expect(c?.sameSite).toBe('Lax');
    expect(res.json().grants[0]).toMatchObject({
      role: 'communityAdmin',
      scopeLabel: '平城区 水泊寺街道 文兴社区',
    });
    const stored = await t.db.execute(`select token_hash from sessions where user_id = ${u.id}`);
    const rows = (stored as unknown as { rows: { token_hash: string }[] }).rows;
    expect(rows.some((r) => r.token_hash === c?.value)).toBe(false);
    expect(rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a wrong password with a Chinese message by default and English on request', async () => {
    const u = await newAdmin();
    const zh = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: u.phone, password: 'wrong-pass-1' },
    });
    expect(zh.statusCode).toBe(401);
    expect(zh.headers['content-type']).toContain('application/problem+json');
    expect(zh.json()).toMatchObject({
      code: 'auth.invalid_credentials',
      detail: '手机号或密码不正确。',
      status: 401,
    });
    const en = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'accept-language': 'en-US,en;q=0.9' },
      payload: { phone: u.phone, password: 'wrong-pass-1' },
    });
    expect(en.json().detail).toBe('The phone number or password is incorrect.');
  });

  it('gives the same answer for an unknown phone as for a wrong password', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: nextPhone(), password: 'whatever-1' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('auth.invalid_credentials');
  });

  it('locks the account after 5 failures, even for the right password, until the lock expires', async () => {
    const u = await newAdmin();
    for (let i = 0; i < 4; i++) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { phone: u.phone, password: `bad-${i}-xxxx` },
      });
      expect(r.json().code).toBe('auth.invalid_credentials');
    }
    const fifth = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: u.phone, password: 'bad-5-xxxx' },
    });
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().detail).toContain('15 分钟');
    const right = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: u.phone, password: TEST_PASSWORD },
    });
    expect(right.statusCode).toBe(423);
    t.clock.advance(16 * 60_000);
    const later = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: u.phone, password: TEST_PASSWORD },
    });
    expect(later.statusCode).toBe(200);
  });

  it('throttles many attempts on one phone', async () => {
    const phone = nextPhone();
    const codes: number[] = [];
    for (let i = 0; i < 22; i++) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { phone, password: 'guess-guess' },
      });
      codes.push(r.statusCode);
    }
    expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
    expect(codes.at(-1)).toBe(429);
    t.clock.advance(11 * 60_000);
  });

  it('rejects malformed input with field errors', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: '123', password: '' },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('request.invalid');
    expect(body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['phone', 'password']),
    );
    expect(body.errors.find((e: { path: string }) => e.path === 'phone').message).toBe('请输入 11 位手机号');
    const notJson = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: json,
      payload: '{oops',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().code).toBe('request.invalid');
  });
});

describe('sessions', () => {
  it('a live stream reconnecting does not keep an idle session alive', async () => {
    const u = await newAdmin();
    const cookie = await loginAs(t.app, u.phone);
    const token = cookie.split('=')[1] as string;
    t.clock.advance(11 * 3600_000);
    // What the onRequest hook does for /api/v1/tickets/live: resolve without touching.
    expect(await actorFromToken({ db: t.db, clock: t.clock }, token, DEFAULT_AUTH, false)).not.toBeNull();
    t.clock.advance(3600_000 + 60_000);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.statusCode).toBe(401);
  });

  it('expire after the idle limit and after the absolute limit', async () => {
    const u = await newAdmin();
    const cookie = await loginAs(t.app, u.phone);
    const me = () => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect((await me()).statusCode).toBe(200);
    t.clock.advance(11 * 3600_000);
    expect((await me()).statusCode).toBe(200); // touched: idle window restarts
    t.clock.advance(12 * 3600_000 + 60_000);
    const idle = await me();
    expect(idle.statusCode).toBe(401);
    expect(idle.json().code).toBe('auth.required');

    const cookie2 = await loginAs(t.app, u.phone);
    for (let d = 0; d < 31; d++) {
      t.clock.advance(86_400_000);
      await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: cookie2 } });
    }
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: cookie2 } })).statusCode,
    ).toBe(401);
  });

  it('logout ends one session; logout-all ends every session of the user', async () => {
    const u = await newAdmin();
    const a = await loginAs(t.app, u.phone);
    const b = await loginAs(t.app, u.phone);
    const c = await loginAs(t.app, u.phone);
    const sessions = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me/sessions',
      headers: { cookie: a },
    });
    expect(sessions.json()).toHaveLength(3);
    expect(sessions.json().filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: a, ...json },
      payload: {},
    });
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: a } })).statusCode,
    ).toBe(401);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: b } })).statusCode,
    ).toBe(200);
    const all = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout-all',
      headers: { cookie: b, ...json },
      payload: {},
    });
    expect(all.statusCode).toBe(200);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: b } })).statusCode,
    ).toBe(401);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: c } })).statusCode,
    ).toBe(401);
  });

  it('refuses cookie-authenticated writes from another origin or a cross-site form', async () => {
    const u = await newAdmin();
    const cookie = await loginAs(t.app, u.phone);
    const evil = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { cookie, origin: 'https://evil.example', ...json },
      payload: { locale: 'en' },
    });
    expect(evil.statusCode).toBe(403);
    expect(evil.json().code).toBe('request.csrf');
    const form = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout-all',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'a=1',
    });
    expect(form.statusCode).toBe(403);
    const crossSite = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { cookie, 'sec-fetch-site': 'cross-site', ...json },
      payload: { locale: 'en' },
    });
    expect(crossSite.statusCode).toBe(403);
    const same = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { cookie, origin: 'http://localhost:80', host: 'localhost:80', ...json },
      payload: { locale: 'en' },
    });
    expect(same.statusCode).toBe(200);
  });
});

describe('language', () => {
  it('is remembered per user and used for their error messages', async () => {
    const u = await newAdmin();
    const cookie = await loginAs(t.app, u.phone);
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { cookie, ...json },
      payload: { locale: 'en' },
    });
    expect(res.json().locale).toBe('en');
    const cookie2 = await loginAs(t.app, u.phone);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: cookie2 } })).json().locale,
    ).toBe('en');
    const notFound = await t.app.inject({
      method: 'GET',
      url: '/api/v1/compounds/999999',
      headers: { cookie: cookie2 },
    });
    expect(notFound.json().detail).toBe('Compound not found.');
  });
});

describe('SMS code login', () => {
  it('sends a 6-digit code and logs in with it once', async () => {
    const u = await newAdmin();
    const send = await t.app.inject({ method: 'POST', url: '/api/v1/auth/otp', payload: { phone: u.phone } });
    expect(send.statusCode).toBe(200);
    const sent = t.sms.sent.filter((s) => s.phone === u.phone).at(-1);
    expect(sent?.code).toMatch(/^\d{6}$/);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp/login',
      payload: { phone: u.phone, code: sent?.code },
    });
    expect(ok.statusCode).toBe(200);
    expect(cookieOf(ok)).toMatch(/^gz_session=/);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp/login',
      payload: { phone: u.phone, code: sent?.code },
    });
    expect(again.statusCode).toBe(401);
  });

  it('answers the same for unknown phones and sends nothing', async () => {
    const phone = nextPhone();
    const before = t.sms.sent.length;
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/otp', payload: { phone } });
    expect(res.statusCode).toBe(200);
    expect(t.sms.sent.length).toBe(before);
  });

  it('allows 5 tries per code, expires after 5 minutes, and limits sending', async () => {
    const u = await newAdmin();
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/otp', payload: { phone: u.phone } });
    const code = t.sms.sent.filter((s) => s.phone === u.phone).at(-1)?.code as string;
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/otp/login',
        payload: { phone: u.phone, code: wrong },
      });
      expect(r.json().code).toBe('auth.otp_invalid');
    }
    const burnt = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp/login',
      payload: { phone: u.phone, code },
    });
    expect(burnt.statusCode).toBe(401);

    const tooSoon = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      payload: { phone: u.phone },
    });
    expect(tooSoon.statusCode).toBe(429);
    expect(tooSoon.json().detail).toMatch(/请 \d+ 秒后再试/);

    t.clock.advance(61_000);
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/otp', payload: { phone: u.phone } });
    const code2 = t.sms.sent.filter((s) => s.phone === u.phone).at(-1)?.code as string;
    t.clock.advance(5 * 60_000 + 1000);
    const expired = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp/login',
      payload: { phone: u.phone, code: code2 },
    });
    expect(expired.statusCode).toBe(401);
  });
});

describe('password change', () => {
  it('needs the current password and refuses weak ones', async () => {
    const u = await newAdmin();
    const cookie = await loginAs(t.app, u.phone);
    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: { cookie, ...json },
      payload: { currentPassword: TEST_PASSWORD, newPassword: '12345678' },
    });
    expect(weak.json().code).toBe('auth.weak_password');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: { cookie, ...json },
      payload: { currentPassword: 'not-it-at-all', newPassword: 'a-much-better-one-9' },
    });
    expect(wrong.json().code).toBe('auth.wrong_password');
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: { cookie, ...json },
      payload: { currentPassword: TEST_PASSWORD, newPassword: 'a-much-better-one-9' },
    });
    expect(ok.statusCode).toBe(200);
    await loginAs(t.app, u.phone, 'a-much-better-one-9');
    const entries = await t.db.select().from(auditLog).where(eq(auditLog.actorUserId, u.id));
    expect(entries.map((e) => e.action)).toContain('auth.password_changed');
  });
});
