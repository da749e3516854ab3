import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../auth/tables.ts';
import { makeIdNumber } from '../party/id-number.ts';
import { partyRegistrations } from '../party/tables.ts';
import {
  compoundUser,
  createTestApp,
  loginAs,
  makeCompound,
  makeUser,
  regionUser,
  type TestApp,
} from '../test/app.ts';
import { servicePosts, serviceRecords, serviceReminders } from './tables.ts';
import { runReminderSweep, yearShare } from './targets.ts';

let t: TestApp;
let A: string;
let B: string;
let X: { id: number; path: string };
let Z: { id: number; path: string };
type Who = { cookie: string; user: { phone: string } };
let caA: Who;
let caB: Who;
let county: Who;
let otherCounty: Who;
let secretary: Who;
const COUNTY = '140213';
const NOW = new Date('2026-11-26T08:00:00+08:00');

/** Members of the fixture (hand-computed below). */
const m = {} as Record<'P' | 'Q' | 'L' | 'D' | 'R', { id: number; phone: string }>;
let unitId: number;
let postX: number;
let postZ: number;

let seq = 0;
const idNo = () => makeIdNumber('140212', '1982-04-04', 2 * ++seq + 1, 'male');

/** A member entered by staff with an account of their own (linked by phone on first use). */
async function staffEntered(who: Who, compoundId: number, ledger: string, name: string) {
  const u = await makeUser(t.db, { name });
  const res = await t.send(who.cookie, 'POST', '/api/v1/party/members', {
    name,
    idNumber: idNo(),
    compoundId,
    ledger,
    phone: u.phone,
    workUnit: ledger === 'inService' ? '大同市某局' : undefined,
  });
  expect(res.statusCode, res.body).toBe(200);
  return { id: res.json().id as number, phone: u.phone };
}

/** An in-service member who registered (双报到) naming the unit, with or without a leading post. */
async function registered(name: string, leader: boolean) {
  const u = await makeUser(t.db, { name });
  const cookie = await loginAs(t.app, u.phone);
  const reg = await t.send(cookie, 'POST', '/api/v1/me/party/registrations', {
    name,
    idNumber: idNo(),
    compoundId: X.id,
    unitId,
    leader,
  });
  expect(reg.statusCode, reg.body).toBe(200);
  const ok = await t.send(caA.cookie, 'POST', `/api/v1/party/registrations/${reg.json().id}/decide`, {
    decision: 'confirm',
  });
  expect(ok.statusCode, ok.body).toBe(200);
  const [r] = await t.db
    .select({ memberId: partyRegistrations.memberId })
    .from(partyRegistrations)
    .where(eq(partyRegistrations.id, reg.json().id));
  return { id: r?.memberId as number, phone: u.phone };
}

async function rec(
  memberId: number,
  serviceDate: string,
  minutes: number,
  status = 'approved',
  postId = postX,
) {
  await t.db.insert(serviceRecords).values({
    memberId,
    postId,
    path: postId === postX ? X.path : Z.path,
    activity: '楼道清扫',
    serviceDate,
    place: '一号楼',
    content: '清扫楼道',
    method: 'organiser',
    recordedMinutes: minutes,
    minutes: status === 'approved' || status === 'declined' ? minutes : null,
    organiser: '测试社区',
    status,
    createdAt: NOW,
    updatedAt: NOW,
  });
}

async function makePost(communityCode: string, path: string) {
  const [p] = await t.db
    .insert(servicePosts)
    .values({
      communityCode,
      path,
      title: '楼道清扫',
      kind: 'environment',
      place: '一号楼',
      content: '清扫楼道',
      cancelHours: 12,
      createdAt: NOW,
      updatedAt: NOW,
    })
    .returning({ id: servicePosts.id });
  return p?.id as number;
}

