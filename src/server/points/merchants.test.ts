import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, grants } from '../auth/tables.ts';
import { makeIdNumber } from '../party/id-number.ts';
import {
  compoundUser,
  createTestApp,
  loginAs,
  makeCompound,
  makeUser,
  regionUser,
  type TestApp,
} from '../test/app.ts';
import { pointsOffers } from './tables.ts';

let t: TestApp;
let community: string;
let township: string;
let other: string;
let X: { id: number; path: string };
let ca: { cookie: string; user: { phone: string } };
let cb: { cookie: string; user: { phone: string } };
let ta: { cookie: string; user: { phone: string } };
let sec: { cookie: string };
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

let seq = 0;
const idNo = () => makeIdNumber('140212', '1968-03-03', 2 * ++seq + 1, 'female');

const post = (cookie: string, url: string, body: object = {}, headers?: Record<string, string>) =>
  t.send(cookie, 'POST', url, body, headers);

/** A member with `points` to spend, signed in. */
async function member(points: number, name = '兑换党员') {
  const u = await makeUser(t.db, { name });
  const m = await post(ca.cookie, '/api/v1/party/members', {
    name,
    idNumber: idNo(),
    compoundId: X.id,
    ledger: 'direct',
    phone: u.phone,
  });
  if (m.statusCode !== 200) throw new Error(m.body);
  const cookie = await loginAs(t.app, u.phone);
  await t.get(cookie, '/api/v1/me/party');
  // In entries of at most 100 (a county's cap per entry of service hours).
  for (let left = points, i = 0; left > 0; left -= 100, i++) {
    const award = await post(
      ca.cookie,
      '/api/v1/points/entries',
      { memberId: m.json().id, points: Math.min(left, 100), source: 'service', reason: '志愿服务' },
      { 'idempotency-key': `merchants-seed-${m.json().id}-${i}` },
    );
    if (award.statusCode !== 200) throw new Error(award.body);
  }
  return { cookie, id: m.json().id as number, phone: u.phone };
}

const application = (over: Record<string, unknown> = {}) => ({
  communityCode: community,
  name: '文兴面馆',
  address: '文兴路 30 号',
  categories: ['food'],
  contactName: '王老板',
  contactPhone: '13912345678',
  note: '主营刀削面',
  ...over,
});

async function offer(cookie: string, merchantId: number, over: Record<string, unknown> = {}) {
  const res = await post(cookie, `/api/v1/points/merchants/${merchantId}/offers`, {
    title: '刀削面一碗',
    category: 'food',
    price: 10,
    stock: 3,
    perMemberLimit: 5,
    validFrom: '2026-11-01',
    validUntil: '2026-12-31',
    ...over,
  });
  if (res.statusCode !== 200) throw new Error(res.body);
  return res.json() as { id: number };
}

beforeAll(async () => {
  t = await createTestApp();
  community = await t.freshCommunity('140213');
  township = community.slice(0, 9);
  other = await t.freshCommunity('140213', [community]);
  X = (await makeCompound(t.db, community, '商家一区')).compound;
  ca = await regionUser(t, 'communityAdmin', community);
  cb = await regionUser(t, 'communityAdmin', other);
  ta = await regionUser(t, 'townshipAdmin', township);
  sec = await compoundUser(t, 'compoundSecretary', X);
});
afterAll(async () => t?.close());

