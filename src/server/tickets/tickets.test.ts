import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../contracts/roles.ts';
import { memorySmsGateway } from '../auth/sms.ts';
import { auditLog } from '../auth/tables.ts';
import { storeImages } from '../core/files.ts';
import { compounds } from '../geo/tables.ts';
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
import { runSmsSender } from './notices.ts';
import { notices, responsibilityItems, ticketEvents, ticketNumbers, tickets } from './tables.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

// A fresh community with a compound, its admin, a resident, a neighbour and a department.
async function world() {
  const community = await t.freshCommunity();
  const county = community.slice(0, 6);
  const { grid, compound, building } = await makeCompound(t.db, community, `诉求${community.slice(-4)}小区`);
  const person = async (
    role: Role,
    name: string,
    node: { path: string; kind: string; ref: string; dept?: number },
  ) => {
    const u = await makeUser(t.db, {
      name,
      grants: [
        { role, scopePath: node.path, nodeKind: node.kind, nodeRef: node.ref, departmentId: node.dept },
      ],
    });
    return { user: u, cookie: await loginAs(t.app, u.phone) };
  };
  const cPath = await regionPath(t.db, community);
  const home = { path: compound.path, kind: 'compound', ref: String(compound.id) };
  const dept = await makeDepartment(t.db, county, `诉求部门${community.slice(-6)}`);
  const other = await makeDepartment(t.db, county, `他部门${community.slice(-6)}`);
  return {
    community,
    grid,
    compound,
    building,
    dept,
    other,
    admin: await person('communityAdmin', '社区管理员', { path: cPath, kind: 'region', ref: community }),
    resident: await person('resident', '王阿姨', home),
    neighbour: await person('resident', '李大爷', home),
    officer: await person('departmentOfficer', '部门干部', {
      path: dept.path,
      kind: 'department',
      ref: String(dept.id),
      dept: dept.id,
    }),
    otherOfficer: await person('departmentOfficer', '他部门干部', {
      path: other.path,
      kind: 'department',
      ref: String(other.id),
      dept: other.id,
    }),
    township: await person('townshipAdmin', '街道干部', {
      path: await regionPath(t.db, community.slice(0, 9)),
      kind: 'region',
      ref: community.slice(0, 9),
    }),
  };
}

async function itemCode(code: string) {
  const [i] = await t.db.select().from(responsibilityItems).where(eq(responsibilityItems.code, code));
  if (!i) throw new Error(`no item ${code}`);
  return i;
}

/** Items of each handler level from the seeded list. */
async function itemOfLevel(level: 'community' | 'department') {
  const [i] = await t.db
    .select()
    .from(responsibilityItems)
    .where(eq(responsibilityItems.handlerLevel, level))
    .limit(1);
  if (!i) throw new Error(`no ${level} item`);
  return i;
}

async function photos(userId: number, n = 1) {
  const stored = await storeImages(t.db, await Promise.all(Array.from({ length: n }, () => testJpeg())), {
    createdBy: userId,
    scopePath: '',
    ownerKind: 'ticket',
  });
  return stored.map((s) => s.id);
}

const act = (cookie: string, id: number, body: object) =>
  t.send(cookie, 'POST', `/api/v1/tickets/${id}/actions`, body);

