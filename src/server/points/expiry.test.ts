import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../auth/tables.ts';
import { makeIdNumber } from '../party/id-number.ts';
import { createTestApp, loginAs, makeCompound, makeUser, regionUser, type TestApp } from '../test/app.ts';
import { runVoucherExpiry } from './expiry.ts';
import { pointsOffers, pointsTransfers, pointsVouchers } from './tables.ts';

let t: TestApp;
let community: string;
let X: { id: number; path: string };
let ca: { cookie: string; user: { phone: string } };
let merchantId: number;
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const START = new Date('2026-11-26T08:00:00+08:00');
const DAY = 86_400_000;

let seq = 0;
const idNo = () => makeIdNumber('140212', '1971-01-01', 2 * ++seq + 1, 'male');

async function member(points: number) {
  const u = await makeUser(t.db, { name: '过期党员' });
  const m = await t.send(ca.cookie, 'POST', '/api/v1/party/members', {
    name: '过期党员',
    idNumber: idNo(),
    compoundId: X.id,
    ledger: 'direct',
    phone: u.phone,
  });
  if (m.statusCode !== 200) throw new Error(m.body);
  const cookie = await loginAs(t.app, u.phone);
  await t.get(cookie, '/api/v1/me/party');
  for (let left = points, i = 0; left > 0; left -= 100, i++) {
    const r = await t.send(
      ca.cookie,
      'POST',
      '/api/v1/points/entries',
      { memberId: m.json().id, points: Math.min(left, 100), source: 'service', reason: '志愿服务' },
      { 'idempotency-key': `expiry-seed-${m.json().id}-${i}` },
    );
    if (r.statusCode !== 200) throw new Error(r.body);
  }
  return { cookie, phone: u.phone, id: m.json().id as number };
}

async function offer(over: Record<string, unknown> = {}) {
  const res = await t.send(ca.cookie, 'POST', `/api/v1/points/merchants/${merchantId}/offers`, {
    title: '过期测试优惠',
    category: 'leisure',
    price: 10,
    stock: 5,
    perMemberLimit: 1,
    validFrom: '2026-11-01',
    validUntil: '2027-06-30',
    ...over,
  });
  if (res.statusCode !== 200) throw new Error(res.body);
  return res.json() as { id: number };
}

const redeem = (cookie: string, offerId: number, key: string) =>
  t.send(cookie, 'POST', `/api/v1/me/points/offers/${offerId}/redeem`, {}, { 'idempotency-key': key });
const balance = async (cookie: string) =>
  (await t.get(cookie, '/api/v1/me/points')).json().account.balance as number;
const stockOf = async (offerId: number) =>
  (await t.db.select().from(pointsOffers).where(eq(pointsOffers.id, offerId)))[0]?.stock;

beforeAll(async () => {
  t = await createTestApp();
  community = await t.freshCommunity('140213');
  X = (await makeCompound(t.db, community, '过期一区')).compound;
  ca = await regionUser(t, 'communityAdmin', community);
  const cashier = await makeUser(t.db, { name: '过期收银' });
  const m = await t.send(ca.cookie, 'POST', '/api/v1/points/merchants', {
    name: '过期测试商家',
    communityCode: community,
    staffPhones: [cashier.phone],
  });
  if (m.statusCode !== 200) throw new Error(m.body);
  merchantId = m.json().id;
});
afterAll(async () => t?.close());

