import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeImages } from '../core/files.ts';
import {
  createTestApp,
  loginAs,
  makeCompound,
  makeDepartment,
  makeUser,
  regionPath,
  type TestApp,
} from '../test/app.ts';
import { testJpeg } from '../test/images.ts';
import { runDeadlineSweep } from './deadlines.ts';
import { ticketDispatches, ticketEvents, tickets } from './tables.ts';

// Its own app: these tests move the clock.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

/** Shanghai wall-clock time. */
const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);

async function world() {
  const community = await t.freshCommunity();
  const { compound } = await makeCompound(t.db, community, `时限${community.slice(-4)}小区`);
  const resident = await makeUser(t.db, {
    grants: [
      { role: 'resident', scopePath: compound.path, nodeKind: 'compound', nodeRef: String(compound.id) },
    ],
  });
  const admin = await makeUser(t.db, {
    grants: [
      {
        role: 'communityAdmin',
        scopePath: await regionPath(t.db, community),
        nodeKind: 'region',
        nodeRef: community,
      },
    ],
  });
  const dept = await makeDepartment(t.db, community.slice(0, 6), `时限部门${community.slice(-6)}`);
  return {
    compound,
    dept,
    resident: { user: resident, cookie: await loginAs(t.app, resident.phone) },
    admin: { user: admin, cookie: await loginAs(t.app, admin.phone) },
  };
}

const report = async (w: Awaited<ReturnType<typeof world>>, extra: object = {}) => {
  const res = await t.send(w.resident.cookie, 'POST', '/api/v1/tickets', {
    description: '小区路灯不亮',
    compoundId: w.compound.id,
    ...extra,
  });
  expect(res.statusCode).toBe(200);
  return res.json() as { id: number; acceptDueAt: string };
};
const act = (cookie: string, id: number, body: object) =>
  t.send(cookie, 'POST', `/api/v1/tickets/${id}/actions`, body);
const row = async (id: number) => (await t.db.select().from(tickets).where(eq(tickets.id, id)))[0];
const kinds = async (id: number) =>
  (await t.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, id))).map((e) => [
    e.kind,
    e.data?.deadline ?? e.data?.escalatedTo ?? null,
  ]);