describe('merchant applications', () => {
  it('a business applies from the phone; its community approves, which registers it with the applicant at the counter', async () => {
    const owner = await makeUser(t.db, { name: '王老板' });
    const oc = await loginAs(t.app, owner.phone);
    const sent = await post(oc, '/api/v1/me/points/merchant-applications', application());
    expect(sent.statusCode).toBe(200);
    expect(sent.json()).toMatchObject({
      status: 'pending',
      community: { code: community },
      contactName: '王老板',
      contactPhone: '13912345678',
      categories: ['food'],
      merchant: null,
    });
    const id = sent.json().id as number;
    // The same business twice while waiting: told so.
    const again = await post(oc, '/api/v1/me/points/merchant-applications', application());
    expect(again.json()).toMatchObject({ code: 'merchant_application.pending_exists' });
    expect(again.json().detail).toContain('文兴面馆');

    // Another community sees nothing of it and cannot decide it; a compound secretary is refused.
    const theirs = (await t.get(cb.cookie, '/api/v1/points/merchant-applications')).json();
    expect(theirs.map((a: { id: number }) => a.id)).not.toContain(id);
    expect((await post(cb.cookie, `/api/v1/points/merchant-applications/${id}/approve`)).statusCode).toBe(
      404,
    );
    expect(
      (await post(cb.cookie, `/api/v1/points/merchant-applications/${id}/reject`, { reason: '越权' }))
        .statusCode,
    ).toBe(404);
    expect((await post(cb.cookie, `/api/v1/points/merchant-applications/${id}/reveal`)).statusCode).toBe(404);
    expect((await t.get(sec.cookie, '/api/v1/points/merchant-applications')).statusCode).toBe(403);
    expect((await post(sec.cookie, `/api/v1/points/merchant-applications/${id}/approve`)).statusCode).toBe(
      403,
    );

    // Its community sees it, contact masked, and may reveal it (audited); the township above too.
    const list = (await t.get(ca.cookie, '/api/v1/points/merchant-applications')).json();
    const seen = list.find((a: { id: number }) => a.id === id);
    expect(seen).toMatchObject({
      contactName: '王**',
      contactPhone: '139****5678',
      applicant: '王**',
      can: { decide: true, reveal: true },
    });
    expect(
      (await t.get(ta.cookie, '/api/v1/points/merchant-applications'))
        .json()
        .map((a: { id: number }) => a.id),
    ).toContain(id);
    const revealed = await post(ca.cookie, `/api/v1/points/merchant-applications/${id}/reveal`);
    expect(revealed.json()).toEqual({ contactName: '王老板', contactPhone: '13912345678' });
    const [looked] = await t.db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.action, 'pii.reveal'),
          eq(auditLog.entity, 'points_merchant_application'),
          eq(auditLog.entityId, String(id)),
        ),
      );
    expect(looked).toBeTruthy();

    // Approved: the merchant exists, the applicant works its counter with the merchant role.
    const ok = await post(ca.cookie, `/api/v1/points/merchant-applications/${id}/approve`, {});
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'approved', merchant: { name: '文兴面馆' } });
    const merchantId = ok.json().merchant.id as number;
    expect((await post(ta.cookie, `/api/v1/points/merchant-applications/${id}/approve`)).json().code).toBe(
      'merchant_application.decided',
    );
    const roles = await t.db.select().from(grants).where(eq(grants.userId, owner.id));
    expect(roles.map((g) => g.role)).toContain('merchant');
    const oc2 = await loginAs(t.app, owner.phone);
    expect((await t.get(oc2, '/api/v1/merchant/counters')).json()).toEqual([
      { id: merchantId, name: '文兴面馆', address: '文兴路 30 号' },
    ]);
    // As counter staff the owner publishes offers.
    await offer(oc2, merchantId);
    const mine = (await t.get(oc2, '/api/v1/me/points/merchant-applications')).json();
    expect(mine[0]).toMatchObject({ id, status: 'approved', merchant: { id: merchantId } });
    // The approval is recorded, and the registration names the application.
    const [approved] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'points.merchant.register'), eq(auditLog.entityId, String(merchantId))));
    expect(approved?.detail).toMatchObject({ applicationId: id });

    // Now that it is a merchant, applying again under its name is refused in words.
    const dup = await post(oc2, '/api/v1/me/points/merchant-applications', application());
    expect(dup.json()).toMatchObject({ code: 'merchant.exists' });
  });

  it('a rejection carries its reason to the applicant; bad input and too many waiting are refused', async () => {
    const owner = await makeUser(t.db, { name: '李店主' });
    const oc = await loginAs(t.app, owner.phone);
    const a = (
      await post(oc, '/api/v1/me/points/merchant-applications', application({ name: '李记烟酒' }))
    ).json();
    const no = await post(ca.cookie, `/api/v1/points/merchant-applications/${a.id}/reject`, {
      reason: '经营范围不适合积分兑换',
    });
    expect(no.json()).toMatchObject({ status: 'rejected', reason: '经营范围不适合积分兑换' });
    expect((await post(ca.cookie, `/api/v1/points/merchant-applications/${a.id}/approve`)).statusCode).toBe(
      409,
    );
    const mine = (await t.get(oc, '/api/v1/me/points/merchant-applications')).json();
    expect(mine[0]).toMatchObject({ status: 'rejected', reason: '经营范围不适合积分兑换' });
    const rejected = (await t.get(ca.cookie, '/api/v1/points/merchant-applications?status=rejected')).json();
    expect(rejected.map((x: { id: number }) => x.id)).toContain(a.id);
    // A rejected name may apply again.
    expect(
      (await post(oc, '/api/v1/me/points/merchant-applications', application({ name: '李记烟酒' })))
        .statusCode,
    ).toBe(200);

    const bad = await post(oc, '/api/v1/me/points/merchant-applications', application({ categories: [] }));
    expect(bad.statusCode).toBe(400);
    const phone = await post(
      oc,
      '/api/v1/me/points/merchant-applications',
      application({ contactPhone: '123' }),
    );
    expect(phone.json().errors[0]).toMatchObject({ path: 'contactPhone', message: '请输入 11 位手机号' });
    const nowhere = await post(
      oc,
      '/api/v1/me/points/merchant-applications',
      application({ name: '无处', communityCode: '140213999999' }),
    );
    expect(nowhere.statusCode).toBe(404);
    for (const n of ['甲', '乙'])
      expect(
        (await post(oc, '/api/v1/me/points/merchant-applications', application({ name: `店${n}` })))
          .statusCode,
      ).toBe(200);
    const flood = await post(oc, '/api/v1/me/points/merchant-applications', application({ name: '店丙' }));
    expect(flood.json()).toMatchObject({ code: 'merchant_application.too_many' });
  });
});