beforeAll(async () => {
  t = await createTestApp();
  A = await t.freshCommunity(COUNTY);
  B = await t.freshCommunity(COUNTY, [A]);
  X = (await makeCompound(t.db, A, '目标一区')).compound;
  Z = (await makeCompound(t.db, B, '目标外区')).compound;
  caA = await regionUser(t, 'communityAdmin', A);
  caB = await regionUser(t, 'communityAdmin', B);
  county = await regionUser(t, 'countyAdmin', COUNTY);
  otherCounty = await regionUser(t, 'countyAdmin', '140214');
  secretary = await compoundUser(t, 'compoundSecretary', X);
  postX = await makePost(A, X.path);
  postZ = await makePost(B, Z.path);
  const unit = await t.send(caA.cookie, 'POST', '/api/v1/party/units', {
    name: '目标测试单位',
    communityCode: A,
  });
  expect(unit.statusCode, unit.body).toBe(200);
  unitId = unit.json().id;

  // P: in-service with no registration → an in-service cadre (default target 4 times, 20 hours).
  m.P = await staffEntered(caA, X.id, 'inService', '潘志明');
  // Q: registered, no leading post → cadre. L: registered with a leading post → not a cadre.
  m.Q = await registered('秦晓红', false);
  m.L = await registered('陆建国', true);
  // D: on the direct ledger. R: a cadre in the other community.
  m.D = await staffEntered(caA, X.id, 'direct', '丁玉兰');
  m.R = await staffEntered(caB, Z.id, 'inService', '任志强');

  // P in 2026: 300 + 120 approved (the last on 31 December) = 2 times, 7 hours. Not counted: the
  // declined, pending and on-duty ones, and those of 31 Dec 2025 and 1 Jan 2027.
  await rec(m.P.id, '2026-03-01', 300);
  await rec(m.P.id, '2026-12-31', 120);
  await rec(m.P.id, '2025-12-31', 600);
  await rec(m.P.id, '2027-01-01', 60);
  await rec(m.P.id, '2026-05-01', 240, 'declined');
  await rec(m.P.id, '2026-06-01', 200, 'pending');
  await rec(m.P.id, '2026-11-20', 90, 'onDuty');
  // Q: four approved records of 5 hours: met. L: one hour. D: two hours. R: nothing.
  for (const d of ['2026-02-01', '2026-04-01', '2026-06-01', '2026-08-01']) await rec(m.Q.id, d, 300);
  await rec(m.L.id, '2026-09-09', 60);
  await rec(m.D.id, '2026-10-10', 120);
}, 120_000);
afterAll(async () => t?.close());

const progress = (who: Who, q = '') => t.get(who.cookie, `/api/v1/service/progress?year=2026${q}`);
const idsOf = (res: { json(): { items: { member: { id: number } }[] } }) =>
  res.json().items.map((x) => x.member.id);

