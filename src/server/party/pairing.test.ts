import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../auth/tables.ts';
import { households } from '../geo/tables.ts';
import {
  compoundUser,
  createTestApp,
  loginAs,
  makeCompound,
  makeUser,
  regionUser,
  type TestApp,
} from '../test/app.ts';
import { makeIdNumber } from './id-number.ts';

let t: TestApp;
let community: string;
let X: { id: number; path: string };
let building: { id: number };
let outside: { id: number };
type Who = { cookie: string; user: { phone: string } };
let ca: Who;
let cb: Who;
let sec: Who;
let resident: Who;
/** A member with an account (their record entered by staff with their phone). */
let paired: Who & { memberId: number };
let other: { memberId: number };

const START = new Date('2026-11-26T08:00:00+08:00');
const DAY = 86_400_000;
let seq = 0;
const idNo = () => makeIdNumber('140212', '1960-03-03', 2 * ++seq + 1, 'male');

beforeAll(async () => {
  t = await createTestApp();
  community = await t.freshCommunity('140213');
  const elsewhere = await t.freshCommunity('140213', [community]);
  const made = await makeCompound(t.db, community, '包联一区');
  X = made.compound;
  building = made.building;
  outside = (await makeCompound(t.db, elsewhere, '包联外区')).compound;
  ca = await regionUser(t, 'communityAdmin', community);
  cb = await regionUser(t, 'communityAdmin', elsewhere);
  sec = await compoundUser(t, 'compoundSecretary', X);
  resident = await compoundUser(t, 'resident', X);
  const u = await makeUser(t.db, { name: '结对党员' });
  paired = { user: u, cookie: await loginAs(t.app, u.phone), memberId: (await addMember(u.phone)).id };
  other = { memberId: (await addMember()).id };
});
afterAll(async () => t?.close());
afterEach(async () => at(0));

/** Moves the clock `days` from the start; sessions do not live that long, so everyone signs in again. */
async function at(days: number) {
  t.clock.set(new Date(START.getTime() + days * DAY));
  for (const who of [ca, cb, sec, resident, paired]) who.cookie = await loginAs(t.app, who.user.phone);
}

const post = (cookie: string, url: string, body: object = {}) => t.send(cookie, 'POST', url, body);

async function addMember(phone?: string) {
  const res = await post(ca.cookie, '/api/v1/party/members', {
    name: '李结对',
    idNumber: idNo(),
    compoundId: X.id,
    ledger: 'retired',
    ...(phone ? { phone } : {}),
  });
  if (res.statusCode !== 200) throw new Error(`member: ${res.body}`);
  return res.json() as { id: number; version: number };
}

async function mark(over: Record<string, unknown> = {}) {
  const res = await post(ca.cookie, '/api/v1/party/care', {
    headName: '赵独居',
    phone: '13700001234',
    compoundId: X.id,
    address: '1号楼2单元301',
    kinds: ['elderlyAlone', 'lowIncome'],
    visitEveryDays: 30,
    ...over,
  });
  if (res.statusCode !== 200) throw new Error(`mark: ${res.statusCode} ${res.body}`);
  return res.json();
}