describe('merchants and offers in the console', () => {
  let merchantId: number;
  let cashier: { cookie: string; phone: string };
  let otherCashier: { cookie: string };
  beforeAll(async () => {
    const u = await makeUser(t.db, { name: '赵收银' });
    const v = await makeUser(t.db, { name: '别家收银' });
    const m = await post(ca.cookie, '/api/v1/points/merchants', {
      name: '文兴超市',
      communityCode: community,
      address: '文兴路 1 号',
      staffPhones: [u.phone],
    });
    expect(m.statusCode).toBe(200);
    merchantId = m.json().id;
    const theirs = await post(cb.cookie, '/api/v1/points/merchants', {
      name: '别处超市',
      communityCode: other,
      staffPhones: [v.phone],
    });
    expect(theirs.statusCode).toBe(200);
    cashier = { cookie: await loginAs(t.app, u.phone), phone: u.phone };
    otherCashier = { cookie: await loginAs(t.app, v.phone) };
  });

  it('lists the merchants of the area with offers, counts, staff masked and balance', async () => {
    const o = await offer(ca.cookie, merchantId, { title: '酱油一瓶', stock: 5, price: 7 });
    const me = await member(100, '陈党员');
    const v = await post(
      me.cookie,
      `/api/v1/me/points/offers/${o.id}/redeem`,
      {},
      { 'idempotency-key': 'list-0001' },
    );
    await post(me.cookie, `/api/v1/me/points/offers/${o.id}/redeem`, {}, { 'idempotency-key': 'list-0002' });
    await post(cashier.cookie, '/api/v1/merchant/vouchers/check-in', { code: v.json().code });

    const page = (await t.get(ca.cookie, `/api/v1/points/merchants?region=${community}`)).json();
    const m = page.items.find((x: { id: number }) => x.id === merchantId);
    expect(m).toMatchObject({
      name: '文兴超市',
      community: { code: community },
      staff: [{ name: '赵**' }],
      balance: 14,
      can: { edit: true },
    });
    expect(m.staff[0].phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(m.offers.find((x: { id: number }) => x.id === o.id)).toMatchObject({
      stock: 3,
      redeemed: 1,
      outstanding: 1,
      state: 'active',
      can: { edit: true },
    });
    // Another community's administrator sees only theirs; the township sees both of its communities'.
    const theirs = (await t.get(cb.cookie, '/api/v1/points/merchants')).json();
    expect(theirs.items.map((x: { name: string }) => x.name)).toEqual(['别处超市']);
    const township = (await t.get(ta.cookie, '/api/v1/points/merchants?q=超市')).json();
    expect(township.items.map((x: { name: string }) => x.name)).toEqual(
      expect.arrayContaining(['文兴超市', '别处超市']),
    );
    // Paging: one at a time, newest first, until the end.
    const first = (await t.get(ca.cookie, '/api/v1/points/merchants?limit=1')).json();
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = (
      await t.get(ca.cookie, `/api/v1/points/merchants?limit=1&cursor=${first.nextCursor}`)
    ).json();
    expect(second.items[0].id).toBeLessThan(first.items[0].id);
    expect((await t.get(sec.cookie, '/api/v1/points/merchants')).statusCode).toBe(403);
    expect((await t.get(cashier.cookie, '/api/v1/points/merchants')).statusCode).toBe(403);
  });

  it('stock changes keep the stock at zero or more, and a closed offer can no longer be redeemed or changed', async () => {
    const o = await offer(ca.cookie, merchantId, { title: '鸡蛋一盒', stock: 3 });
    const stock = (cookie: string, change: number) =>
      post(cookie, `/api/v1/points/offers/${o.id}/stock`, { change });
    const short = await stock(ca.cookie, -5);
    expect(short.json()).toMatchObject({
      code: 'offer.stock_short',
      detail: '库存只剩 3 份，不能减少 5 份。',
    });
    expect((await stock(ca.cookie, -3)).json()).toMatchObject({ stock: 0, state: 'soldOut' });
    expect((await stock(cashier.cookie, 4)).json()).toMatchObject({ stock: 4, state: 'active' });
    expect((await stock(ca.cookie, 0)).json().errors[0]).toMatchObject({
      path: 'change',
      message: '请填写要增加或减少的数量',
    });
    // Outside: not found.
    expect((await stock(cb.cookie, 1)).statusCode).toBe(404);
    expect((await stock(otherCashier.cookie, 1)).statusCode).toBe(404);
    const [row] = await t.db.select().from(pointsOffers).where(eq(pointsOffers.id, o.id));
    expect(row?.stock).toBe(4);
    const [logged] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'points.offer.stock'), eq(auditLog.entityId, String(o.id))));
    expect(logged?.detail).toMatchObject({ from: 3, to: 0 });

    // A member holds a voucher; then the offer is closed early.
    const me = await member(50);
    const v = await post(
      me.cookie,
      `/api/v1/me/points/offers/${o.id}/redeem`,
      {},
      { 'idempotency-key': 'close-0001' },
    );
    expect(v.statusCode).toBe(200);
    expect((await post(cb.cookie, `/api/v1/points/offers/${o.id}/close`)).statusCode).toBe(404);
    const closed = await post(ca.cookie, `/api/v1/points/offers/${o.id}/close`);
    expect(closed.json()).toMatchObject({ state: 'ended', validUntil: '2026-11-25', can: { edit: false } });
    const listed = (await t.get(me.cookie, '/api/v1/me/points/offers')).json();
    expect(listed.map((x: { id: number }) => x.id)).not.toContain(o.id);
    expect(
      (
        await post(
          me.cookie,
          `/api/v1/me/points/offers/${o.id}/redeem`,
          {},
          { 'idempotency-key': 'close-0002' },
        )
      ).json().code,
    ).toBe('offer.not_valid');
    expect((await stock(ca.cookie, 1)).json().code).toBe('offer.ended');
    expect((await post(ca.cookie, `/api/v1/points/offers/${o.id}/close`)).json().code).toBe('offer.ended');
    // The voucher issued before stays good at the counter.
    expect(
      (await post(cashier.cookie, '/api/v1/merchant/vouchers/check-in', { code: v.json().code })).statusCode,
    ).toBe(200);
    // An offer that had not started yet closes too (its first day moves back with its last).
    const later = await offer(ca.cookie, merchantId, { title: '年货', validFrom: '2026-12-20' });
    expect((await post(ca.cookie, `/api/v1/points/offers/${later.id}/close`)).json()).toMatchObject({
      state: 'ended',
      validFrom: '2026-11-25',
      validUntil: '2026-11-25',
    });
  });

  it.skipIf(!onPostgres)(
    'simultaneous redemptions and stock taken away never leave the stock below zero (PostgreSQL)',
    async () => {
      const o = await offer(ca.cookie, merchantId, {
        title: '抢购',
        stock: 10,
        perMemberLimit: 100,
        price: 1,
      });
      const me = await member(500);
      const results = await Promise.all([
        ...Array.from({ length: 30 }, (_, i) =>
          post(
            me.cookie,
            `/api/v1/me/points/offers/${o.id}/redeem`,
            {},
            { 'idempotency-key': `rush-stock-${i}` },
          ),
        ),
        ...Array.from({ length: 5 }, () =>
          post(ca.cookie, `/api/v1/points/offers/${o.id}/stock`, { change: -3 }),
        ),
      ]);
      const issued = results.slice(0, 30).filter((r) => r.statusCode === 200).length;
      const taken = results.slice(30).filter((r) => r.statusCode === 200).length * 3;
      for (const r of results.slice(30)) expect([200, 409]).toContain(r.statusCode);
      const [row] = await t.db.select().from(pointsOffers).where(eq(pointsOffers.id, o.id));
      expect(row?.stock).toBe(10 - issued - taken);
      expect(row?.stock).toBeGreaterThanOrEqual(0);
      // More redemptions than stock were asked for, so it ran out: exactly, never below.
      expect(row?.stock).toBe(0);
    },
    60_000,
  );
});

