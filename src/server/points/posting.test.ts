import { and, asc, eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../auth/tables.ts';
import { loadConfig } from '../config.ts';
import { fixedClock } from '../core/clock.ts';
import { type Ctx, inRetriedTransaction } from '../core/context.ts';
import { makeIdNumber } from '../party/id-number.ts';
import { partyMembers, partyOrgs } from '../party/tables.ts';
import {
  compoundUser,
  createTestApp,
  loginAs,
  makeCompound,
  makeUser,
  regionPath,
  regionUser,
  type TestApp,
} from '../test/app.ts';
import { workCalendar } from '../tickets/worktime.ts';
import { issuerAccount, memberAccount, transfer } from './ledger.ts';
import {
  freezeQuarter,
  objectionDeadline,
  previousQuarter,
  quarterBounds,
  quarterOf,
  sweepPostings,
} from './posting.ts';
import { pointsAccounts, pointsPostingRows, pointsPostings } from './tables.ts';

let t: TestApp;
let community: string;
let other: string;
let ca: { cookie: string };
let cb: { cookie: string };
let sec: { cookie: string };
let phoneA: string;
const m: Record<string, number> = {};
const org: Record<string, number> = {};
const cal = workCalendar();

let seq = 0;
const idNo = () => makeIdNumber('140212', '1966-06-06', 2 * ++seq + 1, 'male');

const ctxAt = (iso: string): Ctx => ({
  db: t.db,
  actor: null,
  clock: fixedClock(new Date(iso)),
  ip: null,
  locale: 'zh-CN',
  log: pino({ level: 'silent' }),
});

let keySeq = 0;
/** A transfer at a given instant: an award or a deduction with the community, or a spend at a merchant. */
async function move(
  kind: 'award' | 'deduct' | 'redeem',
  who: number,
  amount: number,
  at: string,
  where = community,
) {
  const ctx = ctxAt(at);
  await inRetriedTransaction(ctx, async (tx) => {
    const issuer = await issuerAccount(tx, where);
    const mine = await memberAccount(tx, who);
    const [merchant] = await tx.db
      .select({ id: pointsAccounts.id })
      .from(pointsAccounts)
      .where(eq(pointsAccounts.kind, 'merchant'))
      .limit(1);
    const [from, to] =
      kind === 'award' ? [issuer, mine] : kind === 'deduct' ? [mine, issuer] : [mine, merchant?.id as number];
    await transfer(tx, {
      key: `posting-test-${++keySeq}`,
      kind,
      fromAccountId: from,
      toAccountId: to,
      amount,
      source: kind === 'redeem' ? null : kind === 'deduct' ? 'deduction' : 'activity',
      reason: '公示测试',
    });
  });
}

async function addMember(name: string, compoundId: number, phone?: string) {
  const res = await t.send(ca.cookie, 'POST', '/api/v1/party/members', {
    name,
    idNumber: idNo(),
    compoundId,
    ledger: 'direct',
    ...(phone ? { phone } : {}),
  });
  if (res.statusCode !== 200) throw new Error(res.body);
  return res.json().id as number;
}

async function branch(name: string, members: number[]) {
  const now = new Date();
  const [o] = await t.db
    .insert(partyOrgs)
    .values({
      kind: 'branch',
      name,
      communityCode: community,
      countyCode: community.slice(0, 6),
      path: await regionPath(t.db, community),
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: partyOrgs.id });
  for (const id of members)
    await t.db.update(partyMembers).set({ orgId: o?.id }).where(eq(partyMembers.id, id));
  return o?.id as number;
}

const Q3 = (iso: string) => `2026-${iso}+08:00`;

beforeAll(async () => {
  t = await createTestApp();
  community = await t.freshCommunity('140213');
  other = await t.freshCommunity('140213', [community]);
  const X = (await makeCompound(t.db, community, '公示甲区')).compound;
  const Y = (await makeCompound(t.db, community, '公示乙区')).compound;
  const Z = (await makeCompound(t.db, community, '公示丙区')).compound;
  const W = (await makeCompound(t.db, other, '公示外区')).compound;
  ca = await regionUser(t, 'communityAdmin', community);
  cb = await regionUser(t, 'communityAdmin', other);
  sec = await compoundUser(t, 'compoundSecretary', X);
  const uA = await makeUser(t.db, { name: '欧阳明日' });
  phoneA = uA.phone;
  m.A = await addMember('欧阳明日', X.id, uA.phone);
  m.B = await addMember('李四', X.id);
  m.C = await addMember('王五', X.id);
  m.D = await addMember('赵六', X.id);
  m.F = await addMember('钱七', Y.id);
  m.G = await addMember('孙八', Y.id);
  m.I = await addMember('周九', Y.id);
  m.H = await addMember('吴十', Z.id);
  m.J = await addMember('郑已故', Z.id);
  org.X = await branch('公示甲区支部', [m.A, m.B, m.C, m.D] as number[]);
  org.Y = await branch('公示乙区支部', [m.F, m.G, m.I] as number[]);
  const merchant = await t.send(ca.cookie, 'POST', '/api/v1/points/merchants', {
    name: '公示测试商店',
    communityCode: community,
  });
  if (merchant.statusCode !== 200) throw new Error(merchant.body);
  // The quarter's earnings, hand-computed in the first test.
  await move('award', m.A as number, 10, Q3('06-30T23:59:59')); // Q2: not counted
  await move('award', m.A as number, 30, Q3('07-01T00:00:00')); // first instant of Q3
  await move('award', m.B as number, 20, Q3('08-10T09:00:00'));
  await move('award', m.B as number, 10, Q3('09-12T09:00:00'));
  await move('award', m.C as number, 25, Q3('07-15T09:00:00'));
  await move('deduct', m.C as number, 5, Q3('08-15T09:00:00')); // deductions count against
  await move('award', m.F as number, 40, Q3('09-30T23:59:59')); // last second of Q3
  await move('award', m.F as number, 100, Q3('10-01T00:00:00')); // Q4: not counted
  await move('award', m.G as number, 20, Q3('07-20T09:00:00'));
  await move('redeem', m.G as number, 15, Q3('08-20T09:00:00')); // spending does not count
  await move('award', m.I as number, 5, Q3('09-01T09:00:00'));
  await move('award', m.H as number, 30, Q3('07-02T09:00:00'));
  await move('award', m.J as number, 50, Q3('07-02T09:00:00'));
  await t.db
    .update(partyMembers)
    .set({ status: 'deceased' })
    .where(eq(partyMembers.id, m.J as number));
  // The other community only starts issuing points in Q4: it has nothing to post for Q3.
  const w = await t.send(cb.cookie, 'POST', '/api/v1/party/members', {
    name: '外区党员',
    idNumber: idNo(),
    compoundId: W.id,
    ledger: 'direct',
  });
  m.W = w.json().id;
  await move('award', m.W as number, 7, Q3('10-08T09:00:00'), other);
}, 120_000);
afterAll(async () => t?.close());

describe('quarters and the objection period', () => {
  it('cuts quarters at midnight in Asia/Shanghai', () => {
    expect(quarterBounds(2026, 3)).toEqual({
      start: new Date('2026-06-30T16:00:00Z'),
      end: new Date('2026-09-30T16:00:00Z'),
    });
    expect(quarterBounds(2026, 4).end).toEqual(new Date('2026-12-31T16:00:00Z'));
    expect(quarterOf(new Date('2026-09-30T15:59:59Z'))).toEqual({ year: 2026, quarter: 3 });
    expect(quarterOf(new Date('2026-09-30T16:00:00Z'))).toEqual({ year: 2026, quarter: 4 });
    expect(quarterOf(new Date('2026-12-31T16:00:00Z'))).toEqual({ year: 2027, quarter: 1 });
    expect(previousQuarter({ year: 2027, quarter: 1 })).toEqual({ year: 2026, quarter: 4 });
    expect(() => quarterBounds(2026, 5)).toThrow();
  });

  it('ends after N working days of the official calendar, holidays, make-up days and overrides included', () => {
    // Frozen on a Thursday: Fri 27, Mon 30, Tue 1, Wed 2, Thu 3.
    expect(objectionDeadline(cal, new Date('2026-11-26T08:00:00+08:00'), 5)).toBe('2026-12-03');
    // Frozen in the night the quarter ends, on National Day: 1–7 October are holidays, Saturday
    // 10 October a make-up working day: 8, 9, 10, 12, 13.
    expect(objectionDeadline(cal, new Date('2026-10-01T00:30:00+08:00'), 5)).toBe('2026-10-13');
    // 23:59 on 30 September in Beijing is still the 30th: the 1st counts as day one… but is a holiday.
    expect(objectionDeadline(cal, new Date('2026-09-30T15:59:00Z'), 1)).toBe('2026-10-08');
    // An administrator's override (a local holiday on 2 December) moves it a day.
    const local = workCalendar([{ date: '2026-12-02', workday: false }]);
    expect(objectionDeadline(local, new Date('2026-11-26T08:00:00+08:00'), 5)).toBe('2026-12-04');
    expect(objectionDeadline(cal, new Date('2026-11-26T08:00:00+08:00'), 1)).toBe('2026-11-27');
    expect(() => objectionDeadline(cal, new Date(), 0)).toThrow();
  });

  it('takes its length from POINTS_OBJECTION_WORKDAYS, 5 by default', () => {
    expect(loadConfig({}, []).objectionWorkdays).toBe(5);
    expect(loadConfig({ POINTS_OBJECTION_WORKDAYS: '10' }, []).objectionWorkdays).toBe(10);
    expect(() => loadConfig({ POINTS_OBJECTION_WORKDAYS: '0' }, [])).toThrow(/POINTS_OBJECTION_WORKDAYS/);
    expect(() => loadConfig({ POINTS_OBJECTION_WORKDAYS: '五' }, [])).toThrow(/POINTS_OBJECTION_WORKDAYS/);
  });
});

describe('the quarterly posting (季度公示)', () => {
  it('freezes each normal member’s earnings with ranks in the community and the branch, once', async () => {
    await expect(freezeQuarter(t.db, t.clock, 2026, 4)).rejects.toThrow(/not ended/);
    const done = await freezeQuarter(t.db, t.clock, 2026, 3, { calendar: cal });
    expect(done).toEqual({ postings: 1, rows: 8, objectionUntil: '2026-12-03' });
    const [p] = await t.db.select().from(pointsPostings).where(eq(pointsPostings.communityCode, community));
    expect(p).toMatchObject({ year: 2026, quarter: 3, status: 'objection', objectionUntil: '2026-12-03' });
    expect(p?.path).toBe(await regionPath(t.db, community));
    const rows = await t.db
      .select()
      .from(pointsPostingRows)
      .where(eq(pointsPostingRows.postingId, p?.id as number))
      .orderBy(asc(pointsPostingRows.communityRank), asc(pointsPostingRows.memberId));
    const line = (r: (typeof rows)[number]) => [
      r.nameMasked,
      r.points,
      r.communityRank,
      r.branchRank,
      r.orgId,
    ];
    // 40 ranks first; three tie at 30 and share second; two tie at 20 and share fifth; then 5, then 0.
    expect(rows.map(line)).toEqual([
      ['钱*', 40, 1, 1, org.Y],
      ['欧***', 30, 2, 1, org.X],
      ['李*', 30, 2, 1, org.X],
      ['吴*', 30, 2, null, null],
      ['王*', 20, 5, 3, org.X],
      ['孙*', 20, 5, 2, org.Y],
      ['周*', 5, 7, 3, org.Y],
      ['赵*', 0, 8, 4, org.X],
    ]);
    // Again (or on a second instance): nothing more.
    expect(await freezeQuarter(t.db, t.clock, 2026, 3, { calendar: cal })).toMatchObject({
      postings: 0,
      rows: 0,
    });
    expect(await t.db.select({ n: sql<number>`count(*)::int` }).from(pointsPostingRows)).toEqual([{ n: 8 }]);
    // The other community issued its first points after the quarter: no posting of zeros for it.
    expect(await t.db.select().from(pointsPostings).where(eq(pointsPostings.communityCode, other))).toEqual(
      [],
    );
    const [logged] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'points.posting.freeze'));
    expect(logged?.detail).toMatchObject({ year: 2026, quarter: 3, postings: 1, rows: 8 });
  });

  it('shows members their community’s posting, their line and a branch; takes objections while open; staff answer', async () => {
    const cookie = await loginAs(t.app, phoneA);
    const res = await t.get(cookie, '/api/v1/me/points/posting');
    expect(res.statusCode).toBe(200);
    const view = res.json();
    expect(view.mine).toMatchObject({
      memberId: m.A,
      name: '欧***',
      points: 30,
      communityRank: 2,
      branchRank: 1,
    });
    expect(view.posting).toMatchObject({
      year: 2026,
      quarter: 3,
      open: true,
      members: 8,
      can: { object: true },
    });
    expect(
      view.posting.rows.filter((r: { mine: boolean }) => r.mine).map((r: { memberId: number }) => r.memberId),
    ).toEqual([m.A]);
    expect(view.posting.branches.map((b: { name: string }) => b.name)).toEqual([
      '公示乙区支部',
      '公示甲区支部',
    ]);
    // One branch: its members in branch order.
    const inX = (await t.get(cookie, `/api/v1/me/points/posting?orgId=${org.X}`)).json().posting.rows;
    expect(inX.map((r: { branchRank: number }) => r.branchRank)).toEqual([1, 1, 3, 4]);

    const objectTo = (body: object) =>
      t.send(cookie, 'POST', `/api/v1/me/points/postings/${view.posting.id}/objections`, body);
    const o = await objectTo({ text: '王五七月参加了两次活动，只记了一次', aboutMemberId: m.C });
    expect(o.statusCode).toBe(200);
    expect(o.json()).toMatchObject({ status: 'open', about: { memberId: m.C, name: '王*' } });
    expect((await objectTo({ text: '再提一次', aboutMemberId: m.C })).json().code).toBe('objection.exists');
    expect((await objectTo({ text: '不在名单', aboutMemberId: m.W })).json().code).toBe(
      'objection.not_in_posting',
    );
    expect((await objectTo({ text: '整体有疑问' })).statusCode).toBe(200);
    // Another community's posting is not mine to object to; someone with no record cannot.
    expect(
      (await t.get(await loginAs(t.app, (await makeUser(t.db)).phone), '/api/v1/me/points/posting')).json()
        .code,
    ).toBe('points.members_only');

    // Staff: the list with its counts, the posting with every objection; the community answers.
    const list = (await t.get(sec.cookie, '/api/v1/points/postings')).json();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: view.posting.id, objections: { open: 2, total: 2 }, members: 8 });
    expect((await t.get(cb.cookie, '/api/v1/points/postings')).json()).toEqual([]);
    expect((await t.get(cb.cookie, `/api/v1/points/postings/${view.posting.id}`)).statusCode).toBe(404);
    const detail = (await t.get(ca.cookie, `/api/v1/points/postings/${view.posting.id}`)).json();
    expect(detail.can.resolve).toBe(true);
    expect(detail.objectionList.map((x: { member: string }) => x.member)).toEqual(['欧***', '欧***']);
    const resolve = (who: string, body: object) =>
      t.send(who, 'POST', `/api/v1/points/objections/${o.json().id}/resolve`, body);
    // The compound secretary reads it but the community answers.
    expect((await t.get(sec.cookie, `/api/v1/points/postings/${view.posting.id}`)).json().can.resolve).toBe(
      false,
    );
    expect((await resolve(sec.cookie, { decision: 'uphold', reply: '属实' })).statusCode).toBe(403);
    expect((await resolve(cb.cookie, { decision: 'uphold', reply: '属实' })).statusCode).toBe(404);
    const reply = '经核实异议成立。公示表冻结后不再修改，已通过积分记录为王五补记 5 分，计入本季度。';
    const up = await resolve(ca.cookie, { decision: 'uphold', reply });
    expect(up.json()).toMatchObject({ status: 'upheld', reply, resolvedBy: '测***' });
    expect((await resolve(ca.cookie, { decision: 'dismiss', reply: '不成立' })).json().code).toBe(
      'objection.resolved',
    );
    // The frozen line did not change.
    const again = (await t.get(cookie, '/api/v1/me/points/posting')).json();
    expect(again.posting.rows.find((r: { memberId: number }) => r.memberId === m.C).points).toBe(20);
    expect(again.posting.objectionList.find((x: { id: number }) => x.id === o.json().id)).toMatchObject({
      status: 'upheld',
      reply,
    });
    const audited = await t.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'points_objection'), eq(auditLog.entityId, String(o.json().id))));
    expect(audited.map((a) => a.action).sort()).toEqual([
      'points.objection.create',
      'points.objection.uphold',
    ]);
  });

  it('is final after the period (objections refused), and archived once the next quarter’s is final', async () => {
    // 4 December: the period ended on the 3rd.
    t.clock.set(new Date('2026-12-04T09:00:00+08:00'));
    const cookie = await loginAs(t.app, phoneA);
    const current = (await t.get(cookie, '/api/v1/me/points/posting')).json().posting;
    expect(current.open).toBe(false);
    const late = await t.send(cookie, 'POST', `/api/v1/me/points/postings/${current.id}/objections`, {
      text: '晚了',
    });
    expect(late.json()).toMatchObject({
      code: 'posting.closed',
      detail: '公示期已于 2026-12-03 结束，不再受理异议。',
    });
    // The sweep in Q4 has no quarter to freeze (Q3 is frozen) and makes Q3 final.
    const clock = fixedClock(new Date('2026-12-04T09:00:00+08:00'));
    expect(await sweepPostings(t.db, clock, { calendar: cal })).toEqual({
      frozen: 0,
      finalised: 1,
      archived: 0,
    });
    expect(await sweepPostings(t.db, clock, { calendar: cal })).toEqual({
      frozen: 0,
      finalised: 0,
      archived: 0,
    });
    // In January: Q4 is frozen for both communities (the other one now issues), in objection.
    clock.set(new Date('2027-01-01T00:10:00+08:00'));
    expect(await sweepPostings(t.db, clock, { objectionWorkdays: 3, calendar: cal })).toEqual({
      frozen: 2,
      finalised: 0,
      archived: 0,
    });
    const q4 = await t.db
      .select()
      .from(pointsPostings)
      .where(and(eq(pointsPostings.year, 2026), eq(pointsPostings.quarter, 4)))
      .orderBy(asc(pointsPostings.communityCode));
    // 1 January 2027 is a Friday (the 2027 holidays are not published yet: weekends only): 4, 5, 6.
    expect(q4.map((p) => [p.communityCode, p.status, p.objectionUntil])).toEqual([
      [community, 'objection', '2027-01-06'],
      [other, 'objection', '2027-01-06'],
    ]);
    const fRow = await t.db
      .select()
      .from(pointsPostingRows)
      .where(
        and(
          eq(pointsPostingRows.postingId, q4[0]?.id as number),
          eq(pointsPostingRows.memberId, m.F as number),
        ),
      );
    expect(fRow[0]).toMatchObject({ points: 100, communityRank: 1 });
    // The member sees Q4 as current, and Q3 among the earlier ones.
    t.clock.set(new Date('2027-01-04T09:00:00+08:00'));
    const view = (await t.get(await loginAs(t.app, phoneA), '/api/v1/me/points/posting')).json();
    expect(view.posting).toMatchObject({ year: 2026, quarter: 4, open: true });
    expect(view.history.map((h: { quarter: number; status: string }) => [h.quarter, h.status])).toEqual([
      [4, 'objection'],
      [3, 'final'],
    ]);
    // Q4's period over: it is final, and Q3, replaced, is archived.
    clock.set(new Date('2027-01-07T01:00:00+08:00'));
    expect(await sweepPostings(t.db, clock, { calendar: cal })).toEqual({
      frozen: 0,
      finalised: 2,
      archived: 1,
    });
    const q3 = await t.db
      .select()
      .from(pointsPostings)
      .where(and(eq(pointsPostings.year, 2026), eq(pointsPostings.quarter, 3)));
    expect(q3[0]).toMatchObject({ status: 'archived' });
    expect(q3[0]?.archivedAt).toEqual(new Date('2027-01-07T01:00:00+08:00'));
    // Staff filter by status.
    expect(
      (
        await t.get(
          (
            await regionUser(t, 'countyAdmin', '140213')
          ).cookie,
          '/api/v1/points/postings?status=final',
        )
      )
        .json()
        .map((p: { quarter: number }) => p.quarter),
    ).toEqual([4, 4]);
  });
});