describe('deadline sweep', () => {
  it('across the National Day holiday: warns at 80 %, marks overdue once, escalates to the township then the county', async () => {
    t.clock.set(sh('2026-09-30 17:30'));
    const w = await world();
    // Wednesday 30 September 17:30: half an hour of work left that day, then 1–7 October off.
    t.clock.set(sh('2026-09-30 17:30'));
    const tk = await report(w);
    // 2 working hours: 30 min on the 30th, 90 min from 08:30 on Thursday 8 October.
    expect(tk.acceptDueAt).toBe(sh('2026-10-08 10:00').toISOString());

    t.clock.set(sh('2026-10-05 12:00'));
    expect(await runDeadlineSweep(t.db, t.clock)).toMatchObject({
      skipped: false,
      acceptWarned: 0,
      acceptOverdue: 0,
    });
    // 80 % of 120 working minutes = 96: 30 on the 30th + 66 from 08:30 → 09:36.
    t.clock.set(sh('2026-10-08 09:36'));
    expect(await runDeadlineSweep(t.db, t.clock)).toMatchObject({ acceptWarned: 1, acceptOverdue: 0 });
    t.clock.set(sh('2026-10-08 10:01'));
    expect(await runDeadlineSweep(t.db, t.clock)).toMatchObject({ acceptWarned: 0, acceptOverdue: 1 });
    expect(await runDeadlineSweep(t.db, t.clock)).toMatchObject({ acceptOverdue: 0 });
    expect((await row(tk.id))?.supervisedLevel).toBe('township');
    t.clock.set(sh('2026-10-09 10:02'));
    expect(await runDeadlineSweep(t.db, t.clock)).toMatchObject({ escalatedToCounty: 1 });
    expect((await row(tk.id))?.supervisedLevel).toBe('county');
    expect(await kinds(tk.id)).toEqual([
      ['submit', null],
      ['warn', 'accept'],
      ['overdue', 'accept'],
      ['escalate', 'county'],
    ]);
    // The list shows it overdue; the resident's timeline does not show internal marks.
    const again = await loginAs(t.app, w.resident.user.phone);
    const mine = (await t.get(again, `/api/v1/tickets/${tk.id}`)).json();
    expect(mine.overdue).toBe(true);
    expect(mine.events.map((e: { kind: string }) => e.kind)).toEqual(['submit']);
  });

  it('an urgent whistle must be checked in within 30 minutes; a late one is marked once', async () => {
    t.clock.set(sh('2026-11-27 14:00'));
    const w = await world();
    const tk = await report(w, { urgent: true });
    await act(w.admin.cookie, tk.id, { kind: 'accept' });
    const wh = await act(w.admin.cookie, tk.id, { kind: 'whistle', departmentIds: [w.dept.id] });
    expect(wh.json().dispatches[0].checkInDueAt).toBe(sh('2026-11-27 14:30').toISOString());
    t.clock.set(sh('2026-11-27 14:24'));
    expect(await runDeadlineSweep(t.db, t.clock)).toMatchObject({ checkInWarned: 1, checkInOverdue: 0 });
    t.clock.set(sh('2026-11-27 14:31'));
    expect(await runDeadlineSweep(t.db, t.clock)).toMatchObject({ checkInOverdue: 1 });
    const [d] = await t.db.select().from(ticketDispatches).where(eq(ticketDispatches.ticketId, tk.id));
    expect(d?.checkInOverdueAt?.toISOString()).toBe(sh('2026-11-27 14:31').toISOString());
    expect((await row(tk.id))?.supervisedLevel).toBe('township');
    // Urgent: resolve within 2 hours of acceptance.
    expect((await row(tk.id))?.resolveDueAt?.toISOString()).toBe(sh('2026-11-27 16:00').toISOString());
  });

  it('a confirmed ticket nobody rates within 3 days closes as "no rating"', async () => {
    t.clock.set(sh('2026-11-27 09:00'));
    const w = await world();
    const tk = await report(w);
    await act(w.admin.cookie, tk.id, { kind: 'accept' });
    await act(w.admin.cookie, tk.id, { kind: 'whistle', departmentIds: [w.dept.id] });
    const officer = await makeUser(t.db, {
      grants: [
        {
          role: 'departmentOfficer',
          scopePath: w.dept.path,
          nodeKind: 'department',
          nodeRef: String(w.dept.id),
          departmentId: w.dept.id,
        },
      ],
    });
    const oc = await loginAs(t.app, officer.phone);
    await act(oc, tk.id, { kind: 'checkIn', departmentId: w.dept.id });
    const [photo] = await storeImages(t.db, [await testJpeg()], {
      createdBy: officer.id,
      scopePath: '',
      ownerKind: 'ticket',
    });
    await act(oc, tk.id, { kind: 'resolve', departmentId: w.dept.id, note: '已修复', photoIds: [photo?.id] });
    await act(w.admin.cookie, tk.id, { kind: 'confirm' });
    t.clock.set(sh('2026-11-30 08:59'));
    expect(await runDeadlineSweep(t.db, t.clock)).toMatchObject({ followUpsClosed: 0 });
    t.clock.set(sh('2026-11-30 09:00'));
    expect(await runDeadlineSweep(t.db, t.clock)).toMatchObject({ followUpsClosed: 1 });
    expect(await row(tk.id)).toMatchObject({ status: 'closed', outcome: 'noRating' });
    // (Three days on, the resident signs in again.)
    const late = await act(await loginAs(t.app, w.resident.user.phone), tk.id, {
      kind: 'rate',
      rating: 5,
      satisfied: true,
    });
    expect(late.json().code).toBe('ticket.illegal_move');
  });

  it('one instance sweeps at a time: while another holds the sweep lock, this one skips (PostgreSQL)', async () => {
    // PGlite has one connection: a second sweep simply waits its turn there.
    if (t.testDb.kind !== 'postgres') return;
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('gongzhi:deadline-sweep'))`);
      expect((await runDeadlineSweep(t.db, t.clock)).skipped).toBe(true);
    });
    expect((await runDeadlineSweep(t.db, t.clock)).skipped).toBe(false);
  });
});

describe('working calendar overrides', () => {
  it('a city administrator enters next year’s holidays; deadlines use them at once', async () => {
    t.clock.set(sh('2026-12-31 17:30'));
    const w = await world();
    const city = await makeUser(t.db, {
      grants: [
        {
          role: 'cityAdmin',
          scopePath: await regionPath(t.db, '140200'),
          nodeKind: 'region',
          nodeRef: '140200',
        },
      ],
    });
    const cc = await loginAs(t.app, city.phone);
    const before = (await t.get(cc, '/api/v1/calendar/2027')).json();
    expect(before).toEqual({ year: 2027, covered: false, overrides: [] });
    // Without the 2027 schedule, New Year's Day counts as a workday: due Friday 1 January 10:00.
    expect((await report(w)).acceptDueAt).toBe(sh('2027-01-01 10:00').toISOString());
    const set = await t.send(cc, 'PUT', '/api/v1/calendar/days/2027-01-01', { workday: false, note: '元旦' });
    expect(set.json()).toEqual({
      year: 2027,
      covered: true,
      overrides: [{ date: '2027-01-01', workday: false, note: '元旦' }],
    });
    // Now it skips the holiday and the weekend: Monday 4 January 10:00.
    expect((await report(w)).acceptDueAt).toBe(sh('2027-01-04 10:00').toISOString());
    // Only the city sets the calendar; bad dates are refused.
    expect(
      (await t.send(w.admin.cookie, 'PUT', '/api/v1/calendar/days/2027-01-02', { workday: true })).statusCode,
    ).toBe(403);
    expect((await t.send(cc, 'PUT', '/api/v1/calendar/days/2027-02-30', { workday: true })).statusCode).toBe(
      400,
    );
    const removed = await t.send(cc, 'DELETE', '/api/v1/calendar/days/2027-01-01');
    expect(removed.json().overrides).toEqual([]);
    expect((await t.get(w.resident.cookie, '/api/v1/calendar/2027')).statusCode).toBe(403);
  });
});