describe('expired vouchers', () => {
  it('expires an unused voucher once: points and stock come back, the limit no longer counts it', async () => {
    t.clock.set(START);
    const me = await member(30);
    const o = await offer();
    const v = (await redeem(me.cookie, o.id, 'expire-0001')).json();
    expect(v.status).toBe('issued');
    expect(await balance(me.cookie)).toBe(20);
    expect(await stockOf(o.id)).toBe(4);
    // Not yet due: nothing happens.
    expect((await runVoucherExpiry(t.db, t.clock)).expired).toBe(0);

    t.clock.set(new Date(START.getTime() + 31 * DAY));
    const first = await runVoucherExpiry(t.db, t.clock);
    expect(first).toMatchObject({ expired: 1, points: 10, failed: 0 });
    // Run again: nothing more moves.
    expect(await runVoucherExpiry(t.db, t.clock)).toEqual({ expired: 0, points: 0, failed: 0 });

    const cookie = await loginAs(t.app, me.phone);
    expect(await balance(cookie)).toBe(30);
    expect(await stockOf(o.id)).toBe(5);
    const [row] = await t.db.select().from(pointsVouchers).where(eq(pointsVouchers.id, v.id));
    expect(row?.status).toBe('expired');
    const refunds = await t.db
      .select()
      .from(pointsTransfers)
      .where(eq(pointsTransfers.idempotencyKey, `voucher:${v.id}:refund`));
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ kind: 'refund', amount: 10, id: row?.refundTransferId });
    const [logged] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'points.voucher.expire'), eq(auditLog.entityId, String(v.id))));
    expect(logged?.detail).toMatchObject({ points: 10 });

    // The member sees it expired with the points back in the statement.
    const mine = (await t.get(cookie, '/api/v1/me/points/vouchers')).json();
    expect(mine[0]).toMatchObject({ id: v.id, status: 'expired', expired: false });
    const statement = (await t.get(cookie, '/api/v1/me/points')).json().statement.items;
    expect(statement[0]).toMatchObject({ kind: 'refund', points: 10 });
    // The counter refuses it; giving it back is refused as expired.
    const cashier = await makeUser(t.db, { name: '后来收银' });
    await t.db.execute(
      sql`insert into points_merchant_users (merchant_id, user_id) values (${merchantId}, ${cashier.id})`,
    );
    const cc = await loginAs(t.app, cashier.phone);
    expect(
      (await t.send(cc, 'POST', '/api/v1/merchant/vouchers/check-in', { code: v.code })).json().code,
    ).toBe('voucher.expired');
    expect((await t.send(cookie, 'POST', `/api/v1/me/points/vouchers/${v.id}/cancel`)).json().code).toBe(
      'voucher.expired',
    );
    // The per-member limit (1) no longer counts the expired voucher.
    const again = await redeem(cookie, o.id, 'expire-0002');
    expect(again.statusCode).toBe(200);
    expect((await redeem(cookie, o.id, 'expire-0003')).json().code).toBe('offer.limit');
  });

  it('a voucher past its time no longer counts toward the limit, even before the sweep refunds it', async () => {
    t.clock.set(START);
    ca.cookie = await loginAs(t.app, ca.user.phone);
    const me = await member(20);
    const o = await offer({ title: '限兑一次' });
    expect((await redeem(me.cookie, o.id, 'before-0001')).statusCode).toBe(200);
    expect((await redeem(me.cookie, o.id, 'before-0002')).json().code).toBe('offer.limit');
    t.clock.set(new Date(START.getTime() + 31 * DAY));
    const cookie = await loginAs(t.app, me.phone);
    expect((await redeem(cookie, o.id, 'before-0003')).statusCode).toBe(200);
    expect(await balance(cookie)).toBe(0);
    expect((await runVoucherExpiry(t.db, t.clock)).expired).toBeGreaterThanOrEqual(1);
    expect(await balance(cookie)).toBe(10);
  });

  it('leaves used and cancelled vouchers alone', async () => {
    t.clock.set(START);
    ca.cookie = await loginAs(t.app, ca.user.phone);
    const me = await member(50);
    const o = await offer({ perMemberLimit: 3 });
    const a = (await redeem(me.cookie, o.id, 'alone-0001')).json();
    const b = (await redeem(me.cookie, o.id, 'alone-0002')).json();
    await t.send(me.cookie, 'POST', `/api/v1/me/points/vouchers/${b.id}/cancel`);
    const cashier = await makeUser(t.db, { name: '收银二' });
    await t.db.execute(
      sql`insert into points_merchant_users (merchant_id, user_id) values (${merchantId}, ${cashier.id})`,
    );
    const cc = await loginAs(t.app, cashier.phone);
    expect(
      (await t.send(cc, 'POST', '/api/v1/merchant/vouchers/check-in', { code: a.code })).statusCode,
    ).toBe(200);
    t.clock.set(new Date(START.getTime() + 40 * DAY));
    await runVoucherExpiry(t.db, t.clock);
    const rows = await t.db
      .select({ id: pointsVouchers.id, status: pointsVouchers.status })
      .from(pointsVouchers)
      .where(inArray(pointsVouchers.id, [a.id, b.id]));
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({
      [a.id]: 'redeemed',
      [b.id]: 'cancelled',
    });
    const cookie = await loginAs(t.app, me.phone);
    expect(await balance(cookie)).toBe(40);
  });

  it.skipIf(!onPostgres)(
    'several sweeps at once, and members giving vouchers back meanwhile, refund each voucher exactly once (PostgreSQL)',
    async () => {
      t.clock.set(START);
      ca.cookie = await loginAs(t.app, ca.user.phone);
      const o = await offer({ stock: 40, perMemberLimit: 10, price: 3, title: '并发过期' });
      const members = await Promise.all(Array.from({ length: 4 }, () => member(30)));
      const held: { cookie: string; id: number }[] = [];
      for (const [i, m] of members.entries())
        for (let k = 0; k < 10; k++) {
          const v = await redeem(m.cookie, o.id, `rush-exp-${i}-${k}`);
          expect(v.statusCode).toBe(200);
          held.push({ cookie: m.cookie, id: v.json().id });
        }
      expect(await stockOf(o.id)).toBe(0);
      t.clock.set(new Date(START.getTime() + 31 * DAY));
      const cookies = await Promise.all(members.map((m) => loginAs(t.app, m.phone)));
      for (const h of held) h.cookie = cookies[Math.floor(held.indexOf(h) / 10)] as string;
      // Every third voucher is given back by its holder while four sweeps run.
      const giving = held.filter((_, i) => i % 3 === 0);
      const [runs, given] = await Promise.all([
        Promise.all(Array.from({ length: 4 }, () => runVoucherExpiry(t.db, t.clock))),
        Promise.all(giving.map((h) => t.send(h.cookie, 'POST', `/api/v1/me/points/vouchers/${h.id}/cancel`))),
      ]);
      for (const g of given) expect([200, 409]).toContain(g.statusCode);
      const cancelled = given.filter((g) => g.statusCode === 200).length;
      expect(runs.reduce((s, r) => s + r.expired, 0)).toBe(40 - cancelled);
      expect(runs.reduce((s, r) => s + r.points, 0)).toBe(3 * (40 - cancelled));
      expect(runs.every((r) => r.failed === 0)).toBe(true);
      const refunds = await t.db
        .select({ key: pointsTransfers.idempotencyKey })
        .from(pointsTransfers)
        .where(
          inArray(
            pointsTransfers.idempotencyKey,
            held.map((h) => `voucher:${h.id}:refund`),
          ),
        );
      expect(refunds).toHaveLength(40);
      expect(await stockOf(o.id)).toBe(40);
      for (const c of cookies) expect(await balance(c)).toBe(30);
      expect((await runVoucherExpiry(t.db, t.clock)).expired).toBe(0);
    },
    120_000,
  );
});
