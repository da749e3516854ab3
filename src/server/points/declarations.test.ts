import { and, eq, like } from 'drizzle-orm';
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
import { testJpeg } from '../test/images.ts';
import { multipart } from '../test/multipart.ts';
import { pointsTransfers } from './tables.ts';

let t: TestApp;
let X: { id: number; path: string };
let ca: { cookie: string };
let cb: { cookie: string };
let sec: { cookie: string };
let resident: { cookie: string };
let county: { cookie: string };
const COUNTY = '140213';

let seq = 0;
const idNo = () => makeIdNumber('140212', '1972-08-08', 2 * ++seq + 1, 'female');

/** A member on the ledger of X, signed in on the phone. */
async function member(name = '申报党员') {
  const u = await makeUser(t.db, { name });
  const m = await t.send(ca.cookie, 'POST', '/api/v1/party/members', {
    name,
    idNumber: idNo(),
    compoundId: X.id,
    ledger: 'direct',
    phone: u.phone,
  });
  if (m.statusCode !== 200) throw new Error(m.body);
  const cookie = await loginAs(t.app, u.phone);
  await t.get(cookie, '/api/v1/me/party'); // links the record to the account, as 我的 does
  return { cookie, id: m.json().id as number };
}

const declare = (cookie: string, body: object) =>
  t.send(cookie, 'POST', '/api/v1/me/points/declarations', body);
const decide = (cookie: string, id: number, body: object) =>
  t.send(cookie, 'POST', `/api/v1/points/declarations/${id}/decide`, body);
const balance = async (cookie: string) =>
  (await t.get(cookie, '/api/v1/me/points')).json().account?.balance ?? 0;

async function upload(cookie: string) {
  const body = multipart([{ name: 'photos', filename: 'a.jpg', data: await testJpeg() }]);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/me/points/declarations/photos',
    headers: { cookie, 'sec-fetch-site': 'same-origin', ...body.headers },
    payload: body.payload,
  });
  return res;
}

beforeAll(async () => {
  t = await createTestApp();
  const community = await t.freshCommunity(COUNTY);
  const other = await t.freshCommunity(COUNTY, [community]);
  X = (await makeCompound(t.db, community, '申报一区')).compound;
  await makeCompound(t.db, other, '申报外区');
  ca = await regionUser(t, 'communityAdmin', community);
  cb = await regionUser(t, 'communityAdmin', other);
  sec = await compoundUser(t, 'compoundSecretary', X);
  resident = await compoundUser(t, 'resident', X);
  county = await regionUser(t, 'countyAdmin', COUNTY);
});
afterAll(async () => t?.close());