describe('intake', () => {
  it('a resident reports with a photo: numbered, deadline set, timeline started, audited', async () => {
    const w = await world();
    const [photo] = await photos(w.resident.user.id);
    const res = await t.send(w.resident.cookie, 'POST', '/api/v1/tickets', {
      description: '3号楼门口的井盖没了，晚上很危险',
      compoundId: w.compound.id,
      buildingId: w.building.id,
      photoIds: [photo],
    });
    expect(res.statusCode).toBe(200);
    const ticket = res.json();
    // The intake statement builds this view itself: it must be the detail's, field for field.
    expect(ticket).toEqual((await t.get(w.resident.cookie, `/api/v1/tickets/${ticket.id}`)).json());
    expect(ticket.number).toMatch(/^20261126-\d{6}$/);
    expect(ticket.placeLabel).toContain(w.building.name);
    expect(ticket).toMatchObject({
      status: 'submitted',
      channel: 'app',
      compoundId: w.compound.id,
      buildingId: w.building.id,
      photoIds: [photo],
      contactName: '王阿姨',
      can: { actions: [] },
    });
    // Reported Thursday 2026-11-26 08:00 (before office hours): accept within 2 working hours of
    // the 08:30 start → 10:30 Shanghai.
    expect(ticket.acceptDueAt).toBe('2026-11-26T02:30:00.000Z');
    expect(ticket.events.map((e: { kind: string }) => e.kind)).toEqual(['submit']);
    const [a] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'ticket.create'), eq(auditLog.entityId, String(ticket.id))));
    expect(a?.actorUserId).toBe(w.resident.user.id);

    // The photo is served (EXIF-free) to the reporter, and to no one outside.
    const img = await t.get(w.resident.cookie, `/api/v1/tickets/${ticket.id}/photos/${photo}`);
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/jpeg');
    const far = await world();
    const stranger = await t.get(far.resident.cookie, `/api/v1/tickets/${ticket.id}/photos/${photo}`);
    expect(stranger.statusCode).toBe(404);
    // A real photo id under another ticket's id is not served either.
    const mine = (
      await t.send(far.resident.cookie, 'POST', '/api/v1/tickets', {
        description: '路灯不亮',
        compoundId: far.compound.id,
      })
    ).json();
    expect((await t.get(far.resident.cookie, `/api/v1/tickets/${mine.id}/photos/${photo}`)).statusCode).toBe(
      404,
    );
  });

  it('a double tap or a retry with the same Idempotency-Key creates one ticket', async () => {
    const w = await world();
    const body = { description: '楼道灯不亮', compoundId: w.compound.id };
    const headers = { 'idempotency-key': 'tap-0001-abcdef' };
    const [a, b] = await Promise.all([
      t.send(w.resident.cookie, 'POST', '/api/v1/tickets', body, headers),
      t.send(w.resident.cookie, 'POST', '/api/v1/tickets', body, headers),
    ]);
    const c = await t.send(w.resident.cookie, 'POST', '/api/v1/tickets', body, headers);
    expect([a.statusCode, b.statusCode, c.statusCode]).toEqual([200, 200, 200]);
    expect(new Set([a.json().id, b.json().id, c.json().id]).size).toBe(1);
    const rows = await t.db.select().from(tickets).where(eq(tickets.compoundId, w.compound.id));
    expect(rows).toHaveLength(1);
    // Another person's identical key is theirs alone.
    const d = await t.send(w.neighbour.cookie, 'POST', '/api/v1/tickets', body, headers);
    expect(d.json().id).not.toBe(a.json().id);
  });

  it('numbers count within the day after those a loader handed out; reports at once never share one', async () => {
    const take = async (day: string) => {
      const r = await t.db.execute(sql`select gongzhi_ticket_number(${day}::date) as n`);
      return Number((r as unknown as { rows: { n: number }[] }).rows[0]?.n);
    };
    // A loader took 1–7 of this day in one block before any report came in.
    await t.db.insert(ticketNumbers).values({ day: '2031-03-04', last: 7 });
    const taken = await Promise.all(Array.from({ length: 20 }, () => take('2031-03-04')));
    expect(taken.toSorted((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => 8 + i));
    expect(await take('2031-03-04')).toBe(28);
    // A day nobody numbered starts at 1, whatever the sequence has reached. (Days share the
    // sequence: a report still numbering yesterday's day after midnight leaves a gap there.)
    expect(await take('2031-03-05')).toBe(1);
    expect(await take('2031-03-05')).toBe(2);
    const [day] = await t.db.select().from(ticketNumbers).where(eq(ticketNumbers.day, '2031-03-04'));
    expect(day?.last).toBe(7);

    // Through the API: concurrent reports get distinct numbers of the report's day.
    const w = await world();
    const res = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.send(w.resident.cookie, 'POST', '/api/v1/tickets', {
          description: `同时报的第${i + 1}件`,
          compoundId: w.compound.id,
        }),
      ),
    );
    const numbers = res.map((r) => r.json().number as string);
    expect(new Set(numbers).size).toBe(8);
    for (const n of numbers) expect(n).toMatch(/^20261126-\d{6}$/);
  });

  it('refuses, saving nothing: no place, someone else’s photo, an unknown item, a foreign building', async () => {
    const w = await world();
    const loner = await makeUser(t.db, { name: '无小区' });
    const lonerCookie = await loginAs(t.app, loner.phone);
    const noPlace = await t.send(lonerCookie, 'POST', '/api/v1/tickets', { description: '有问题' });
    expect(noPlace.statusCode).toBe(400);
    expect(noPlace.json()).toMatchObject({
      code: 'ticket.place_required',
      detail: '请选择小区，或在地图上标出位置。',
    });
    const [theirs] = await photos(w.neighbour.user.id);
    const stolen = await t.send(w.resident.cookie, 'POST', '/api/v1/tickets', {
      description: '别人的照片',
      compoundId: w.compound.id,
      photoIds: [theirs],
    });
    expect(stolen.statusCode).toBe(404);
    expect(stolen.json().code).toBe('file.not_found');
    const item = await t.send(w.resident.cookie, 'POST', '/api/v1/tickets', {
      description: '事项不存在',
      compoundId: w.compound.id,
      itemId: 999999,
    });
    expect(item.json().code).toBe('ticket.item_not_found');
    const far = await world();
    const building = await t.send(w.resident.cookie, 'POST', '/api/v1/tickets', {
      description: '楼栋不对',
      compoundId: w.compound.id,
      buildingId: far.building.id,
    });
    expect(building.json().code).toBe('building.not_found');
    const rows = await t.db.select().from(tickets).where(eq(tickets.compoundId, w.compound.id));
    expect(rows).toHaveLength(0);
  });

  it('a GPS point without a compound lands in the nearest compound’s community; the home compound is the fallback', async () => {
    const w = await world();
    await t.db.update(compounds).set({ lat: 40.1, lng: 113.3 }).where(eq(compounds.id, w.compound.id));
    const byGps = await t.send(w.resident.cookie, 'POST', '/api/v1/tickets', {
      description: '这里的路面塌了个坑',
      lat: 40.1003,
      lng: 113.3004,
    });
    expect(byGps.json()).toMatchObject({
      communityCode: w.community,
      compoundId: w.compound.id,
      lat: 40.1003,
    });
    const byHome = await t.send(w.resident.cookie, 'POST', '/api/v1/tickets', {
      description: '我家楼下垃圾没人清',
    });
    expect(byHome.json()).toMatchObject({ compoundId: w.compound.id });
  });

  it('a hotline operator keys in a call for a caller, in their own area only, with the caller’s phone', async () => {
    const w = await world();
    const call = {
      channel: 'hotline',
      description: '来电反映小区供暖不热，室温只有14度',
      communityCode: w.community,
      contactName: '赵先生',
      contactPhone: '13912345678',
    };
    const ok = await t.send(w.township.cookie, 'POST', '/api/v1/tickets', call);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ channel: 'hotline', contactName: '赵**', contactPhone: '139****5678' });
    expect(ok.json()).toEqual((await t.get(w.township.cookie, `/api/v1/tickets/${ok.json().id}`)).json());
    // What an operator keyed in is theirs to find again ("mine"), beside their work queue.
    const mine = (await t.get(w.township.cookie, '/api/v1/tickets?view=mine')).json();
    expect(mine.items.map((x: { id: number }) => x.id)).toContain(ok.json().id);
    const noPhone = await t.send(w.township.cookie, 'POST', '/api/v1/tickets', {
      ...call,
      contactPhone: undefined,
    });
    expect(noPhone.json().code).toBe('ticket.contact_required');
    // A community in another county is outside this township's area.
    const outside = await t.send(w.township.cookie, 'POST', '/api/v1/tickets', {
      ...call,
      communityCode: await t.freshCommunity('140214'),
    });
    expect(outside.statusCode).toBe(403);
    // A resident cannot pretend to be the hotline.
    const fake = await t.send(w.resident.cookie, 'POST', '/api/v1/tickets', call);
    expect(fake.statusCode).toBe(403);
  });
});