describe('pairing (包联)', () => {
  it('marks a household, flags it unpaired, pairs a member, flags it overdue after the interval, and a visit from the phone clears it', async () => {
    const h = await mark();
    expect(h).toMatchObject({
      headName: '赵**',
      phone: '137****1234',
      kinds: ['elderlyAlone', 'lowIncome'],
      state: 'unpaired',
      dueOn: '2026-12-26',
      pairings: [],
    });
    const listed = (await t.get(sec.cookie, `/api/v1/party/care?compoundId=${X.id}&state=unpaired`)).json();
    expect(listed.items.map((x: { id: number }) => x.id)).toContain(h.id);

    const p = await post(ca.cookie, `/api/v1/party/care/${h.id}/pairings`, { memberId: paired.memberId });
    expect(p.statusCode).toBe(200);
    expect(p.json().pairings).toMatchObject([
      { member: { id: paired.memberId, name: '李**' }, startedOn: '2026-11-26' },
    ]);
    expect(p.json().state).toBe('onTrack');
    const twice = await post(ca.cookie, `/api/v1/party/care/${h.id}/pairings`, { memberId: paired.memberId });
    expect(twice.json().code).toBe('pairing.exists');

    // The member sees the household in full (they visit it); the phone is masked until asked for.
    const mine = (await t.get(paired.cookie, '/api/v1/me/party/care')).json();
    expect(mine).toMatchObject([{ id: h.id, headName: '赵独居', phone: '137****1234', state: 'onTrack' }]);
    const phone = await post(paired.cookie, `/api/v1/me/party/care/${h.id}/phone`);
    expect(phone.json()).toEqual({ phone: '13700001234' });

    await at(24);
    expect((await t.get(ca.cookie, `/api/v1/party/care/${h.id}`)).json().state).toBe('dueSoon');
    await at(33);
    const late = (await t.get(ca.cookie, `/api/v1/party/care/${h.id}`)).json();
    expect(late).toMatchObject({ state: 'overdue', overdueDays: 3 });
    const overdue = (await t.get(ca.cookie, `/api/v1/party/care?state=overdue`)).json();
    expect(overdue.items.map((x: { id: number }) => x.id)).toContain(h.id);
    const summary = (await t.get(ca.cookie, `/api/v1/party/care/summary?compoundId=${X.id}`)).json();
    expect(summary.byState.overdue).toBeGreaterThanOrEqual(1);
    expect(summary.compounds.find((c: { id: number }) => c.id === X.id).overdue).toBeGreaterThanOrEqual(1);

    const future = await post(paired.cookie, `/api/v1/me/party/care/${h.id}/visits`, {
      visitedOn: '2027-02-01',
      notes: '上门',
    });
    expect(future.json().code).toBe('visit.in_future');
    const v = await post(paired.cookie, `/api/v1/me/party/care/${h.id}/visits`, {
      visitedOn: '2026-12-28',
      mode: 'home',
      notes: '上门问候，检查了燃气和暖气',
      problemsFound: '卫生间水龙头漏水',
      problemsSolved: '已帮忙更换水龙头',
    });
    expect(v.statusCode).toBe(200);
    expect(v.json()).toMatchObject({
      state: 'onTrack',
      lastVisitedOn: '2026-12-28',
      dueOn: '2027-01-27',
      overdueDays: 0,
      visits: [{ visitedOn: '2026-12-28', problemsFound: '卫生间水龙头漏水', visitor: { name: '李**' } }],
    });
    // An older visit recorded late does not move the clock back.
    await post(paired.cookie, `/api/v1/me/party/care/${h.id}/visits`, {
      visitedOn: '2026-12-01',
      notes: '电话问候',
      mode: 'phone',
    });
    const detail = (await t.get(ca.cookie, `/api/v1/party/care/${h.id}`)).json();
    expect(detail).toMatchObject({ lastVisitedOn: '2026-12-28', dueOn: '2027-01-27' });
    expect(detail.visits).toHaveLength(2);
    expect(detail.history.map((e: { kind: string }) => e.kind)).toEqual(['paired', 'marked']);
  });

  it('starts the clock again when a household nobody looked after gets a member', async () => {
    const h = await mark({ headName: '钱空巢', kinds: ['emptyNest'], phone: undefined });
    await at(60);
    const p = (
      await post(ca.cookie, `/api/v1/party/care/${h.id}/pairings`, { memberId: other.memberId })
    ).json();
    expect(p).toMatchObject({ state: 'onTrack', dueOn: '2027-02-24', overdueDays: 0 });
  });

  it('staff record visits, their own or a paired member’s, and not a stranger’s', async () => {
    const h = await mark({ headName: '孙残疾', kinds: ['disabled'] });
    await post(ca.cookie, `/api/v1/party/care/${h.id}/pairings`, { memberId: other.memberId });
    const stranger = await post(sec.cookie, `/api/v1/party/care/${h.id}/visits`, {
      visitedOn: '2026-11-25',
      notes: '代记',
      memberId: paired.memberId,
    });
    expect(stranger.json().code).toBe('pairing.not_paired');
    const own = await post(sec.cookie, `/api/v1/party/care/${h.id}/visits`, {
      visitedOn: '2026-11-25',
      notes: '小区书记走访',
    });
    expect(own.json().visits[0]).toMatchObject({ visitor: null, notes: '小区书记走访' });
    const forMember = await post(sec.cookie, `/api/v1/party/care/${h.id}/visits`, {
      visitedOn: '2026-11-26',
      notes: '代党员补记',
      memberId: other.memberId,
    });
    expect(forMember.json().visits[0].visitor.id).toBe(other.memberId);
    // The member who is not paired with it can log nothing against it.
    const notMine = await post(paired.cookie, `/api/v1/me/party/care/${h.id}/visits`, {
      visitedOn: '2026-11-26',
      notes: 'x',
    });
    expect(notMine.statusCode).toBe(404);
  });

  it('refuses bad input in words and a stale edit, and keeps one open record per household', async () => {
    const none = await post(ca.cookie, '/api/v1/party/care', { headName: '周', compoundId: X.id, kinds: [] });
    expect(none.statusCode).toBe(400);
    const [hh] = await t.db
      .insert(households)
      .values({
        buildingId: building.id,
        unit: 1,
        room: '101',
        countyCode: community.slice(0, 6),
        path: X.path,
      })
      .returning();
    const a = await mark({
      headName: '吴低保',
      kinds: ['lowIncome'],
      buildingId: building.id,
      householdId: hh?.id,
    });
    const dup = await post(ca.cookie, '/api/v1/party/care', {
      headName: '吴低保',
      compoundId: X.id,
      householdId: hh?.id,
      kinds: ['lowIncome'],
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('care.household_taken');
    expect(dup.json().detail).toContain('已登记');

    const ok = await t.send(ca.cookie, 'PATCH', `/api/v1/party/care/${a.id}`, {
      visitEveryDays: 14,
      version: a.version,
    });
    expect(ok.json()).toMatchObject({ visitEveryDays: 14, version: a.version + 1 });
    const stale = await t.send(ca.cookie, 'PATCH', `/api/v1/party/care/${a.id}`, {
      note: '旧页面',
      version: a.version,
    });
    expect(stale.json().code).toBe('care.stale');
    const edit = (await t.get(ca.cookie, `/api/v1/party/care/${a.id}`)).json();
    expect(edit.history[0]).toMatchObject({
      kind: 'updated',
      data: { visitEveryDays: { from: 30, to: 14 } },
    });
  });

  it('closes a household: pairings end, the member no longer sees it, nothing more can change', async () => {
    const h = await mark({ headName: '郑特困', kinds: ['extremePoverty'] });
    await post(ca.cookie, `/api/v1/party/care/${h.id}/pairings`, { memberId: paired.memberId });
    const closed = await post(ca.cookie, `/api/v1/party/care/${h.id}/close`, {
      reason: '已入住养老院',
      version: h.version,
    });
    expect(closed.json()).toMatchObject({ status: 'closed', state: 'closed', pairings: [] });
    expect(closed.json().pastPairings[0]).toMatchObject({ endReason: '已入住养老院', endedOn: '2026-11-26' });
    const mine = (await t.get(paired.cookie, '/api/v1/me/party/care')).json();
    expect(mine.map((x: { id: number }) => x.id)).not.toContain(h.id);
    const again = await post(ca.cookie, `/api/v1/party/care/${h.id}/pairings`, { memberId: other.memberId });
    expect(again.json().code).toBe('care.closed');
    const list = (await t.get(ca.cookie, `/api/v1/party/care?compoundId=${X.id}`)).json();
    expect(list.items.map((x: { id: number }) => x.id)).not.toContain(h.id);
    const closedList = (await t.get(ca.cookie, `/api/v1/party/care?compoundId=${X.id}&state=closed`)).json();
    expect(closedList.items.map((x: { id: number }) => x.id)).toContain(h.id);
  });

  it('ends a pairing with a reason, kept in the history', async () => {
    const h = await mark({ headName: '冯留守', kinds: ['leftBehindChild'] });
    const p = (
      await post(ca.cookie, `/api/v1/party/care/${h.id}/pairings`, { memberId: other.memberId })
    ).json();
    const pid = p.pairings[0].id;
    const ended = await post(sec.cookie, `/api/v1/party/pairings/${pid}/end`, { reason: '党员搬离本小区' });
    expect(ended.json()).toMatchObject({ state: 'unpaired', pairings: [] });
    expect(ended.json().history[0]).toMatchObject({ kind: 'unpaired', data: { reason: '党员搬离本小区' } });
    expect(
      (await post(sec.cookie, `/api/v1/party/pairings/${pid}/end`, { reason: '再次' })).json().code,
    ).toBe('pairing.ended');
  });

  it('keeps households to their region, masks them, and audits every full read', async () => {
    const h = await mark({ headName: '陈大病', kinds: ['seriousIllness'] });
    expect((await t.get(resident.cookie, '/api/v1/party/care')).statusCode).toBe(403);
    expect((await t.get(cb.cookie, `/api/v1/party/care/${h.id}`)).statusCode).toBe(404);
    const theirs = (await t.get(cb.cookie, '/api/v1/party/care')).json();
    expect(theirs.items.map((x: { id: number }) => x.id)).not.toContain(h.id);
    expect(
      (await post(cb.cookie, `/api/v1/party/care/${h.id}/pairings`, { memberId: other.memberId })).statusCode,
    ).toBe(404);
    // A member of another community is not one staff here may pair.
    const theirMember = await post(cb.cookie, '/api/v1/party/members', {
      name: '外社区党员',
      idNumber: idNo(),
      compoundId: outside.id,
      ledger: 'direct',
    });
    const cross = await post(ca.cookie, `/api/v1/party/care/${h.id}/pairings`, {
      memberId: theirMember.json().id,
    });
    expect(cross.json().code).toBe('member.not_found');
    // 小区书记 see and work the list but do not unmask it.
    expect((await post(sec.cookie, `/api/v1/party/care/${h.id}/reveal`)).statusCode).toBe(403);
    const full = await post(ca.cookie, `/api/v1/party/care/${h.id}/reveal`);
    expect(full.json()).toEqual({ headName: '陈大病', phone: '13700001234' });
    const audited = await t.db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.action, 'pii.reveal'),
          eq(auditLog.entity, 'party_care_household'),
          eq(auditLog.entityId, String(h.id)),
        ),
      );
    expect(audited).toHaveLength(1);
    // Someone with no party record has no households.
    expect((await t.get(resident.cookie, '/api/v1/me/party/care')).json()).toEqual([]);
    expect((await post(resident.cookie, `/api/v1/me/party/care/${h.id}/phone`)).statusCode).toBe(404);
  });
});