describe('monthly statements', () => {
  it('lists the month’s check-ins with totals and balances, for the counter and the community, and as .xlsx', async () => {
    const u = await makeUser(t.db, { name: '钱收银' });
    const m = (
      await post(ca.cookie, '/api/v1/points/merchants', {
        name: '文兴药房',
        communityCode: community,
        staffPhones: [u.phone],
      })
    ).json();
    let counter = await loginAs(t.app, u.phone);
    const a = await offer(ca.cookie, m.id, { title: '测血压', price: 10, stock: 10 });
    const b = await offer(ca.cookie, m.id, { title: '口罩一包', price: 25, stock: 10 });
    const me = await member(200, '孙党员');
    /** Days pass: everyone signs in again (sessions lapse after hours idle). */
    const at = async (when: string) => {
      t.clock.set(new Date(when));
      counter = await loginAs(t.app, u.phone);
      me.cookie = await loginAs(t.app, me.phone);
      for (const x of [ca, cb, ta]) x.cookie = await loginAs(t.app, x.user.phone);
    };
    const redeem = async (offerId: number, key: string) =>
      (
        await post(me.cookie, `/api/v1/me/points/offers/${offerId}/redeem`, {}, { 'idempotency-key': key })
      ).json();
    const v1 = await redeem(a.id, 'stmt-00001');
    const v2 = await redeem(b.id, 'stmt-00002');
    const v3 = await redeem(a.id, 'stmt-00003');
    const v4 = await redeem(b.id, 'stmt-00004');
    await post(me.cookie, `/api/v1/me/points/vouchers/${v4.id}/cancel`);
    // Two check-ins in November (Shanghai time), one in December.
    const checkIn = (code: string) => post(counter, '/api/v1/merchant/vouchers/check-in', { code });
    expect((await checkIn(v1.code)).statusCode).toBe(200);
    await at('2026-11-30T23:30:00+08:00');
    expect((await checkIn(v2.code)).statusCode).toBe(200);
    await at('2026-12-01T00:10:00+08:00');
    expect((await checkIn(v3.code)).statusCode).toBe(200);
    await at('2026-12-02T09:00:00+08:00');
    // December: a fifth voucher paid after November ended moves the balance now, not November's.
    await redeem(a.id, 'stmt-00005');

    const nov = await t.get(counter, `/api/v1/points/merchants/${m.id}/statement?month=2026-11`);
    expect(nov.statusCode).toBe(200);
    const s = nov.json();
    expect(s).toMatchObject({
      merchant: { id: m.id, name: '文兴药房' },
      month: '2026-11',
      totals: { vouchers: 2, points: 35 },
      // Paid in November: 10 + 25 + 10 + 25, less the 25 given back.
      balanceAtMonthEnd: 45,
      balance: 55,
    });
    expect(
      s.lines.map((l: { offer: string; points: number; member: string }) => [l.offer, l.points, l.member]),
    ).toEqual([
      ['测血压', 10, '孙**'],
      ['口罩一包', 25, '孙**'],
    ]);
    expect(s.lines[1].redeemedAt).toBe(new Date('2026-11-30T23:30:00+08:00').toISOString());
    const dec = (await t.get(ca.cookie, `/api/v1/points/merchants/${m.id}/statement?month=2026-12`)).json();
    expect(dec).toMatchObject({ totals: { vouchers: 1, points: 10 }, balanceAtMonthEnd: 55, balance: 55 });
    // The township above sees it; another community and another counter do not; a bad month in words.
    expect(
      (await t.get(ta.cookie, `/api/v1/points/merchants/${m.id}/statement?month=2026-11`)).statusCode,
    ).toBe(200);
    expect(
      (await t.get(cb.cookie, `/api/v1/points/merchants/${m.id}/statement?month=2026-11`)).statusCode,
    ).toBe(404);
    const stranger = await loginAs(t.app, (await makeUser(t.db)).phone);
    expect(
      (await t.get(stranger, `/api/v1/points/merchants/${m.id}/statement?month=2026-11`)).statusCode,
    ).toBe(404);
    expect(
      (await t.get(counter, `/api/v1/points/merchants/${m.id}/statement?month=2026-13`)).json().errors[0],
    ).toEqual({
      path: 'month',
      message: '月份格式应为 年-月，如 2026-11',
    });

    // The workbook says the same, and the export is recorded.
    const x = await t.get(ca.cookie, `/api/v1/points/merchants/${m.id}/statement.xlsx?month=2026-11`);
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    expect(decodeURIComponent(String(x.headers['content-disposition']))).toContain(
      '文兴药房-对账单-2026-11.xlsx',
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const rows = (ws?.getSheetValues() ?? []).filter(Boolean).map((r) => (r as unknown[]).slice(1));
    expect(rows).toContainEqual([1, '2026-11-26 08:00', '测血压', 10, '孙**', v1.id]);
    expect(rows).toContainEqual([2, '2026-11-30 23:30', '口罩一包', 25, '孙**', v2.id]);
    expect(rows).toContainEqual(['合计', '2 张', undefined, 35]);
    expect(rows).toContainEqual(['月末账户积分', undefined, undefined, 45]);
    const [exported] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'points.statement.export'), eq(auditLog.entityId, String(m.id))));
    expect(exported?.detail).toEqual({ month: '2026-11' });
    expect(
      (await t.get(cb.cookie, `/api/v1/points/merchants/${m.id}/statement.xlsx?month=2026-11`)).statusCode,
    ).toBe(404);
    await at('2026-11-26T08:00:00+08:00');
  });
});