describe('the whole way: report, whistle, check in, resolve, confirm, rate', () => {
  it('runs every step with the right party, and the resident sees the public timeline', async () => {
    const w = await world();
    const deptItem = await itemOfLevel('department');
    const created = (
      await t.send(w.resident.cookie, 'POST', '/api/v1/tickets', {
        description: '小区门口路灯坏了一个多月了',
        compoundId: w.compound.id,
      })
    ).json();
    const id = created.id as number;

    // Department items may not be handled by the community itself (属地管理).
    const accepted = await act(w.admin.cookie, id, { kind: 'accept', itemId: deptItem.id });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'accepted', itemId: deptItem.id });
    expect(accepted.json().can.actions).toEqual(expect.arrayContaining(['whistle', 'handleSelf', 'reject']));
    const self = await act(w.admin.cookie, id, { kind: 'handleSelf' });
    expect(self.statusCode).toBe(409);
    expect(self.json().code).toBe('ticket.not_on_list');
    expect(self.json().detail).toContain(deptItem.name);

    // Whistle: a department outside the county is refused; the right one gets it.
    const farDept = await makeDepartment(
      t.db,
      w.community.startsWith('140213') ? '140214' : '140213',
      `远部门${id}`,
    );
    expect(
      (await act(w.admin.cookie, id, { kind: 'whistle', departmentIds: [farDept.id] })).json().code,
    ).toBe('department.not_found');
    const whistled = await act(w.admin.cookie, id, {
      kind: 'whistle',
      departmentIds: [w.dept.id],
      note: '请尽快处理',
    });
    expect(whistled.json()).toMatchObject({
      status: 'whistled',
      dispatches: [{ departmentId: w.dept.id, status: 'pending' }],
    });

    // The other department does not even see it; the resident cannot check in.
    expect((await t.get(w.otherOfficer.cookie, `/api/v1/tickets/${id}`)).statusCode).toBe(404);
    expect(
      (await act(w.otherOfficer.cookie, id, { kind: 'checkIn', departmentId: w.dept.id })).statusCode,
    ).toBe(404);
    expect((await act(w.resident.cookie, id, { kind: 'checkIn', departmentId: w.dept.id })).statusCode).toBe(
      403,
    );

    const seen = (await t.get(w.officer.cookie, `/api/v1/tickets/${id}`)).json();
    expect(seen.can).toEqual({
      actions: expect.arrayContaining(['checkIn', 'return']),
      departmentIds: [w.dept.id],
    });
    expect(seen.contactPhone).toMatch(/^\d{3}\*{4}\d{4}$/);
    const queue = (await t.get(w.officer.cookie, '/api/v1/tickets?status=whistled')).json();
    expect(queue.items.map((x: { id: number }) => x.id)).toContain(id);

    expect(
      (await act(w.officer.cookie, id, { kind: 'checkIn', departmentId: w.dept.id })).json().status,
    ).toBe('inProgress');
    // The department's queues by stage follow the ticket (they read the dispatches' copy of its status).
    const stage = async (status: string) =>
      (await t.get(w.officer.cookie, `/api/v1/tickets?status=${status}`))
        .json()
        .items.map((x: { id: number }) => x.id);
    expect(await stage('whistled')).not.toContain(id);
    expect(await stage('inProgress')).toContain(id);
    // The stage is written into the statement's text (repo.statusLiteral): only a known status gets there.
    const odd = await t.get(
      w.officer.cookie,
      `/api/v1/tickets?status=${encodeURIComponent("whistled' or true --")}`,
    );
    expect(odd.statusCode).toBe(400);
    await act(w.officer.cookie, id, { kind: 'update', departmentId: w.dept.id, note: '已安排维修班组' });
    await act(w.officer.cookie, id, {
      kind: 'update',
      departmentId: w.dept.id,
      note: '内部：需采购灯具',
      public: false,
    });
    const noPhoto = await act(w.officer.cookie, id, {
      kind: 'resolve',
      departmentId: w.dept.id,
      note: '已修好',
    });
    expect(noPhoto.json().code).toBe('ticket.evidence_required');
    const evidence = await photos(w.officer.user.id, 2);
    const resolved = await act(w.officer.cookie, id, {
      kind: 'resolve',
      departmentId: w.dept.id,
      note: '已更换灯具',
      photoIds: evidence,
    });
    expect(resolved.json()).toMatchObject({ status: 'resolved', dispatches: [{ status: 'done' }] });
    // Evidence photos are the ticket's: the resident can see them.
    expect(
      (await t.get(w.resident.cookie, `/api/v1/tickets/${id}/photos/${evidence[0]}?variant=thumb`))
        .statusCode,
    ).toBe(200);

    expect((await act(w.admin.cookie, id, { kind: 'confirm' })).json().status).toBe('confirmed');
    // Not satisfied: it goes back to the department.
    const reopened = await act(w.resident.cookie, id, {
      kind: 'rate',
      rating: 2,
      satisfied: false,
      comment: '晚上还是黑',
    });
    expect(reopened.json()).toMatchObject({
      status: 'inProgress',
      reopenCount: 1,
      dispatches: [{ status: 'checkedIn' }],
    });
    await act(w.officer.cookie, id, {
      kind: 'resolve',
      departmentId: w.dept.id,
      note: '重新检修线路',
      photoIds: await photos(w.officer.user.id),
    });
    await act(w.admin.cookie, id, { kind: 'confirm' });
    const closed = await act(w.resident.cookie, id, { kind: 'rate', rating: 5, satisfied: true });
    expect(closed.json()).toMatchObject({ status: 'closed', outcome: 'satisfied', rating: 5 });
    expect((await act(w.resident.cookie, id, { kind: 'rate', rating: 5, satisfied: true })).json().code).toBe(
      'ticket.illegal_move',
    );

    // The resident's timeline: public events only, staff not named.
    const mine = (await t.get(w.resident.cookie, `/api/v1/tickets/${id}`)).json();
    const kinds = mine.events.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual([
      'submit',
      'accept',
      'whistle',
      'checkIn',
      'update',
      'resolve',
      'confirm',
      'rate',
      'resolve',
      'confirm',
      'rate',
    ]);
    expect(mine.events.every((e: { actorName: string | null }) => e.actorName === null)).toBe(true);
    const detail = (kind: string) =>
      mine.events.filter((e: { kind: string }) => e.kind === kind).map((e: { details: object }) => e.details);
    expect(detail('whistle')).toEqual([{ departmentNames: [w.dept.name] }]);
    expect(detail('rate')).toEqual([
      { rating: 2, satisfied: false, reopened: true },
      { rating: 5, satisfied: true, outcome: 'satisfied' },
    ]);
    const staff = (await t.get(w.admin.cookie, `/api/v1/tickets/${id}`)).json();
    expect(staff.events).toHaveLength(kinds.length + 1);
    // Never deleted: the rows are all there.
    const rows = await t.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, id));
    expect(rows).toHaveLength(kinds.length + 1);
  });

  it('a community item is handled by the community itself, with its deadline', async () => {
    const w = await world();
    const item = await itemOfLevel('community');
    const id = (
      await t.send(w.resident.cookie, 'POST', '/api/v1/tickets', {
        description: '楼道里堆满了杂物',
        compoundId: w.compound.id,
        itemId: item.id,
      })
    ).json().id;
    await act(w.admin.cookie, id, { kind: 'accept' });
    const self = await act(w.admin.cookie, id, { kind: 'handleSelf' });
    expect(self.json()).toMatchObject({ status: 'inProgress' });
    expect(self.json().resolveDueAt).not.toBeNull();
    const done = await act(w.admin.cookie, id, {
      kind: 'resolve',
      note: '已清理',
      photoIds: await photos(w.admin.user.id),
    });
    expect(done.json().status).toBe('resolved');
  });

  it('two people moving one ticket at once: one wins, the other is told', async () => {
    const w = await world();
    const id = (
      await t.send(w.resident.cookie, 'POST', '/api/v1/tickets', {
        description: '有人占道',
        compoundId: w.compound.id,
      })
    ).json().id;
    const [a, b] = await Promise.all([
      act(w.admin.cookie, id, { kind: 'accept' }),
      act(w.township.cookie, id, { kind: 'accept' }),
    ]);
    const codes = [a.statusCode, b.statusCode].sort();
    expect(codes).toEqual([200, 409]);
  });
});

