import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { partyMemberEvents, partyMembers } from './tables.ts';

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
