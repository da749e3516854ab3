import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../auth/tables.ts';
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

let t: TestApp;
let X: { id: number; path: string };
let ca: { cookie: string };
let cb: { cookie: string };
let sec: { cookie: string };
let resident: { cookie: string };
let member: { cookie: string; id: number };

let seq = 0;
const idNo = () => makeIdNumber('140212', '1970-05-05', 2 * ++seq + 1, 'male');

beforeAll(async () => {
  t = await createTestApp();
  const community = await t.freshCommunity('140213');
  const other = await t.freshCommunity('140213', [community]);
  X = (await makeCompound(t.db, community, '积分一区')).compound;
  await makeCompound(t.db, other, '积分外区');
  ca = await regionUser(t, 'communityAdmin', community);
  cb = await regionUser(t, 'communityAdmin', other);
  sec = await compoundUser(t, 'compoundSecretary', X);
  resident = await compoundUser(t, 'resident', X);
  const u = await makeUser(t.db, { name: '积分党员' });
  const m = await t.send(ca.cookie, 'POST', '/api/v1/party/members', {
    name: '积分党员',
    idNumber: idNo(),
    compoundId: X.id,
    ledger: 'direct',
    phone: u.phone,
  });
  member = { cookie: await loginAs(t.app, u.phone), id: m.json().id };
  await t.get(member.cookie, '/api/v1/me/party'); // links the record to the account, as 我的 does
});
afterAll(async () => t?.close());

const entry = (cookie: string, key: string, body: object) =>
  t.send(cookie, 'POST', '/api/v1/points/entries', body, { 'idempotency-key': key });

describe('points entries', () => {
  it('credits and deducts a member, once per key, and never below zero', async () => {
    const a = await entry(sec.cookie, 'entry-0001', {
      memberId: member.id,
      points: 20,
      source: 'service',
      reason: '楼道清扫志愿服务 2 小时',
      evidence: '服务签到记录',
    });
    expect(a.statusCode).toBe(200);
    expect(a.json()).toMatchObject({ replayed: false, account: { balance: 20, earned: 20, spent: 0 } });
    // The phone retried: the same key and body post nothing more.
    const again = await entry(sec.cookie, 'entry-0001', {
      memberId: member.id,
      points: 20,
      source: 'service',
      reason: '楼道清扫志愿服务 2 小时',
      evidence: '服务签到记录',
    });
    expect(again.json()).toMatchObject({
      replayed: true,
      transferId: a.json().transferId,
      account: { balance: 20 },
    });
    // Another user's identical key is theirs, not a replay of this one.
    const theirs = await entry(ca.cookie, 'entry-0001', {
      memberId: member.id,
      points: 5,
      source: 'praise',
      reason: '居民表扬',
    });
    expect(theirs.json()).toMatchObject({ replayed: false, account: { balance: 25 } });
    const reused = await entry(sec.cookie, 'entry-0001', {
      memberId: member.id,
      points: 21,
      source: 'service',
      reason: '楼道清扫志愿服务 2 小时',
    });
    expect(reused.json().code).toBe('points.key_reused');

    const tooMuch = await entry(ca.cookie, 'deduct-0001', {
      memberId: member.id,
      points: 30,
      source: 'deduction',
      reason: '无故缺席组织生活',
    });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json().detail).toBe('积分不足：现有 25 分，需要 30 分。');
    const ded = await entry(ca.cookie, 'deduct-0002', {
      memberId: member.id,
      points: 10,
      source: 'deduction',
      reason: '无故缺席组织生活',
    });
    expect(ded.json().account).toMatchObject({ balance: 15, earned: 25, spent: 10 });
    const audited = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'party_member'), eq(auditLog.entityId, String(member.id))));
    expect(audited.map((x) => x.action).filter((x) => x.startsWith('points.'))).toEqual([
      'points.award',
      'points.award',
      'points.deduct',
    ]);

    // The member reads their statement; staff read it too.
    const mine = (await t.get(member.cookie, '/api/v1/me/points')).json();
    expect(mine.account.balance).toBe(15);
    expect(mine.statement.items.map((x: { points: number }) => x.points)).toEqual([-10, 5, 20]);
    expect(mine.statement.items[2]).toMatchObject({
      source: 'service',
      evidence: '服务签到记录',
      kind: 'award',
    });
    const staff = (await t.get(sec.cookie, `/api/v1/party/members/${member.id}/points?limit=2`)).json();
    expect(staff.statement.items).toHaveLength(2);
    expect(staff.statement.nextCursor).not.toBeNull();
    const rest = (
      await t.get(
        sec.cookie,
        `/api/v1/party/members/${member.id}/points?limit=2&cursor=${staff.statement.nextCursor}`,
      )
    ).json();
    expect(rest.statement.items.map((x: { points: number }) => x.points)).toEqual([20]);
  });

  it('asks for a key, refuses bad input in words, and keeps to the region', async () => {
    const noKey = await t.send(ca.cookie, 'POST', '/api/v1/points/entries', {
      memberId: member.id,
      points: 5,
      source: 'activity',
      reason: '参加主题党日',
    });
    expect(noKey.statusCode).toBe(400);
    const bad = await entry(ca.cookie, 'bad-00001', {
      memberId: member.id,
      points: 0,
      source: 'activity',
      reason: '',
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['points', 'reason']);
    expect(
      (
        await entry(resident.cookie, 'res-00001', {
          memberId: member.id,
          points: 5,
          source: 'activity',
          reason: 'x',
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await entry(cb.cookie, 'cb-000001', {
          memberId: member.id,
          points: 5,
          source: 'activity',
          reason: 'x',
        })
      ).statusCode,
    ).toBe(404);
    expect((await t.get(cb.cookie, `/api/v1/party/members/${member.id}/points`)).statusCode).toBe(404);
    expect((await t.get(resident.cookie, '/api/v1/me/points')).json()).toEqual({
      account: null,
      statement: { items: [], nextCursor: null },
    });
  });
});
