import { and, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, grants, users } from '../auth/tables.ts';
import {
  compoundUser,
  cookieOf,
  createTestApp,
  loginAs,
  makeCompound,
  makeUser,
  nextPhone,
  regionPath,
  regionUser,
  type TestApp,
} from '../test/app.ts';
import { makeIdNumber } from './id-number.ts';
import { partyMemberEvents, partyMembers, partyUnitAdmins } from './tables.ts';

let t: TestApp;
let community: string;
let X: { id: number; path: string };
let ca: { cookie: string };
let cb: { cookie: string };
let sec: { cookie: string };

let seq = 0;
const idNo = (sex: 'male' | 'female' = 'male') => makeIdNumber('140212', '1982-09-09', 2 * ++seq, sex);

beforeAll(async () => {
  t = await createTestApp();
  community = await t.freshCommunity('140213');
  const other = await t.freshCommunity('140213', [community]);
  X = (await makeCompound(t.db, community, '报到一区')).compound;
  await makeCompound(t.db, other, '报到外区');
  ca = await regionUser(t, 'communityAdmin', community);
  cb = await regionUser(t, 'communityAdmin', other);
  sec = await compoundUser(t, 'compoundSecretary', X);
});
afterAll(async () => t?.close());

const post = (cookie: string, url: string, body: object) => t.send(cookie, 'POST', url, body);

/** Someone with an account and no role: an in-service member who lives in X. */
async function person() {
  const u = await makeUser(t.db, { name: '在职党员' });
  return { user: u, cookie: await loginAs(t.app, u.phone) };
}