describe('who sees what', () => {
  it('neighbours see public tickets of their compound without personal data; private ones not at all', async () => {
    const w = await world();
    const pub = (
      await t.send(w.resident.cookie, 'POST', '/api/v1/tickets', {
        description: '电梯老是停',
        compoundId: w.compound.id,
      })
    ).json();
    const priv = (
      await t.send(w.resident.cookie, 'POST', '/api/v1/tickets', {
        description: '隔壁家暴，请帮忙',
        compoundId: w.compound.id,
        private: true,
      })
    ).json();
    const list = (await t.get(w.neighbour.cookie, '/api/v1/tickets?view=neighbours')).json();
    expect(list.items.map((x: { id: number }) => x.id)).toEqual([pub.id]);
    const seen = (await t.get(w.neighbour.cookie, `/api/v1/tickets/${pub.id}`)).json();
    expect(seen).toMatchObject({ contactName: null, contactPhone: null, lat: null, can: { actions: [] } });
    expect((await t.get(w.neighbour.cookie, `/api/v1/tickets/${priv.id}`)).statusCode).toBe(404);
    // A neighbour cannot rate or move someone else's ticket.
    expect(
      (await act(w.neighbour.cookie, pub.id, { kind: 'rate', rating: 1, satisfied: false })).statusCode,
    ).toBe(404);
    // The reporter's own list has both; the community admin's work list too.
    const mine = (await t.get(w.resident.cookie, '/api/v1/tickets?view=mine')).json();
    expect(mine.items.map((x: { id: number }) => x.id)).toEqual([priv.id, pub.id]);
    const work = (await t.get(w.admin.cookie, '/api/v1/tickets')).json();
    expect(work.items.map((x: { id: number }) => x.id)).toEqual([priv.id, pub.id]);
  });

  it('guessing ids: other residents, other communities and other departments get 404', async () => {
    const w = await world();
    const far = await world();
    const id = (
      await t.send(w.resident.cookie, 'POST', '/api/v1/tickets', {
        description: '噪音扰民',
        compoundId: w.compound.id,
      })
    ).json().id;
    for (const who of [far.resident, far.admin, far.officer, w.officer]) {
      expect((await t.get(who.cookie, `/api/v1/tickets/${id}`)).statusCode).toBe(404);
      expect((await act(who.cookie, id, { kind: 'accept' })).statusCode).toBe(404);
    }
    expect((await t.get(w.resident.cookie, '/api/v1/tickets/99999999')).json().code).toBe('ticket.not_found');
  });
});

