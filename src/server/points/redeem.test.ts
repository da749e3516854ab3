import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../auth/tables.ts';
import { makeIdNumber } from '../party/id-number.ts';
import { createTestApp, loginAs, makeCompound, makeUser, regionUser, type TestApp } from '../test/app.ts';

let t: TestApp;
let community: string;
let ca: { cookie: string };
let cb: { cookie: string };
let counter: { cookie: string };
let otherCounter: { cookie: string };
let merchantId: number;
let cashierPhone: string;
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

let seq = 0;
const idNo = () => makeIdNumber('140212', '1975-07-07', 2 * ++seq + 1, 'male');

/** A member with an account and `points` to spend. */
async function member(points: number) {
  const u = await makeUser(t.db, { name: '兑换党员' });
  const m = await t.send(ca.cookie, 'POST', '/api/v1/party/members', {
    name: '兑换党员',
    idNumber: idNo(),
    compoundId: X.id,
    ledger: 'direct',
    phone: u.phone,
  });
  const cookie = await loginAs(t.app, u.phone);
  await t.get(cookie, '/api/v1/me/party');
  await t.send(
    ca.cookie,
    'POST',
    '/api/v1/points/entries',
    { memberId: m.json().id, points: Math.min(points, 100), source: 'service', reason: '志愿服务' },
    { 'idempotency-key': `seed-${m.json().id}-a` },
  );
  // 100 at a time: the most one service entry may carry under the default rules (rules.ts).
  for (let left = points - 100, i = 0; left > 0; left -= 100, i++)
    await t.send(
      ca.cookie,
      'POST',
      '/api/v1/points/entries',
      { memberId: m.json().id, points: Math.min(left, 100), source: 'service', reason: '志愿服务' },
      { 'idempotency-key': `seed-${m.json().id}-${i}` },
    );
  return { cookie, id: m.json().id as number };
}
let X: { id: number; path: string };

async function offer(over: Record<string, unknown> = {}) {
  const res = await t.send(counter.cookie, 'POST', `/api/v1/points/merchants/${merchantId}/offers`, {
    title: '理发八折',
    category: 'leisure',
    price: 10,
    stock: 3,
    perMemberLimit: 2,
    validFrom: '2026-11-01',
    validUntil: '2026-12-31',
    ...over,
  });
  if (res.statusCode !== 200) throw new Error(res.body);
  return res.json() as { id: number };
}

const redeem = (cookie: string, offerId: number, key: string) =>
  t.send(cookie, 'POST', `/api/v1/me/points/offers/${offerId}/redeem`, {}, { 'idempotency-key': key });
const checkIn = (cookie: string, code: string) =>
  t.send(cookie, 'POST', '/api/v1/merchant/vouchers/check-in', { code });

beforeAll(async () => {
  t = await createTestApp();
  community = await t.freshCommunity('140213');
  const other = await t.freshCommunity('140213', [community]);
  X = (await makeCompound(t.db, community, '兑换一区')).compound;
  ca = await regionUser(t, 'communityAdmin', community);
  cb = await regionUser(t, 'communityAdmin', other);
  const cashier = await makeUser(t.db, { name: '收银员' });
  cashierPhone = cashier.phone;
  const elsewhere = await makeUser(t.db, { name: '别家收银员' });
  counter = { cookie: await loginAs(t.app, cashier.phone) };
  otherCounter = { cookie: await loginAs(t.app, elsewhere.phone) };
  const m = await t.send(ca.cookie, 'POST', '/api/v1/points/merchants', {
    name: '文兴理发店',
    communityCode: community,
    address: '文兴路 12 号',
    staffPhones: [cashier.phone],
  });
  expect(m.statusCode).toBe(200);
  merchantId = m.json().id;
  const theirs = await t.send(cb.cookie, 'POST', '/api/v1/points/merchants', {
    name: '别处超市',
    communityCode: other,
    staffPhones: [elsewhere.phone],
  });
  expect(theirs.statusCode).toBe(200);
  // A community may register merchants only in its own area.
  expect(
    (await t.send(cb.cookie, 'POST', '/api/v1/points/merchants', { name: '越界', communityCode: community }))
      .statusCode,
  ).toBe(404);
});
afterAll(async () => t?.close());