describe('dual registration (双报到)', () => {
  it('a unit registers with the community; its member registers from the phone; the community confirms; the ledger and the unit’s count follow', async () => {
    const unit = await post(ca.cookie, '/api/v1/party/units', {
      name: '大同市测试供热公司',
      communityCode: community,
      contactName: '周联系',
      contactPhone: '13800001111',
      expectedMembers: 3,
      agreement: '每季度开展一次入户走访',
      pledged: '冬季供热检修志愿服务',
    });
    expect(unit.statusCode).toBe(200);
    expect(unit.json()).toMatchObject({ expectedMembers: 3, registered: 0, contactPhone: '138****1111' });
    const again = await post(ca.cookie, '/api/v1/party/units', {
      name: '大同市测试供热公司',
      communityCode: community,
    });
    expect(again.json().code).toBe('unit.already_registered');
    expect(
      (await post(cb.cookie, '/api/v1/party/units', { name: '别人', communityCode: community })).statusCode,
    ).toBe(404);

    const me = await person();
    const found = (
      await t.get(me.cookie, `/api/v1/party/units/search?q=${encodeURIComponent('供热')}`)
    ).json();
    expect(found).toEqual([{ id: unit.json().id, name: '大同市测试供热公司' }]);
    const number = idNo();
    const bad = await post(me.cookie, '/api/v1/me/party/registrations', {
      name: '吴在职',
      idNumber: `${number.slice(0, 17)}${number[17] === '1' ? '2' : '1'}`,
      compoundId: X.id,
      unitId: unit.json().id,
    });
    expect(bad.json().code).toBe('member.id_number_invalid');
    const r = await post(me.cookie, '/api/v1/me/party/registrations', {
      name: '吴在职',
      idNumber: number,
      compoundId: X.id,
      unitId: unit.json().id,
      skills: ['电工'],
      leader: true,
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      status: 'pending',
      name: '吴在职',
      workUnit: '大同市测试供热公司',
      can: { withdraw: true, decide: false },
    });
    const twice = await post(me.cookie, '/api/v1/me/party/registrations', {
      name: '吴在职',
      idNumber: number,
      compoundId: X.id,
      workUnit: '某单位',
    });
    expect(twice.json().code).toBe('registration.pending_exists');

    // The community sees it masked; the secretary sees it but only the community decides.
    const list = (await t.get(ca.cookie, '/api/v1/party/registrations?status=pending')).json();
    expect(list.map((x: { id: number }) => x.id)).toContain(r.json().id);
    expect(list.find((x: { id: number }) => x.id === r.json().id)).toMatchObject({
      name: '吴**',
      can: { decide: true },
    });
    expect(
      (await post(sec.cookie, `/api/v1/party/registrations/${r.json().id}/decide`, { decision: 'confirm' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await post(cb.cookie, `/api/v1/party/registrations/${r.json().id}/decide`, { decision: 'confirm' }))
        .statusCode,
    ).toBe(404);
    const ok = await post(ca.cookie, `/api/v1/party/registrations/${r.json().id}/decide`, {
      decision: 'confirm',
    });
    expect(ok.json()).toMatchObject({ status: 'confirmed' });
    expect(
      (
        await post(ca.cookie, `/api/v1/party/registrations/${r.json().id}/decide`, {
          decision: 'reject',
          reason: 'x',
        })
      ).json().code,
    ).toBe('registration.decided');
    // On the in-service ledger of X, linked to the account; the unit counts one of three.
    const [m] = await t.db.select().from(partyMembers).where(eq(partyMembers.userId, me.user.id));
    expect(m).toMatchObject({
      ledger: 'inService',
      compoundId: X.id,
      workUnit: '大同市测试供热公司',
      skills: ['电工'],
    });
    const units = (await t.get(ca.cookie, '/api/v1/party/units')).json();
    expect(units.find((u: { id: number }) => u.id === unit.json().id)).toMatchObject({
      registered: 1,
      expectedMembers: 3,
      pending: 0,
    });
    expect((await t.get(me.cookie, '/api/v1/me/party')).json().member).toMatchObject({
      ledger: 'inService',
      name: '吴在职',
    });

    // The unit's administrator sees its staff's registrations, and nothing of the ledger.
    const admin = await person();
    const [adminUser] = await t.db
      .execute(sql`select phone from users where id = ${admin.user.id}`)
      .then((x) => (x as unknown as { rows: { phone: string }[] }).rows);
    expect(
      (await post(ca.cookie, `/api/v1/party/units/${unit.json().id}/admins`, { phone: adminUser?.phone }))
        .statusCode,
    ).toBe(200);
    const staffRegs = (
      await t.get(admin.cookie, `/api/v1/party/units/${unit.json().id}/registrations`)
    ).json();
    expect(staffRegs.map((x: { id: number }) => x.id)).toEqual([r.json().id]);
    expect((await t.get(admin.cookie, '/api/v1/party/members')).statusCode).toBe(403);
    expect((await t.get(me.cookie, `/api/v1/party/units/${unit.json().id}/registrations`)).statusCode).toBe(
      404,
    );
  });

  it('a member already on a ledger here moves to in-service with the history; a rejection needs a reason; a wait can be withdrawn', async () => {
    const number = idNo('female');
    const existing = await post(ca.cookie, '/api/v1/party/members', {
      name: '郑直管',
      idNumber: number,
      compoundId: X.id,
      ledger: 'direct',
    });
    expect(existing.statusCode).toBe(200);
    const me = await person();
    const r = (
      await post(me.cookie, '/api/v1/me/party/registrations', {
        name: '郑直管',
        idNumber: number,
        compoundId: X.id,
        workUnit: '平城区某街道办',
      })
    ).json();
    const confirmed = await post(ca.cookie, `/api/v1/party/registrations/${r.id}/decide`, {
      decision: 'confirm',
    });
    expect(confirmed.json().status).toBe('confirmed');
    const events = await t.db
      .select()
      .from(partyMemberEvents)
      .where(eq(partyMemberEvents.memberId, existing.json().id));
    expect(events.at(-1)).toMatchObject({ kind: 'ledgerMoved', reason: '双报到确认' });
    const [m] = await t.db.select().from(partyMembers).where(eq(partyMembers.id, existing.json().id));
    expect(m).toMatchObject({ ledger: 'inService', workUnit: '平城区某街道办', userId: me.user.id });

    const other = await person();
    const r2 = (
      await post(other.cookie, '/api/v1/me/party/registrations', {
        name: '冯某',
        idNumber: idNo(),
        compoundId: X.id,
        workUnit: '某公司',
      })
    ).json();
    const noReason = await post(ca.cookie, `/api/v1/party/registrations/${r2.id}/decide`, {
      decision: 'reject',
    });
    expect(noReason.statusCode).toBe(400);
    const rejected = await post(ca.cookie, `/api/v1/party/registrations/${r2.id}/decide`, {
      decision: 'reject',
      reason: '经核实不在本小区居住',
    });
    expect(rejected.json()).toMatchObject({ status: 'rejected', reason: '经核实不在本小区居住' });
    const mine = (await t.get(other.cookie, '/api/v1/me/party/registrations')).json();
    expect(mine[0]).toMatchObject({ status: 'rejected', reason: '经核实不在本小区居住', name: '冯某' });
    const r3 = (
      await post(other.cookie, '/api/v1/me/party/registrations', {
        name: '冯某',
        idNumber: idNo(),
        compoundId: X.id,
        workUnit: '某公司',
      })
    ).json();
    expect(
      (await post(other.cookie, `/api/v1/me/party/registrations/${r3.id}/withdraw`, {})).json().status,
    ).toBe('withdrawn');
    expect((await post(me.cookie, `/api/v1/me/party/registrations/${r3.id}/withdraw`, {})).statusCode).toBe(
      404,
    );
  });
});

describe('the unit’s side (本单位报到)', () => {
  /** A unit registered with the community, and `n` of its staff registered with X. */
  async function unitWithStaff(name: string, n: number) {
    const unit = await post(ca.cookie, '/api/v1/party/units', {
      name,
      communityCode: community,
      expectedMembers: 5,
      agreement: `${name}：每季度一次共建活动`,
      pledged: `${name}：志愿者 3 人`,
    });
    expect(unit.statusCode).toBe(200);
    const regs: number[] = [];
    for (let i = 0; i < n; i++) {
      const me = await person();
      const r = await post(me.cookie, '/api/v1/me/party/registrations', {
        name: `${name.slice(5, 7)}职工${i}`,
        idNumber: idNo(),
        compoundId: X.id,
        unitId: unit.json().id,
        skills: ['宣讲'],
      });
      expect(r.statusCode).toBe(200);
      regs.push(r.json().id);
    }
    return { id: unit.json().id as number, regs };
  }
  const grantsOf = (userId: number) =>
    t.db
      .select()
      .from(grants)
      .where(and(eq(grants.userId, userId), eq(grants.role, 'unitAdmin')));

  it('someone made a unit’s administrator by phone gets the console and sees that unit’s staff, never another unit’s', async () => {
    const mine = await unitWithStaff('大同市测试燃气公司', 2);
    const theirs = await unitWithStaff('大同市测试自来水公司', 1);
    // One of ours is confirmed by the community.
    expect(
      (
        await post(ca.cookie, `/api/v1/party/registrations/${mine.regs[0]}/decide`, { decision: 'confirm' })
      ).json().status,
    ).toBe('confirmed');

    const boss = await person();
    expect((await t.get(boss.cookie, '/api/v1/me')).json().can.console).toBe(false);
    const [{ phone } = { phone: '' }] = await t.db
      .select({ phone: users.phone })
      .from(users)
      .where(eq(users.id, boss.user.id));
    // Only the community's side may appoint: another community's admin does not find the unit.
    expect((await post(cb.cookie, `/api/v1/party/units/${mine.id}/admins`, { phone })).json().code).toBe(
      'unit.not_found',
    );
    expect((await post(sec.cookie, `/api/v1/party/units/${mine.id}/admins`, { phone })).statusCode).toBe(403);
    expect((await post(ca.cookie, `/api/v1/party/units/${mine.id}/admins`, { phone })).statusCode).toBe(200);
    expect((await post(ca.cookie, `/api/v1/party/units/${mine.id}/admins`, { phone })).statusCode).toBe(200);

    // The role that opens the console, on the community, once, audited.
    const held = await grantsOf(boss.user.id);
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ nodeKind: 'region', nodeRef: community });
    const grantAudits = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'grant.add'), eq(auditLog.entityId, String(boss.user.id))));
    expect(grantAudits).toHaveLength(1);
    expect(grantAudits[0]?.detail).toMatchObject({ role: 'unitAdmin', unitId: mine.id });
    // At once on the session they have, and on their next sign-in.
    expect((await t.get(boss.cookie, '/api/v1/me')).json().can.console).toBe(true);
    const again = await loginAs(t.app, phone);
    const me = (await t.get(again, '/api/v1/me')).json();
    expect(me.can).toMatchObject({ console: true, manageUsers: false });
    expect(me.grants.map((g: { role: string }) => g.role)).toContain('unitAdmin');

    // Their units: only the one they administer, though the other is registered in the same community.
    const units = (await t.get(again, '/api/v1/me/party/units')).json();
    expect(units).toHaveLength(1);
    expect(units[0]).toMatchObject({
      id: mine.id,
      expectedMembers: 5,
      registered: 1,
      pending: 1,
      communities: [{ code: community, agreement: '大同市测试燃气公司：每季度一次共建活动' }],
    });
    expect((await t.get(again, '/api/v1/party/units')).json().map((u: { id: number }) => u.id)).toEqual([
      mine.id,
    ]);
    const regs = (await t.get(again, `/api/v1/party/units/${mine.id}/registrations`)).json();
    expect(regs.map((r: { id: number }) => r.id).sort()).toEqual([...mine.regs].sort());
    expect(regs.find((r: { id: number }) => r.id === mine.regs[0])).toMatchObject({
      name: '燃****',
      status: 'confirmed',
      compound: { id: X.id },
      community: { code: community },
      can: { decide: false, withdraw: false },
    });
    expect(regs[0].phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    const pending = (
      await t.get(again, `/api/v1/party/units/${mine.id}/registrations?status=pending`)
    ).json();
    expect(pending.map((r: { id: number }) => r.id)).toEqual([mine.regs[1]]);

    // Another unit's registrations: not found, as a list or a workbook; nothing of the community's.
    expect((await t.get(again, `/api/v1/party/units/${theirs.id}/registrations`)).statusCode).toBe(404);
    expect((await t.get(again, `/api/v1/party/units/${theirs.id}/registrations.xlsx`)).statusCode).toBe(404);
    expect((await t.get(again, '/api/v1/party/registrations')).statusCode).toBe(403);
    expect((await t.get(again, '/api/v1/party/members')).statusCode).toBe(403);

    // The workbook: the same rows, masked.
    const x = await t.get(again, `/api/v1/party/units/${mine.id}/registrations.xlsx`);
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const names: string[] = [];
    wb.worksheets[0]?.eachRow((row, n) => {
      if (n > 1) names.push(String(row.getCell(1).value));
    });
    expect(names.sort()).toEqual(['燃****', '燃****']);
    expect(wb.worksheets[0]?.getRow(2).getCell(7).value).toMatch(/^(已确认|待社区确认)$/);
  });

  it('a phone without an account gets one (SMS sign-in) when named; one already holding the role above is not granted again', async () => {
    const unit = await unitWithStaff('大同市测试公交公司', 0);
    const phone = nextPhone();
    const unnamed = await post(ca.cookie, `/api/v1/party/units/${unit.id}/admins`, { phone });
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json().errors).toMatchObject([{ path: 'name' }]);
    expect(
      (await post(ca.cookie, `/api/v1/party/units/${unit.id}/admins`, { phone, name: '钱书记' })).statusCode,
    ).toBe(200);
    const [u] = await t.db.select().from(users).where(eq(users.phone, phone));
    expect(u).toMatchObject({ name: '钱书记', passwordHash: null });
    expect(await grantsOf(u?.id as number)).toMatchObject([{ nodeRef: community }]);
    expect(
      await t.db
        .select()
        .from(partyUnitAdmins)
        .where(eq(partyUnitAdmins.userId, u?.id as number)),
    ).toEqual([{ unitId: unit.id, userId: u?.id }]);
    // They sign in with a code and land on their unit.
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/otp', payload: { phone } });
    const code = t.sms.sent.filter((m) => m.phone === phone).at(-1)?.code;
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp/login',
      payload: { phone, code },
    });
    expect(login.statusCode).toBe(200);
    const cookie = cookieOf(login);
    expect((await t.get(cookie, '/api/v1/me')).json().can.console).toBe(true);
    expect((await t.get(cookie, '/api/v1/me/party/units')).json().map((x: { id: number }) => x.id)).toEqual([
      unit.id,
    ]);

    // Someone already a unit administrator over the whole county keeps their one grant.
    const county = community.slice(0, 6);
    const wide = await makeUser(t.db, {
      grants: [
        { role: 'unitAdmin', scopePath: await regionPath(t.db, county), nodeKind: 'region', nodeRef: county },
      ],
    });
    expect(
      (await post(ca.cookie, `/api/v1/party/units/${unit.id}/admins`, { phone: wide.phone })).statusCode,
    ).toBe(200);
    expect(await grantsOf(wide.id)).toMatchObject([{ nodeRef: county }]);
    // Nobody's units but one's own: a stranger has none.
    const stranger = await person();
    expect((await t.get(stranger.cookie, '/api/v1/me/party/units')).json()).toEqual([]);
  });
});