describe('progress against annual targets', () => {
  it('counts approved records of the year only, against the group’s target, on a hand-computed fixture', async () => {
    // 26 November is day 330 of 365: 3 times (floor of 4 × 0.904) and 1084 minutes are due by now.
    expect(yearShare(2026, '2026-11-26')).toBeCloseTo(330 / 365, 10);
    const cookie = await loginAs(t.app, m.P.phone);
    const mine = (await t.get(cookie, '/api/v1/me/service/progress')).json();
    expect(mine.year).toBe(2026);
    expect(mine.progress).toEqual({
      year: 2026,
      group: 'inServiceCadre',
      times: 2,
      minutes: 420,
      hours: 7,
      target: { minTimes: 4, minHours: 20, source: 'default' },
      expected: { times: 3, hours: 18.1 },
      missing: { times: 2, hours: 13 },
      status: 'behind',
    });
    expect(mine.recent.map((r: { serviceDate: string }) => r.serviceDate)).toEqual([
      '2026-12-31',
      '2026-03-01',
    ]);
    // The years around it: 2025 is over (all of the target due); 2027 has not begun (nothing due yet).
    const y2025 = (await t.get(cookie, '/api/v1/me/service/progress?year=2025')).json().progress;
    expect(y2025).toMatchObject({
      times: 1,
      minutes: 600,
      expected: { times: 4, hours: 20 },
      status: 'behind',
    });
    const y2027 = (await t.get(cookie, '/api/v1/me/service/progress?year=2027')).json().progress;
    expect(y2027).toMatchObject({
      times: 1,
      minutes: 60,
      expected: { times: 0, hours: 0 },
      status: 'onTrack',
    });
    // Q met it; L holds a leading post and D is on the direct ledger: no target for them yet.
    const q = (await t.get(await loginAs(t.app, m.Q.phone), '/api/v1/me/service/progress')).json().progress;
    expect(q).toMatchObject({
      group: 'inServiceCadre',
      times: 4,
      hours: 20,
      status: 'met',
      missing: { times: 0, hours: 0 },
    });
    const l = (await t.get(await loginAs(t.app, m.L.phone), '/api/v1/me/service/progress')).json().progress;
    expect(l).toMatchObject({ group: null, times: 1, hours: 1, target: null, status: null });
    // Someone with no party record has no progress.
    const nobody = await makeUser(t.db);
    const none = (await t.get(await loginAs(t.app, nobody.phone), '/api/v1/me/service/progress')).json();
    expect(none).toEqual({ year: 2026, progress: null, recent: [], reminders: [] });
  });

  it('takes the year from the clock in Shanghai time', async () => {
    try {
      // 31 Dec 16:30 UTC is already 1 January 2027 in Datong.
      t.clock.set(new Date('2026-12-31T16:30:00Z'));
      const cookie = await loginAs(t.app, m.P.phone);
      const res = (await t.get(cookie, '/api/v1/me/service/progress')).json();
      expect(res.year).toBe(2027);
      expect(res.progress).toMatchObject({ times: 1, minutes: 60 });
      t.clock.set(new Date('2026-12-31T15:30:00Z'));
      expect((await t.get(cookie, '/api/v1/me/service/progress')).json().year).toBe(2026);
    } finally {
      t.clock.set(NOW);
    }
  });

  it('lists those behind in the staff member’s own area only, masked, paged', async () => {
    const a = await progress(caA);
    expect(a.statusCode, a.body).toBe(200);
    expect(idsOf(a)).toEqual([m.P.id]);
    expect(a.json().items[0]).toMatchObject({
      member: { name: '潘**' },
      community: { code: A },
      compound: { id: X.id, name: '目标一区' },
      status: 'behind',
    });
    expect(a.body).not.toContain('潘志明');
    // Everyone with a target in A: P and Q (L and D have none); never R of community B.
    expect(idsOf(await progress(caA, '&status=all')).sort()).toEqual([m.P.id, m.Q.id].sort());
    expect(idsOf(await progress(caA, '&status=met'))).toEqual([m.Q.id]);
    expect(idsOf(await progress(caB, '&status=all'))).toEqual([m.R.id]);
    expect(idsOf(await progress(secretary, '&status=all')).sort()).toEqual([m.P.id, m.Q.id].sort());
    // The county sees both communities; a region filter narrows it; another county sees none.
    expect(idsOf(await progress(county)).sort()).toEqual([m.P.id, m.R.id].sort());
    expect(idsOf(await progress(county, `&region=${B}`))).toEqual([m.R.id]);
    expect(idsOf(await progress(caA, `&region=${B}`))).toEqual([]);
    expect(idsOf(await progress(otherCounty, '&status=all'))).toEqual([]);
    expect(idsOf(await progress(caA, `&compoundId=${Z.id}&status=all`))).toEqual([]);
    // Pages by member id, newest first.
    const p1 = (await progress(county, '&limit=1')).json();
    expect(p1.items).toHaveLength(1);
    const p2 = (await progress(county, `&limit=1&cursor=${p1.nextCursor}`)).json();
    expect([...p1.items, ...p2.items].map((x: { member: { id: number } }) => x.member.id)).toEqual(
      [m.P.id, m.R.id].sort((x, y) => y - x),
    );
    expect(p2.nextCursor).toBeNull();
    // Residents and unit administrators get nothing.
    const resident = await compoundUser(t, 'resident', X);
    expect((await progress(resident)).statusCode).toBe(403);
  });

  it('counts members, met, on track and behind per community', async () => {
    const s = (await t.get(county.cookie, '/api/v1/service/progress/summary?year=2026')).json();
    expect(s.asOf).toBe('2026-11-26');
    expect(s.totals).toEqual({ members: 3, met: 1, onTrack: 0, behind: 2 });
    const byCode = Object.fromEntries(s.communities.map((c: { code: string }) => [c.code, c]));
    expect(byCode[A]).toMatchObject({ members: 2, met: 1, onTrack: 0, behind: 1 });
    expect(byCode[B]).toMatchObject({ members: 1, met: 0, onTrack: 0, behind: 1 });
    const onlyA = (await t.get(caA.cookie, '/api/v1/service/progress/summary?year=2026')).json();
    expect(onlyA.communities.map((c: { code: string }) => c.code)).toEqual([A]);
  });

  it('exports the list as a masked workbook, audited', async () => {
    const res = await t.get(caA.cookie, '/api/v1/service/progress.xlsx?year=2026&status=all');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const names = [];
    for (let i = 2; i <= (ws?.rowCount ?? 0); i++) names.push(ws?.getRow(i).getCell(1).value);
    expect(names.sort()).toEqual(['潘**', '秦**'].sort());
    const logged = await t.db.select().from(auditLog).where(eq(auditLog.action, 'service.progress.export'));
    expect(logged.length).toBeGreaterThan(0);
  });
});