describe('self-declaration (自主申报)', () => {
  it('offers the county’s declarable sources with their caps, and refuses the others in words', async () => {
    const me = await member();
    const mine = (await t.get(me.cookie, '/api/v1/me/points/declarations')).json();
    expect(mine.items).toEqual([]);
    expect(mine.declarable.map((d: { source: string }) => d.source)).toEqual([
      'activity',
      'selfDeclared',
      'praise',
    ]);
    expect(mine.declarable[0]).toMatchObject({ points: 5, unit: 'entry', maxPerEntry: 20 });

    const service = await declare(me.cookie, { source: 'service', description: '扫雪两小时', points: 10 });
    expect(service.statusCode).toBe(400);
    expect(service.json().detail).toBe('“志愿服务时长”积分不能由本人申报，请联系社区党组织登记。');
    const over = await declare(me.cookie, { source: 'activity', description: '参加党日活动', points: 21 });
    expect(over.json().detail).toBe('单笔“参加活动”积分不能超过本县（区）规定的上限 20 分。');
    const empty = await declare(me.cookie, { source: 'activity', description: ' ', points: 5 });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0].path).toBe('description');

    // The county turns praise off for declarations: it is refused from then on.
    const rules = (await t.get(county.cookie, `/api/v1/points/rules/${COUNTY}`)).json().rules;
    const off = await t.send(county.cookie, 'PUT', `/api/v1/points/rules/${COUNTY}`, {
      rules: rules.map((r: { source: string; declarable: boolean }) => ({
        source: r.source,
        points: (r as unknown as { points: number }).points,
        unit: (r as unknown as { unit: string }).unit,
        maxPerEntry: (r as unknown as { maxPerEntry: number }).maxPerEntry,
        declarable: r.source === 'praise' ? false : r.declarable,
      })),
    });
    expect(off.statusCode).toBe(200);
    expect(
      (await declare(me.cookie, { source: 'praise', description: '居民表扬', points: 5 })).json().code,
    ).toBe('declaration.not_declarable');
    expect(
      (await t.get(me.cookie, '/api/v1/me/points/declarations'))
        .json()
        .declarable.map((d: { source: string }) => d.source),
    ).toEqual(['activity', 'selfDeclared']);

    // Not a member: refused, for the list, the form and the photos alike.
    for (const res of [
      await t.get(resident.cookie, '/api/v1/me/points/declarations'),
      await declare(resident.cookie, { source: 'activity', description: '参加活动', points: 5 }),
      await upload(resident.cookie),
    ]) {
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('points.members_only');
    }
  });

  it('approves once under a double submission and a double click, posting from the community', async () => {
    const me = await member('双击党员');
    const photo = await upload(me.cookie);
    expect(photo.statusCode).toBe(200);
    const photoId = photo.json()[0].id;
    const body = {
      source: 'activity',
      description: '11月20日参加社区垃圾分类宣传活动',
      evidence: '社区活动签到表',
      photoIds: [photoId],
      points: 8,
    };
    // The form sent twice (a double tap): one declaration.
    const [a, b] = await Promise.all([declare(me.cookie, body), declare(me.cookie, body)]);
    expect(a.statusCode).toBe(200);
    expect(b.statusCode).toBe(200);
    expect(b.json().id).toBe(a.json().id);
    const d = a.json();
    expect(d).toMatchObject({
      status: 'pending',
      points: 8,
      approvedPoints: null,
      member: { name: '双击党员' },
      photos: [{ id: photoId }],
      can: { decide: false },
    });
    // Staff of the place see it, masked, and may decide it; the photo is theirs and the member's to see.
    const listed = (await t.get(sec.cookie, '/api/v1/points/declarations')).json().items;
    const row = listed.find((x: { id: number }) => x.id === d.id);
    expect(row).toMatchObject({ member: { name: '双***', compound: '申报一区' }, can: { decide: true } });
    for (const cookie of [me.cookie, sec.cookie, ca.cookie])
      expect(
        (await t.get(cookie, `/api/v1/points/declarations/${d.id}/photos/${photoId}?variant=thumb`))
          .statusCode,
      ).toBe(200);
    expect((await t.get(cb.cookie, `/api/v1/points/declarations/${d.id}/photos/${photoId}`)).statusCode).toBe(
      404,
    );

    // Two clicks on 通过 at once: both answer with the approval, the points move once.
    const before = await balance(me.cookie);
    const [x, y] = await Promise.all([
      decide(ca.cookie, d.id, { decision: 'approve' }),
      decide(ca.cookie, d.id, { decision: 'approve' }),
    ]);
    expect(x.statusCode).toBe(200);
    expect(y.statusCode).toBe(200);
    expect(x.json()).toMatchObject({ status: 'approved', approvedPoints: 8, decidedBy: '测***' });
    expect(await balance(me.cookie)).toBe(before + 8);
    const posted = await t.db
      .select()
      .from(pointsTransfers)
      .where(like(pointsTransfers.idempotencyKey, `declaration:${d.id}`));
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({
      kind: 'award',
      source: 'activity',
      amount: 8,
      evidence: '社区活动签到表',
    });
    // The statement says where it came from and who approved it.
    const statement = (await t.get(me.cookie, '/api/v1/me/points')).json().statement.items;
    expect(statement[0]).toMatchObject({ points: 8, source: 'activity', approvedBy: '测***' });
    expect(statement[0].reason).toBe('自主申报：11月20日参加社区垃圾分类宣传活动');
    // Decided: rejecting it now is refused, and it is no longer pending.
    expect((await decide(ca.cookie, d.id, { decision: 'reject', reason: '重复' })).json().code).toBe(
      'declaration.decided',
    );
    expect(
      (await t.get(ca.cookie, '/api/v1/points/declarations'))
        .json()
        .items.some((i: { id: number }) => i.id === d.id),
    ).toBe(false);
    expect(
      (await t.get(ca.cookie, '/api/v1/points/declarations?status=approved'))
        .json()
        .items.some((i: { id: number }) => i.id === d.id),
    ).toBe(true);
    const audited = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'points_declaration'), eq(auditLog.entityId, String(d.id))));
    expect(audited.map((l) => l.action).sort()).toEqual([
      'points.declaration.approve',
      'points.declaration.create',
    ]);
  });

  it('approves fewer points than asked only with a reason, never more', async () => {
    const me = await member('核减党员');
    const d = (
      await declare(me.cookie, { source: 'selfDeclared', description: '帮助邻居搬运物资', points: 10 })
    ).json();
    expect((await decide(ca.cookie, d.id, { decision: 'approve', points: 12 })).json().detail).toBe(
      '核定积分不能多于申报的 10 分。',
    );
    expect((await decide(ca.cookie, d.id, { decision: 'approve', points: 6 })).json().detail).toBe(
      '核定积分少于申报的 10 分时，请填写理由。',
    );
    const ok = await decide(ca.cookie, d.id, {
      decision: 'approve',
      points: 6,
      reason: '时长不足，按 6 分核定',
    });
    expect(ok.json()).toMatchObject({
      status: 'approved',
      points: 10,
      approvedPoints: 6,
      reason: '时长不足，按 6 分核定',
    });
    expect(await balance(me.cookie)).toBe(6);
    const mine = (await t.get(me.cookie, '/api/v1/me/points/declarations')).json().items;
    expect(mine[0]).toMatchObject({
      id: d.id,
      status: 'approved',
      approvedPoints: 6,
      reason: '时长不足，按 6 分核定',
    });
  });

  it('rejects with a reason, and keeps to the staff of the member’s place', async () => {
    const me = await member('驳回党员');
    const d = (await declare(me.cookie, { source: 'activity', description: '参加读书会', points: 5 })).json();
    // Someone else's community: not found; not party staff: refused; no reason: refused in words.
    expect((await decide(cb.cookie, d.id, { decision: 'reject', reason: '无' })).statusCode).toBe(404);
    expect((await t.get(cb.cookie, '/api/v1/points/declarations')).json().items).toEqual([]);
    expect((await decide(resident.cookie, d.id, { decision: 'reject', reason: '无' })).statusCode).toBe(403);
    expect((await t.get(resident.cookie, '/api/v1/points/declarations')).statusCode).toBe(403);
    const noReason = await decide(ca.cookie, d.id, { decision: 'reject' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].path).toBe('reason');
    const r = await decide(sec.cookie, d.id, {
      decision: 'reject',
      reason: '活动未在社区登记，请补充材料后重新申报',
    });
    expect(r.json()).toMatchObject({ status: 'rejected', approvedPoints: null });
    expect(await balance(me.cookie)).toBe(0);
    const mine = (await t.get(me.cookie, '/api/v1/me/points/declarations')).json().items;
    expect(mine[0]).toMatchObject({ status: 'rejected', reason: '活动未在社区登记，请补充材料后重新申报' });
    // Approving after a rejection is refused.
    expect((await decide(ca.cookie, d.id, { decision: 'approve' })).statusCode).toBe(409);
    // Someone else's photo cannot be attached to a declaration.
    const other = await member('他人党员');
    const theirs = (await upload(other.cookie)).json()[0].id;
    const stolen = await declare(me.cookie, {
      source: 'activity',
      description: '盗用照片',
      points: 5,
      photoIds: [theirs],
    });
    expect(stolen.json().code).toBe('file.not_found');
  });

  it('is refused when the county lowered its cap below what was asked', async () => {
    const me = await member('上限党员');
    const d = (
      await declare(me.cookie, { source: 'activity', description: '参加志愿宣讲', points: 20 })
    ).json();
    const rules = (await t.get(county.cookie, `/api/v1/points/rules/${COUNTY}`)).json().rules;
    await t.send(county.cookie, 'PUT', `/api/v1/points/rules/${COUNTY}`, {
      rules: rules.map((r: Record<string, unknown>) => ({
        source: r.source,
        points: r.points,
        unit: r.unit,
        maxPerEntry: r.source === 'activity' ? 15 : r.maxPerEntry,
        declarable: r.declarable,
      })),
    });
    const listed = (await t.get(ca.cookie, '/api/v1/points/declarations')).json().items;
    expect(listed.find((x: { id: number }) => x.id === d.id).maxPerEntry).toBe(15);
    expect((await decide(ca.cookie, d.id, { decision: 'approve' })).json().code).toBe('points.over_rule_cap');
    const ok = await decide(ca.cookie, d.id, { decision: 'approve', points: 15, reason: '按本县上限核定' });
    expect(ok.json().approvedPoints).toBe(15);
  });
});