describe('transfer and merge', () => {
  it('a wrongly placed ticket moves to the right community, which sees it afresh', async () => {
    const w = await world();
    const id = (
      await t.send(w.resident.cookie, 'POST', '/api/v1/tickets', {
        description: '路口积水',
        compoundId: w.compound.id,
      })
    ).json().id;
    const neighbourCommunity = await t.freshCommunity(w.community.slice(0, 9));
    const adminThere = await makeUser(t.db, {
      grants: [
        {
          role: 'communityAdmin',
          scopePath: await regionPath(t.db, neighbourCommunity),
          nodeKind: 'region',
          nodeRef: neighbourCommunity,
        },
      ],
    });
    const moved = await act(w.admin.cookie, id, {
      kind: 'transfer',
      reason: '位置在隔壁社区',
      communityCode: neighbourCommunity,
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toBeNull();
    const there = (await t.get(await loginAs(t.app, adminThere.phone), `/api/v1/tickets/${id}`)).json();
    expect(there).toMatchObject({ status: 'submitted', communityCode: neighbourCommunity, compoundId: null });
    // The reporter still follows it.
    expect((await t.get(w.resident.cookie, `/api/v1/tickets/${id}`)).statusCode).toBe(200);
  });

  it('merging a duplicate: its reporter follows the surviving ticket', async () => {
    const w = await world();
    const first = (
      await t.send(w.resident.cookie, 'POST', '/api/v1/tickets', {
        description: '垃圾桶满了没人收',
        compoundId: w.compound.id,
      })
    ).json();
    const dup = (
      await t.send(w.neighbour.cookie, 'POST', '/api/v1/tickets', {
        description: '垃圾站臭',
        compoundId: w.compound.id,
      })
    ).json();
    const merged = await act(w.admin.cookie, dup.id, { kind: 'merge', intoTicketId: first.id });
    expect(merged.json()).toMatchObject({ status: 'merged', mergedIntoNumber: first.number });
    const mine = (await t.get(w.neighbour.cookie, '/api/v1/tickets?view=mine')).json();
    expect(mine.items.map((x: { id: number }) => x.id)).toEqual([dup.id, first.id]);
    expect((await act(w.admin.cookie, first.id, { kind: 'merge', intoTicketId: first.id })).json().code).toBe(
      'ticket.merge_self',
    );
  });
});

describe('extension of a complex matter', () => {
  /** A complex matter (15 days, extendable by 15) whistled to the department, which checked in. */
  async function complexTicket(w: Awaited<ReturnType<typeof world>>) {
    const item = await itemCode('C02-02');
    expect(item).toMatchObject({ resolveLimit: '15d', extensionLimit: '15d' });
    const id = (
      await t.send(w.resident.cookie, 'POST', '/api/v1/tickets', {
        description: '楼顶防水层破损，雨天顶楼漏水',
        compoundId: w.compound.id,
      })
    ).json().id as number;
    await act(w.admin.cookie, id, { kind: 'accept', itemId: item.id });
    await act(w.admin.cookie, id, { kind: 'whistle', departmentIds: [w.dept.id] });
    const checked = await act(w.officer.cookie, id, { kind: 'checkIn', departmentId: w.dept.id });
    expect(checked.json().can.actions).toContain('requestExtension');
    return { id, due: Date.parse(checked.json().resolveDueAt) };
  }

  it('the department asks once, the township approves, and the deadline moves by 15 days', async () => {
    const w = await world();
    const { id, due } = await complexTicket(w);
    expect(
      (await act(w.officer.cookie, id, { kind: 'requestExtension', reason: '   ', departmentId: w.dept.id }))
        .statusCode,
    ).toBe(400);
    const asked = await act(w.officer.cookie, id, {
      kind: 'requestExtension',
      reason: '需协调产权单位和维修资金',
      departmentId: w.dept.id,
    });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json()).toMatchObject({ extension: 'requested', extensionLimit: '15 天' });
    expect(Date.parse(asked.json().resolveDueAt)).toBe(due);
    // The community cannot approve; the township can, and sees the request first.
    expect((await act(w.admin.cookie, id, { kind: 'approveExtension' })).json().code).toBe(
      'ticket.wrong_party',
    );
    const waiting = (await t.get(w.township.cookie, '/api/v1/tickets?queue=extension')).json();
    expect(waiting.items.map((x: { id: number }) => x.id)).toContain(id);
    const seen = (await t.get(w.township.cookie, `/api/v1/tickets/${id}`)).json();
    expect(seen.can.actions).toEqual(expect.arrayContaining(['approveExtension', 'refuseExtension']));
    const approved = await act(w.township.cookie, id, { kind: 'approveExtension', note: '同意延期' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().extension).toBe('granted');
    expect(Date.parse(approved.json().resolveDueAt) - due).toBe(15 * 86_400_000);
    // Only once.
    expect(
      (
        await act(w.officer.cookie, id, {
          kind: 'requestExtension',
          reason: '还要再延',
          departmentId: w.dept.id,
        })
      ).json().code,
    ).toBe('ticket.extension_once');
    // The resident sees the approval and the new deadline, not the internal request.
    const mine = (await t.get(w.resident.cookie, `/api/v1/tickets/${id}`)).json();
    const kinds = mine.events.map((e: { kind: string }) => e.kind);
    expect(kinds).toContain('approveExtension');
    expect(kinds).not.toContain('requestExtension');
    expect(mine.events.find((e: { kind: string }) => e.kind === 'approveExtension').details.dueAt).toBe(
      approved.json().resolveDueAt,
    );
    const notices = (await t.get(w.resident.cookie, '/api/v1/notices')).json();
    expect(notices.items.map((n: { kind: string }) => n.kind)).toContain('approveExtension');
  });

  it('a refused request cannot be made again; general matters and late requests are refused', async () => {
    const w = await world();
    const { id, due } = await complexTicket(w);
    await act(w.officer.cookie, id, {
      kind: 'requestExtension',
      reason: '材料待补',
      departmentId: w.dept.id,
    });
    expect((await act(w.township.cookie, id, { kind: 'refuseExtension', reason: '' })).statusCode).toBe(400);
    const refused = await act(w.township.cookie, id, {
      kind: 'refuseExtension',
      reason: '工作量不大，请按期办结',
    });
    expect(refused.json()).toMatchObject({ extension: 'refused' });
    expect(Date.parse(refused.json().resolveDueAt)).toBe(due);
    expect(
      (
        await act(w.officer.cookie, id, {
          kind: 'requestExtension',
          reason: '再申请',
          departmentId: w.dept.id,
        })
      ).json().code,
    ).toBe('ticket.extension_once');

    // A 7-day matter is not extendable.
    const general = await itemOfLevel('department');
    expect(general.extensionLimit).toBeNull();
    const other = (
      await t.send(w.resident.cookie, 'POST', '/api/v1/tickets', {
        description: '路灯不亮',
        compoundId: w.compound.id,
      })
    ).json().id;
    await act(w.admin.cookie, other, { kind: 'accept', itemId: general.id });
    await act(w.admin.cookie, other, { kind: 'whistle', departmentIds: [w.dept.id] });
    await act(w.officer.cookie, other, { kind: 'checkIn', departmentId: w.dept.id });
    const res = await act(w.officer.cookie, other, {
      kind: 'requestExtension',
      reason: '复杂',
      departmentId: w.dept.id,
    });
    expect(res.json().code).toBe('ticket.not_extendable');
    expect(res.json().detail).toBe('该事项不属于复杂事项，办理时限不能延期。');

    // Past the deadline it is too late to ask.
    const late = await complexTicket(w);
    await t.db
      .update(tickets)
      .set({ resolveDueAt: new Date(t.clock.now().getTime() - 60_000) })
      .where(eq(tickets.id, late.id));
    const tooLate = await act(w.officer.cookie, late.id, {
      kind: 'requestExtension',
      reason: '来不及',
      departmentId: w.dept.id,
    });
    expect(tooLate.json().code).toBe('ticket.extension_too_late');
  });
});

describe('deadline queues', () => {
  it('lists late tickets, those past the 80 % warning, and extensions awaiting approval', async () => {
    const w = await world();
    const report = async (description: string) =>
      (
        await t.send(w.resident.cookie, 'POST', '/api/v1/tickets', { description, compoundId: w.compound.id })
      ).json().id as number;
    const now = t.clock.now().getTime();
    const at = (minutes: number) => new Date(now + minutes * 60_000);
    const fresh = await report('刚提交的诉求');
    const warned = await report('快到受理时限的诉求');
    await t.db
      .update(tickets)
      .set({ acceptWarnAt: at(-5) })
      .where(eq(tickets.id, warned));
    const late = await report('已超过办理时限的诉求');
    await act(w.admin.cookie, late, { kind: 'accept' });
    await t.db
      .update(tickets)
      .set({ resolveDueAt: at(-1) })
      .where(eq(tickets.id, late));
    const notCheckedIn = await report('部门超时未报到的诉求');
    await act(w.admin.cookie, notCheckedIn, { kind: 'accept' });
    await act(w.admin.cookie, notCheckedIn, { kind: 'whistle', departmentIds: [w.dept.id] });
    await t.db.execute(
      sql`update ticket_dispatches set check_in_due_at = ${at(-1)}, check_in_warn_at = ${at(-10)} where ticket_id = ${notCheckedIn}`,
    );
    const queue = async (cookie: string, name: string) =>
      (await t.get(cookie, `/api/v1/tickets?queue=${name}&region=${w.community}`))
        .json()
        .items.map((x: { id: number }) => x.id)
        .sort();
    expect(await queue(w.admin.cookie, 'overdue')).toEqual([late, notCheckedIn].sort());
    expect(await queue(w.admin.cookie, 'dueSoon')).toEqual([warned]);
    expect(await queue(w.admin.cookie, 'extension')).toEqual([]);
    // The department sees its own late check-in.
    expect(
      (await t.get(w.officer.cookie, '/api/v1/tickets?queue=overdue'))
        .json()
        .items.map((x: { id: number }) => x.id),
    ).toEqual([notCheckedIn]);
    expect(await queue(w.admin.cookie, 'overdue')).not.toContain(fresh);
  });
});

describe('transfer targets', () => {
  it('a community sees its township neighbours; the township its whole area; a department nothing', async () => {
    const w = await world();
    const id = (
      await t.send(w.resident.cookie, 'POST', '/api/v1/tickets', {
        description: '门口积水',
        compoundId: w.compound.id,
      })
    ).json().id;
    const township = w.community.slice(0, 9);
    const fromCommunity = (await t.get(w.admin.cookie, `/api/v1/tickets/${id}/transfer-targets`)).json();
    expect(fromCommunity.length).toBeGreaterThan(0);
    expect(fromCommunity.every((c: { code: string }) => c.code.startsWith(township))).toBe(true);
    expect(fromCommunity.map((c: { code: string }) => c.code)).not.toContain(w.community);
    expect(fromCommunity[0].townshipName).toMatch(/街道|镇|乡/);
    const named = fromCommunity[0].name as string;
    const searched = (
      await t.get(w.admin.cookie, `/api/v1/tickets/${id}/transfer-targets?q=${encodeURIComponent(named)}`)
    ).json();
    expect(searched.map((c: { name: string }) => c.name)).toContain(named);
    // Other townships are neither listed nor accepted.
    const county = await makeUser(t.db, {
      grants: [
        {
          role: 'countyAdmin',
          scopePath: await regionPath(t.db, w.community.slice(0, 6)),
          nodeKind: 'region',
          nodeRef: w.community.slice(0, 6),
        },
      ],
    });
    const fromCounty = (
      await t.get(await loginAs(t.app, county.phone), `/api/v1/tickets/${id}/transfer-targets`)
    ).json();
    const far = fromCounty.find((c: { code: string }) => !c.code.startsWith(township));
    expect(far).toBeDefined();
    expect(
      (
        await act(w.admin.cookie, id, { kind: 'transfer', reason: '不在本街道', communityCode: far.code })
      ).json().code,
    ).toBe('region.not_found');
    await act(w.admin.cookie, id, { kind: 'accept' });
    await act(w.admin.cookie, id, { kind: 'whistle', departmentIds: [w.dept.id] });
    expect((await t.get(w.officer.cookie, `/api/v1/tickets/${id}/transfer-targets`)).json()).toEqual([]);
    expect((await t.get(w.resident.cookie, `/api/v1/tickets/${id}/transfer-targets`)).statusCode).toBe(404);
  });
});

describe('responsibility list', () => {
  it('lists the current version with limits in words', async () => {
    const w = await world();
    const res = (await t.get(w.resident.cookie, '/api/v1/responsibility/items')).json();
    expect(res.version).toBe('2026-1');
    expect(res.items).toHaveLength(81);
    expect(res.items.every((i: { keywords: string[] }) => i.keywords.length > 0)).toBe(true);
    expect(new Set(res.items.map((i: { categoryCode: string }) => i.categoryCode)).size).toBe(13);
    const gas = res.items.find((i: { urgent: boolean; resolveLimit: string }) => i.urgent);
    expect(gas.resolveLimit).toBe('2 小时');
    await itemCode(res.items[0].code);
  });
});

describe('duplicates', () => {
  it('while typing, shows open public tickets in the compound or within 200 m, most similar first; "+1" follows', async () => {
    const w = await world();
    await t.db.update(compounds).set({ lat: 40.05, lng: 113.25 }).where(eq(compounds.id, w.compound.id));
    const heat = (
      await t.send(w.resident.cookie, 'POST', '/api/v1/tickets', {
        description: '3号楼暖气不热，家里只有十几度，老人受不了',
        compoundId: w.compound.id,
      })
    ).json();
    const lamp = (
      await t.send(w.resident.cookie, 'POST', '/api/v1/tickets', {
        description: '小区门口路灯坏了',
        compoundId: w.compound.id,
      })
    ).json();
    await t.send(w.resident.cookie, 'POST', '/api/v1/tickets', {
      description: '暖气不热，私事',
      compoundId: w.compound.id,
      private: true,
    });
    // 150 m away, another compound: still offered; 400 m away: not.
    const near = await makeCompound(t.db, w.community, '隔壁小区');
    await t.db
      .update(compounds)
      .set({ lat: 40.05135, lng: 113.25 })
      .where(eq(compounds.id, near.compound.id));
    const far = await makeCompound(t.db, w.community, '远处小区');
    await t.db.update(compounds).set({ lat: 40.0536, lng: 113.25 }).where(eq(compounds.id, far.compound.id));
    const reporterThere = await makeUser(t.db, {
      grants: [
        {
          role: 'resident',
          scopePath: near.compound.path,
          nodeKind: 'compound',
          nodeRef: String(near.compound.id),
        },
      ],
    });
    const nearTicket = (
      await t.send(await loginAs(t.app, reporterThere.phone), 'POST', '/api/v1/tickets', {
        description: '暖气一点都不热',
        compoundId: near.compound.id,
      })
    ).json();
    const farReporter = await makeUser(t.db, {
      grants: [
        {
          role: 'resident',
          scopePath: far.compound.path,
          nodeKind: 'compound',
          nodeRef: String(far.compound.id),
        },
      ],
    });
    await t.send(await loginAs(t.app, farReporter.phone), 'POST', '/api/v1/tickets', {
      description: '暖气不热',
      compoundId: far.compound.id,
    });

    const typed = encodeURIComponent('我家暖气不热');
    const res = await t.get(
      w.neighbour.cookie,
      `/api/v1/tickets/similar?compoundId=${w.compound.id}&text=${typed}`,
    );
    expect(res.statusCode).toBe(200);
    const ids = res.json().map((x: { id: number }) => x.id);
    expect(ids).toEqual(expect.arrayContaining([heat.id, nearTicket.id]));
    expect(ids).not.toContain(lamp.id);
    expect(ids).toHaveLength(2);
    const first = res.json()[0];
    expect(first).not.toHaveProperty('contactName');
    expect(res.json().find((x: { id: number }) => x.id === nearTicket.id)).toMatchObject({
      sameCompound: false,
    });

    const plus = await t.send(w.neighbour.cookie, 'POST', `/api/v1/tickets/${heat.id}/follow`);
    expect(plus.json()).toEqual({ followers: 2 });
    // Twice is once.
    expect((await t.send(w.neighbour.cookie, 'POST', `/api/v1/tickets/${heat.id}/follow`)).json()).toEqual({
      followers: 2,
    });
    const mine = (await t.get(w.neighbour.cookie, '/api/v1/tickets?view=mine')).json();
    expect(mine.items.map((x: { id: number }) => x.id)).toContain(heat.id);
    // A closed or unknown ticket cannot be followed.
    expect((await t.send(w.neighbour.cookie, 'POST', '/api/v1/tickets/99999999/follow')).statusCode).toBe(
      404,
    );
  });
});

describe('notices', () => {
  it('followers get an in-app notice for each public move by someone else; read marks clear them', async () => {
    const w = await world();
    const id = (
      await t.send(w.resident.cookie, 'POST', '/api/v1/tickets', {
        description: '单元门坏了',
        compoundId: w.compound.id,
      })
    ).json().id;
    await t.send(w.neighbour.cookie, 'POST', `/api/v1/tickets/${id}/follow`);
    await act(w.admin.cookie, id, { kind: 'accept' });
    await act(w.admin.cookie, id, { kind: 'whistle', departmentIds: [w.dept.id] });
    await act(w.officer.cookie, id, { kind: 'checkIn', departmentId: w.dept.id });
    await act(w.officer.cookie, id, {
      kind: 'update',
      departmentId: w.dept.id,
      note: '内部备注',
      public: false,
    });
    await act(w.township.cookie, id, { kind: 'supervise', note: '抓紧' });
    const page = (await t.get(w.resident.cookie, '/api/v1/notices')).json();
    expect(page.unread).toBe(3);
    expect(page.items.map((n: { kind: string }) => n.kind)).toEqual(['checkIn', 'whistle', 'accept']);
    // Each notice says what the ticket is about (here the start of the report: no item was chosen).
    expect(page.items[0]).toMatchObject({
      ticketId: id,
      toStatus: 'inProgress',
      readAt: null,
      about: '单元门坏了',
    });
    // The neighbour who added +1 hears too; the admin who acted hears nothing of their own moves.
    expect((await t.get(w.neighbour.cookie, '/api/v1/notices')).json().unread).toBe(3);
    expect((await t.get(w.admin.cookie, '/api/v1/notices')).json().unread).toBe(0);
    const one = await t.send(w.resident.cookie, 'POST', '/api/v1/notices/read', { ids: [page.items[0].id] });
    expect(one.json()).toEqual({ unread: 2 });
    // Someone else's notice ids are ignored.
    const nb = (await t.get(w.neighbour.cookie, '/api/v1/notices')).json();
    await t.send(w.resident.cookie, 'POST', '/api/v1/notices/read', {
      ids: nb.items.map((n: { id: number }) => n.id),
    });
    expect((await t.get(w.neighbour.cookie, '/api/v1/notices')).json().unread).toBe(3);
    expect((await t.send(w.resident.cookie, 'POST', '/api/v1/notices/read', { ids: 'all' })).json()).toEqual({
      unread: 0,
    });
  });

  it('a hotline caller without an account is told by SMS, once, after the move commits', async () => {
    const w = await world();
    const phone = '13911112222';
    const created = await t.send(w.township.cookie, 'POST', '/api/v1/tickets', {
      channel: 'hotline',
      description: '来电：楼下饭店油烟很大',
      communityCode: w.community,
      contactName: '钱女士',
      contactPhone: phone,
    });
    await act(w.admin.cookie, created.json().id, { kind: 'accept' });
    const before = t.sms.notices.length;
    // (Other tests' hotline callers may be in the outbox too.)
    expect(await runSmsSender(t.db, t.sms, t.clock)).toBeGreaterThanOrEqual(2);
    expect(await runSmsSender(t.db, t.sms, t.clock)).toBe(0);
    const texts = t.sms.notices.slice(before).filter((n) => n.phone === phone);
    expect(texts).toEqual([
      { phone, text: `【共治】您反映的诉求（编号 ${created.json().number}）已收到，我们会尽快受理。` },
      { phone, text: `【共治】您反映的诉求（编号 ${created.json().number}）已受理，正在办理。` },
    ]);
  });
});

describe('SMS outbox', () => {
  it('two senders at once send each message once; a failed send is tried again later', async () => {
    const w = await world();
    const phone = '13933334444';
    await t.send(w.township.cookie, 'POST', '/api/v1/tickets', {
      channel: 'hotline',
      description: '来电：小区门口路灯不亮',
      communityCode: w.community,
      contactName: '孙先生',
      contactPhone: phone,
    });
    // A gateway that is down: the message stays queued, its attempt counted.
    const down = {
      ...memorySmsGateway(),
      async sendNotice() {
        throw new Error('gateway down');
      },
    };
    await runSmsSender(t.db, down, t.clock);
    const [queued] = await t.db
      .select()
      .from(notices)
      .where(and(eq(notices.channel, 'sms'), eq(notices.phone, phone)));
    expect(queued).toMatchObject({ sentAt: null, attempts: 1, leaseUntil: null });
    // Slow gateways, two senders: each message goes out once.
    const slow = memorySmsGateway();
    const slowly = {
      ...slow,
      async sendNotice(p: string, text: string) {
        await new Promise((r) => setTimeout(r, 20));
        await slow.sendNotice(p, text);
      },
    };
    await Promise.all([runSmsSender(t.db, slowly, t.clock), runSmsSender(t.db, slowly, t.clock)]);
    expect(slow.notices.filter((n) => n.phone === phone)).toHaveLength(1);
  });
});

describe('routing suggestion', () => {
  it('suggests the item and its department from the text, with the words that speak for it', async () => {
    const w = await world();
    const res = await t.send(w.resident.cookie, 'POST', '/api/v1/tickets/suggest', {
      text: '家里暖气一点都不热，屋里冰凉，老人冻得受不了',
    });
    expect(res.statusCode).toBe(200);
    const [top] = res.json();
    const heating = await t.db
      .select()
      .from(responsibilityItems)
      .where(eq(responsibilityItems.id, top.itemId));
    expect(heating[0]?.name).toMatch(/供暖|暖气|供热/);
    expect(top).toMatchObject({ handlerLevel: 'department', departmentType: expect.any(String) });
    expect(top.why.length).toBeGreaterThan(0);
    expect(
      (await t.send(w.resident.cookie, 'POST', '/api/v1/tickets/suggest', { text: '' })).statusCode,
    ).toBe(400);
  });
});

describe('staff follow-up', () => {
  it('reveals a hotline caller’s phone to staff for the call, audited; the recorded rating stays internal', async () => {
    const w = await world();
    const created = (
      await t.send(w.township.cookie, 'POST', '/api/v1/tickets', {
        channel: 'hotline',
        description: '来电：井盖松动',
        communityCode: w.community,
        contactName: '孙先生',
        contactPhone: '13955556666',
      })
    ).json();
    expect(created.contactPhone).toBe('139****6666');
    const shown = await t.send(w.admin.cookie, 'POST', `/api/v1/tickets/${created.id}/reveal-contact`);
    expect(shown.json()).toEqual({ contactName: '孙先生', contactPhone: '13955556666' });
    const [entry] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'pii.reveal'), eq(auditLog.entityId, String(created.id))));
    expect(entry?.actorUserId).toBe(w.admin.user.id);
    expect(
      (await t.send(w.resident.cookie, 'POST', `/api/v1/tickets/${created.id}/reveal-contact`)).statusCode,
    ).toBe(404);
    // Found by the start of its number.
    const found = (await t.get(w.admin.cookie, `/api/v1/tickets?q=${created.number.slice(0, 11)}`)).json();
    expect(found.items.map((x: { id: number }) => x.id)).toContain(created.id);
  });
});