describe('redeeming points at merchants', () => {
  it('redeems once per key, keeps to the stock and the per-member limit, checks in once, and cancels with the points back', async () => {
    // The counter staff were given the merchant role on the community, which shows them the counter.
    const cashierMe = (await t.get(counter.cookie, '/api/v1/me')).json();
    expect(cashierMe.grants.map((g: { role: string }) => g.role)).toContain('merchant');
    const me = await member(25);
    const o = await offer();
    const listed = (await t.get(me.cookie, '/api/v1/me/points/offers')).json();
    expect(listed.map((x: { id: number }) => x.id)).toContain(o.id);

    const v1 = await redeem(me.cookie, o.id, 'redeem-0001');
    expect(v1.statusCode).toBe(200);
    expect(v1.json()).toMatchObject({ status: 'issued', offer: { price: 10 }, merchant: '文兴理发店' });
    expect(v1.json().code).toMatch(/^\d{12}$/);
    // A double tap: the same voucher, paid once.
    expect((await redeem(me.cookie, o.id, 'redeem-0001')).json().id).toBe(v1.json().id);
    const v2 = await redeem(me.cookie, o.id, 'redeem-0002');
    expect(v2.statusCode).toBe(200);
    const third = await redeem(me.cookie, o.id, 'redeem-0003');
    expect(third.json()).toMatchObject({ code: 'offer.limit', detail: '每人限兑 2 张，您已兑满。' });
    expect((await t.get(me.cookie, '/api/v1/me/points')).json().account.balance).toBe(5);

    const poor = await member(5);
    expect((await redeem(poor.cookie, o.id, 'redeem-0004')).json().code).toBe('points.insufficient');

    // At the counter: once; not at another merchant's; a wrong code in words.
    expect((await checkIn(otherCounter.cookie, v1.json().code)).statusCode).toBe(404);
    const ok = await checkIn(counter.cookie, v1.json().code);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'redeemed', code: null });
    const [logged] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'points.voucher.redeem'), eq(auditLog.entityId, String(v1.json().id))));
    // Recorded where the voucher's merchant is: the community that holds the compound.
    expect(logged?.scopePath && X.path.startsWith(logged.scopePath)).toBe(true);
    expect((await checkIn(counter.cookie, v1.json().code)).json().detail).toBe(
      '该兑换券已经核销过，不能重复使用。',
    );
    expect((await checkIn(counter.cookie, '12345')).json().errors[0].message).toBe('券码为 12 位数字');
    // A used voucher cannot be given back; an unused one can, and its points and stock return.
    expect(
      (await t.send(me.cookie, 'POST', `/api/v1/me/points/vouchers/${v1.json().id}/cancel`)).statusCode,
    ).toBe(409);
    const back = await t.send(me.cookie, 'POST', `/api/v1/me/points/vouchers/${v2.json().id}/cancel`);
    expect(back.json()).toMatchObject({ status: 'cancelled' });
    expect((await t.get(me.cookie, '/api/v1/me/points')).json().account.balance).toBe(15);
    expect((await checkIn(counter.cookie, v2.json().code)).json().code).toBe('voucher.not_issued');
    const mine = (await t.get(me.cookie, '/api/v1/me/points/vouchers')).json();
    expect(mine.map((v: { status: string }) => v.status)).toEqual(['cancelled', 'redeemed']);
    const stock = (await t.get(me.cookie, '/api/v1/me/points/offers'))
      .json()
      .find((x: { id: number }) => x.id === o.id);
    expect(stock.stock).toBe(2);
  });

  it('refuses an offer out of its dates or sold out, and a voucher past its time', async () => {
    const me = await member(100);
    const later = await offer({ validFrom: '2026-12-10', validUntil: '2026-12-31' });
    expect((await redeem(me.cookie, later.id, 'early-00001')).json().code).toBe('offer.not_valid');
    const none = await offer({ stock: 0 });
    expect((await redeem(me.cookie, none.id, 'none-000001')).json().code).toBe('offer.sold_out');
    const o = await offer();
    const v = (await redeem(me.cookie, o.id, 'late-000001')).json();
    expect(v.expired).toBe(false);
    // A month on, the voucher is past its time (the cashier signs in again: sessions do not last that long).
    t.clock.advance(31 * 86_400_000);
    const late = await loginAs(t.app, cashierPhone);
    expect((await checkIn(late, v.code)).json().detail).toBe('该兑换券已过期。');
    t.clock.set(new Date('2026-11-26T08:00:00+08:00'));
    counter.cookie = await loginAs(t.app, cashierPhone);
    const bad = await t.send(counter.cookie, 'POST', `/api/v1/points/merchants/${merchantId}/offers`, {
      title: '过期',
      category: 'food',
      price: 5,
      stock: 1,
      validFrom: '2026-01-01',
      validUntil: '2026-02-01',
    });
    expect(bad.json().errors[0]).toMatchObject({
      path: 'validUntil',
      message: '截止日期应晚于开始日期，且不早于今天',
    });
    // Someone with no party record has nothing to spend.
    const stranger = await loginAs(t.app, (await makeUser(t.db)).phone);
    expect((await redeem(stranger, o.id, 'stranger-01')).json().code).toBe('points.not_member');
  });
});

describe.skipIf(!onPostgres)('redeeming under concurrency (PostgreSQL)', () => {
  it('200 simultaneous redemptions of an offer with stock 10 give exactly 10 vouchers', async () => {
    const me = await member(5000);
    const o = await offer({ stock: 10, perMemberLimit: 100, price: 20 });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => redeem(me.cookie, o.id, `rush-${o.id}-${i}`)),
    );
    const issued = results.filter((r) => r.statusCode === 200);
    expect(issued).toHaveLength(10);
    expect(results.filter((r) => r.json().code === 'offer.sold_out')).toHaveLength(190);
    expect(new Set(issued.map((r) => r.json().code)).size).toBe(10);
    expect((await t.get(me.cookie, '/api/v1/me/points')).json().account.balance).toBe(5000 - 200);
  }, 120_000);

  it('50 simultaneous check-ins of one code give exactly one success', async () => {
    const me = await member(50);
    const o = await offer();
    const v = (await redeem(me.cookie, o.id, `check-in-once-${o.id}`)).json();
    const results = await Promise.all(Array.from({ length: 50 }, () => checkIn(counter.cookie, v.code)));
    expect(v.code).toMatch(/^\d{12}$/);
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(results.filter((r) => r.json().code === 'voucher.used')).toHaveLength(49);
  }, 60_000);
});