describe('targets set by the county', () => {
  const put = (who: Who, group: string, body: object, year = 2026, c = COUNTY) =>
    t.send(who.cookie, 'PUT', `/api/v1/service/targets/${c}/${year}/${group}`, body);

  it('is read by party staff of the county, set by the county and the city only, and audited', async () => {
    const read = await t.get(caA.cookie, '/api/v1/service/targets?year=2026');
    expect(read.statusCode, read.body).toBe(200);
    const [c] = read.json();
    expect(c).toMatchObject({ county: { code: COUNTY }, can: { edit: false } });
    expect(c.groups.map((g: { group: string }) => g.group)).toEqual(['inServiceCadre', 'inService', 'all']);
    expect(c.groups[0]).toMatchObject({
      target: null,
      effective: { minTimes: 4, minHours: 20, source: 'default' },
    });
    expect(c.groups[2]).toMatchObject({ target: null, effective: null });
    expect((await put(caA, 'inService', { minTimes: 2, minHours: 6 })).statusCode).toBe(403);
    expect((await put(otherCounty, 'inService', { minTimes: 2, minHours: 6 })).statusCode).toBe(404);
    expect((await t.get(otherCounty.cookie, `/api/v1/service/targets?county=${COUNTY}`)).statusCode).toBe(
      404,
    );
    const bad = await put(county, 'inService', { minTimes: 2, minHours: 6, remindOn: ['2025-12-01'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].message).toContain('2026');
    const ok = await put(county, 'inService', { minTimes: 2, minHours: 6, remindOn: ['2026-12-01'] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().groups[1]).toMatchObject({
      target: { minTimes: 2, minHours: 6, remindOn: ['2026-12-01'] },
      effective: { source: 'county' },
    });
    const [logged] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'service.target.set'), eq(auditLog.entity, 'service_target')));
    expect(logged?.detail).toMatchObject({ year: 2026, group: 'inService', from: null });
  });

  it('applies the most specific group with a target: cadres, then in-service, then everyone', async () => {
    // L (leading post) now has the in-service target; D (direct ledger) still none.
    let all = (await progress(caA, '&status=all')).json().items as {
      member: { id: number };
      group: string;
    }[];
    expect(all.find((x) => x.member.id === m.L.id)).toMatchObject({
      group: 'inService',
      times: 1,
      status: 'behind',
    });
    expect(all.some((x) => x.member.id === m.D.id)).toBe(false);
    expect((await put(county, 'all', { minTimes: 1, minHours: 2 })).statusCode).toBe(200);
    all = (await progress(caA, '&status=all')).json().items;
    const groups = Object.fromEntries(all.map((x) => [x.member.id, x.group]));
    expect(groups).toEqual({
      [m.P.id]: 'inServiceCadre',
      [m.Q.id]: 'inServiceCadre',
      [m.L.id]: 'inService',
      [m.D.id]: 'all',
    });
    expect(all.find((x) => x.member.id === m.D.id)).toMatchObject({ status: 'met' });
    // The county's own cadre target replaces the default.
    expect((await put(county, 'inServiceCadre', { minTimes: 2, minHours: 7 })).statusCode).toBe(200);
    const p = (await t.get(await loginAs(t.app, m.P.phone), '/api/v1/me/service/progress')).json().progress;
    expect(p).toMatchObject({ status: 'met', target: { minTimes: 2, minHours: 7, source: 'county' } });
    expect((await put(county, 'inServiceCadre', { minTimes: 4, minHours: 20 })).statusCode).toBe(200);
  });

  it('reports a unit’s staff to its administrators only', async () => {
    const admin = await makeUser(t.db, { name: '单位书记' });
    expect(
      (await t.send(caA.cookie, 'POST', `/api/v1/party/units/${unitId}/admins`, { phone: admin.phone }))
        .statusCode,
    ).toBe(200);
    const cookie = await loginAs(t.app, admin.phone);
    const res = await t.get(cookie, `/api/v1/service/units/${unitId}/progress?year=2026`);
    expect(res.statusCode, res.body).toBe(200);
    const rep = res.json();
    expect(rep.unit).toEqual({ id: unitId, name: '目标测试单位' });
    expect(rep.items.map((x: { member: { id: number } }) => x.member.id)).toEqual([m.L.id, m.Q.id]);
    expect(rep.items[0].member.name).toBe('陆**');
    expect(rep.totals).toEqual({ members: 2, met: 1, onTrack: 0, behind: 1 });
    const xlsx = await t.get(cookie, `/api/v1/service/units/${unitId}/progress.xlsx?year=2026`);
    expect(xlsx.statusCode).toBe(200);
    expect(decodeURIComponent(String(xlsx.headers['content-disposition']))).toContain(
      '目标测试单位-2026年志愿服务情况.xlsx',
    );
    // Another unit's administrator, and staff where the unit is not registered: not found.
    const other = await t.send(caB.cookie, 'POST', '/api/v1/party/units', {
      name: '别的单位',
      communityCode: B,
    });
    const stranger = await makeUser(t.db, { name: '别家书记' });
    await t.send(caB.cookie, 'POST', `/api/v1/party/units/${other.json().id}/admins`, {
      phone: stranger.phone,
    });
    const sc = await loginAs(t.app, stranger.phone);
    expect((await t.get(sc, `/api/v1/service/units/${unitId}/progress`)).statusCode).toBe(404);
    expect((await t.get(caB.cookie, `/api/v1/service/units/${unitId}/progress`)).statusCode).toBe(404);
    // The community where it is registered sees its staff too.
    expect(
      (await t.get(caA.cookie, `/api/v1/service/units/${unitId}/progress?year=2026`)).json().items,
    ).toHaveLength(2);
  });
});

describe('reminders', () => {
  it('are sent once per date to each member behind, however often the sweep runs', async () => {
    expect(
      (
        await t.send(county.cookie, 'PUT', `/api/v1/service/targets/${COUNTY}/2026/inServiceCadre`, {
          minTimes: 4,
          minHours: 20,
          // 20 November is within the week's grace; 1 November is too long ago; December is to come.
          remindOn: ['2026-11-01', '2026-11-20', '2026-11-26', '2026-12-15'],
        })
      ).statusCode,
    ).toBe(200);
    const first = await Promise.all([runReminderSweep(t.db, t.clock), runReminderSweep(t.db, t.clock)]);
    const again = await runReminderSweep(t.db, t.clock);
    // P and R are behind, Q met: two dates each, whichever run got there first.
    expect(first[0].reminded + first[1].reminded).toBe(4);
    expect(again.reminded).toBe(0);
    const sent = await t.db.select().from(serviceReminders);
    expect(sent.map((r) => `${r.memberId}@${r.remindOn}`).sort()).toEqual(
      [`${m.P.id}@2026-11-20`, `${m.P.id}@2026-11-26`, `${m.R.id}@2026-11-20`, `${m.R.id}@2026-11-26`].sort(),
    );
    expect(sent.find((r) => r.memberId === m.P.id)).toMatchObject({ times: 2, minutes: 420 });

    // The member sees them with their progress and marks them read; nobody else can.
    const cookie = await loginAs(t.app, m.P.phone);
    const mine = (await t.get(cookie, '/api/v1/me/service/progress')).json();
    expect(mine.reminders).toHaveLength(2);
    expect(mine.reminders[0]).toMatchObject({
      year: 2026,
      times: 2,
      hours: 7,
      target: { minTimes: 4, minHours: 20 },
    });
    const theirs = sent.find((r) => r.memberId === m.R.id)?.id;
    expect((await t.send(cookie, 'POST', `/api/v1/me/service/reminders/${theirs}/read`, {})).statusCode).toBe(
      404,
    );
    for (const r of mine.reminders) {
      const res = await t.send(cookie, 'POST', `/api/v1/me/service/reminders/${r.id}/read`, {});
      expect(res.statusCode, res.body).toBe(200);
    }
    expect(
      (await t.send(cookie, 'POST', `/api/v1/me/service/reminders/${mine.reminders[0].id}/read`, {}))
        .statusCode,
    ).toBe(200);
    expect((await t.get(cookie, '/api/v1/me/service/progress')).json().reminders).toEqual([]);

    // A target with reminders sent under it stays; one without can be removed.
    const del = (g: string) => t.send(county.cookie, 'DELETE', `/api/v1/service/targets/${COUNTY}/2026/${g}`);
    expect((await del('inServiceCadre')).json().code).toBe('service_target.has_reminders');
    const gone = await del('all');
    expect(gone.statusCode, gone.body).toBe(200);
    expect(gone.json().groups[2]).toMatchObject({ target: null, effective: null });
    expect((await del('all')).statusCode).toBe(200);
  });

  it('reminds on a later date only those still behind then', async () => {
    try {
      await rec(m.R.id, '2026-12-01', 1200, 'approved', postZ);
      await rec(m.R.id, '2026-12-02', 60, 'approved', postZ);
      await rec(m.R.id, '2026-12-03', 60, 'approved', postZ);
      await rec(m.R.id, '2026-12-04', 60, 'approved', postZ);
      t.clock.set(new Date('2026-12-15T09:00:00+08:00'));
      expect((await runReminderSweep(t.db, t.clock)).reminded).toBe(1);
      const dec = await t.db
        .select()
        .from(serviceReminders)
        .where(eq(serviceReminders.remindOn, '2026-12-15'));
      expect(dec.map((r) => r.memberId)).toEqual([m.P.id]);
    } finally {
      t.clock.set(NOW);
    }
  });
});
