import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { partyMembers } from './tables.ts';

let t: TestApp;
let community: string;
let other: string;
let X: { id: number; path: string };
let Y: { id: number; path: string };
let Z: { id: number; path: string };
let ca: { cookie: string };
let cb: { cookie: string };
let sec: { cookie: string };
let resident: { cookie: string };
let township: { cookie: string };

let seq = 0;
const idNo = (birth = '1970-05-01', sex: 'male' | 'female' = 'male') =>
  makeIdNumber('140202', birth, ++seq * 2, sex);

beforeAll(async () => {
  t = await createTestApp();
  community = await t.freshCommunity('140213');
  other = await t.freshCommunity('140213', [community]);
  X = (await makeCompound(t.db, community, '党建一区')).compound;
  Y = (await makeCompound(t.db, community, '党建二区')).compound;
  Z = (await makeCompound(t.db, other, '别社区小区')).compound;
  ca = await regionUser(t, 'communityAdmin', community);
  cb = await regionUser(t, 'communityAdmin', other);
  sec = await compoundUser(t, 'compoundSecretary', X);
  resident = await compoundUser(t, 'resident', X);
  township = await regionUser(t, 'townshipAdmin', community.slice(0, 9));
});
afterAll(async () => t?.close());

const post = (cookie: string, url: string, body: object) => t.send(cookie, 'POST', url, body);

async function addMember(cookie: string, over: Record<string, unknown> = {}) {
  const res = await post(cookie, '/api/v1/party/members', {
    name: '王建国',
    idNumber: idNo(),
    compoundId: X.id,
    ledger: 'direct',
    phone: '13900000001',
    ...over,
  });
  if (res.statusCode !== 200) throw new Error(`add member: ${res.statusCode} ${res.body}`);
  return res.json();
}

const count = async () =>
  Number((await t.db.select({ n: sql<number>`count(*)::int` }).from(partyMembers))[0]?.n);

describe('party members', () => {
  it('checks the ID number, reads birth date and sex from it, stores it sealed and shows it masked', async () => {
    const before = await count();
    const bad = await post(ca.cookie, '/api/v1/party/members', {
      name: '李四',
      idNumber: '110105194912310021',
      compoundId: X.id,
      ledger: 'direct',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('member.id_number_invalid');
    expect(bad.json().detail).toContain('校验位不符');
    expect(bad.json().errors).toEqual([{ path: 'idNumber', message: expect.stringContaining('校验位') }]);
    expect(await count()).toBe(before);

    const number = idNo('1952-03-08', 'female');
    const m = await addMember(ca.cookie, { name: '赵秀英', idNumber: number.toLowerCase() });
    expect(m).toMatchObject({
      name: '赵**',
      sex: 'female',
      birthDate: '1952-03-08',
      age: 74,
      idNumber: `${number.slice(0, 4)}**********${number.slice(-4)}`,
      phone: '139****0001',
      ledger: 'direct',
      status: 'normal',
      colour: 'orange',
      version: 1,
      can: { edit: true, reveal: true },
    });
    expect(m.history).toEqual([expect.objectContaining({ kind: 'created' })]);
    const [row] = await t.db.select().from(partyMembers).where(eq(partyMembers.id, m.id));
    expect(Buffer.from(row?.idSealed as Buffer).toString('latin1')).not.toContain(number.slice(6, 14));

    // The same person again, in another community too: refused; only those who may see the record learn whose.
    const again = await post(ca.cookie, '/api/v1/party/members', {
      name: '赵秀英',
      idNumber: number,
      compoundId: Y.id,
      ledger: 'retired',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toContain(`编号 ${m.id}`);
    const elsewhere = await post(cb.cookie, '/api/v1/party/members', {
      name: '赵秀英',
      idNumber: number,
      compoundId: Z.id,
      ledger: 'retired',
    });
    expect(elsewhere.statusCode).toBe(409);
    expect(elsewhere.json().code).toBe('member.id_number_taken');
    expect(elsewhere.json().detail).not.toContain('赵');
    expect(await count()).toBe(before + 1);
  });

  it('a mobile member needs where, a contact and the certificate number', async () => {
    const bare = await post(ca.cookie, '/api/v1/party/members', {
      name: '钱流动',
      idNumber: idNo(),
      compoundId: X.id,
      ledger: 'mobile',
    });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().code).toBe('member.mobile_required');
    const m = await addMember(ca.cookie, {
      name: '钱流动',
      ledger: 'mobile',
      mobile: { direction: 'out', place: '北京市朝阳区', contact: '13900000002', certificate: 'LD-2026-001' },
    });
    expect(m.mobile).toMatchObject({ direction: 'out', place: '北京市朝阳区', certificate: 'LD-2026-001' });
    expect(m.colour).toBe('green');
  });

  it('an edit keeps history; an edit made on a stale copy is refused and changes nothing', async () => {
    const m = await addMember(ca.cookie, { name: '孙明' });
    const newId = idNo('1960-01-02', 'male');
    const ok = await t.send(ca.cookie, 'PATCH', `/api/v1/party/members/${m.id}`, {
      version: 1,
      name: '孙明亮',
      idNumber: newId,
      skills: ['电工', '理发'],
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ version: 2, birthDate: '1960-01-02', skills: ['电工', '理发'] });
    const change = ok.json().history.find((h: { kind: string }) => h.kind === 'updated');
    expect(change.changes.name).toEqual({ from: '孙*', to: '孙**' });
    expect(change.changes.idNumber.to).toBe(`${newId.slice(0, 4)}**********${newId.slice(-4)}`);
    const stale = await t.send(ca.cookie, 'PATCH', `/api/v1/party/members/${m.id}`, {
      version: 1,
      name: '孙错',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('member.stale');
    const [row] = await t.db.select().from(partyMembers).where(eq(partyMembers.id, m.id));
    expect(row?.name).toBe('孙明亮');
  });

  it('moves between ledgers with a reason, kept in the history', async () => {
    const m = await addMember(ca.cookie, { name: '周在职' });
    const noReason = await post(ca.cookie, `/api/v1/party/members/${m.id}/ledger`, {
      ledger: 'inService',
      version: 1,
    });
    expect(noReason.statusCode).toBe(400);
    const moved = await post(ca.cookie, `/api/v1/party/members/${m.id}/ledger`, {
      ledger: 'inService',
      reason: '到市供热公司工作，组织关系转入单位',
      workUnit: '大同市供热公司',
      version: 1,
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ ledger: 'inService', workUnit: '大同市供热公司', colour: 'red' });
    expect(moved.json().history[0]).toMatchObject({
      kind: 'ledgerMoved',
      reason: '到市供热公司工作，组织关系转入单位',
      changes: { ledger: { from: 'direct', to: 'inService' } },
    });
    const same = await post(ca.cookie, `/api/v1/party/members/${m.id}/ledger`, {
      ledger: 'inService',
      reason: '再次',
      version: 2,
    });
    expect(same.statusCode).toBe(400);
    expect(same.json().detail).toContain('在职党员');
  });

  it('status changes and colour choices are recorded; a colour other than the suggestion needs a reason', async () => {
    const m = await addMember(ca.cookie, { name: '吴老', idNumber: idNo('1940-02-02') });
    expect(m.colour).toBe('purple');
    const noReason = await post(ca.cookie, `/api/v1/party/members/${m.id}/colour`, {
      colour: 'blue',
      version: 1,
    });
    expect(noReason.json().code).toBe('member.reason_required');
    const blue = await post(ca.cookie, `/api/v1/party/members/${m.id}/colour`, {
      colour: 'blue',
      reason: '长期卧床',
      version: 1,
    });
    expect(blue.json()).toMatchObject({ colour: 'blue', colourSuggested: 'purple', colourOverridden: true });
    const back = await post(ca.cookie, `/api/v1/party/members/${m.id}/colour`, {
      colour: 'purple',
      version: 2,
    });
    expect(back.json()).toMatchObject({ colour: 'purple', colourOverridden: false, colourReason: null });
    const dead = await post(ca.cookie, `/api/v1/party/members/${m.id}/status`, {
      status: 'deceased',
      reason: '2026年11月病逝',
      version: 3,
    });
    expect(dead.json()).toMatchObject({ status: 'deceased', version: 4 });
  });

  it('lists masked records filtered by place, ledger, colour and name; counts the four ledgers and the colours', async () => {
    const a = await addMember(ca.cookie, { name: '郑一', compoundId: Y.id, ledger: 'retired' });
    const b = await addMember(ca.cookie, {
      name: '郑二',
      compoundId: Y.id,
      ledger: 'retired',
      idNumber: idNo('1930-01-01'),
    });
    const list = (q: string) => t.get(ca.cookie, `/api/v1/party/members?${q}`);
    const inY = (await list(`compoundId=${Y.id}`)).json();
    expect(inY.items.map((x: { id: number }) => x.id)).toEqual([b.id, a.id]);
    expect(inY.items[0].name).toBe('郑*');
    const purple = (await list(`compoundId=${Y.id}&colour=purple`)).json();
    expect(purple.items.map((x: { id: number }) => x.id)).toEqual([b.id]);
    const byName = (await list('q=郑二')).json();
    expect(byName.items.map((x: { id: number }) => x.id)).toEqual([b.id]);
    const counts = (await t.get(ca.cookie, `/api/v1/party/ledgers?region=${community}`)).json();
    const y = counts.compounds.find((c: { id: number }) => c.id === Y.id);
    expect(y).toMatchObject({ total: 2, byLedger: { direct: 0, retired: 2, inService: 0, mobile: 0 } });
    // The colours counted in SQL agree with the colours shown, member by member.
    const all = (await list(`region=${community}&status=normal&limit=200`)).json().items as {
      colour: string;
    }[];
    const shown: Record<string, number> = {};
    for (const x of all) shown[x.colour] = (shown[x.colour] ?? 0) + 1;
    for (const [colour, n] of Object.entries(counts.byColour)) expect(n).toBe(shown[colour] ?? 0);
    expect(counts.total).toBe(all.length);
  });

  it('who sees what: party-work roles of the place; others nothing', async () => {
    const m = await addMember(ca.cookie, { name: '冯可见' });
    const inY = await addMember(ca.cookie, { name: '冯二区', compoundId: Y.id });
    expect((await t.get(resident.cookie, '/api/v1/party/members')).statusCode).toBe(403);
    expect((await t.get(resident.cookie, `/api/v1/party/members/${m.id}`)).statusCode).toBe(403);
    expect((await t.get(cb.cookie, `/api/v1/party/members/${m.id}`)).statusCode).toBe(404);
    const cbList = (await t.get(cb.cookie, '/api/v1/party/members?limit=200')).json();
    expect(cbList.items.some((x: { id: number }) => x.id === m.id)).toBe(false);
    // The compound secretary sees their compound only, and cannot unmask.
    const secList = (await t.get(sec.cookie, '/api/v1/party/members?limit=200')).json();
    expect(secList.items.some((x: { id: number }) => x.id === m.id)).toBe(true);
    expect(secList.items.some((x: { id: number }) => x.id === inY.id)).toBe(false);
    expect((await t.get(sec.cookie, `/api/v1/party/members/${m.id}`)).json().can).toEqual({
      edit: true,
      reveal: false,
    });
    expect((await post(sec.cookie, `/api/v1/party/members/${m.id}/reveal`, {})).statusCode).toBe(403);
    expect((await t.get(township.cookie, `/api/v1/party/members/${m.id}`)).statusCode).toBe(200);
    // Writes outside the scope: as if the member did not exist.
    const foreign = await t.send(cb.cookie, 'PATCH', `/api/v1/party/members/${m.id}`, {
      version: 1,
      name: '改',
    });
    expect(foreign.statusCode).toBe(404);
  });

  it('unmasking is for the community and above, and every read is in the audit log', async () => {
    const number = idNo('1966-06-06', 'male');
    const m = await addMember(ca.cookie, { name: '陈真名', idNumber: number, phone: '13900000077' });
    const r = await post(ca.cookie, `/api/v1/party/members/${m.id}/reveal`, {});
    expect(r.json()).toEqual({ name: '陈真名', idNumber: number, phone: '13900000077' });
    const logged = await t.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityId, String(m.id)));
    expect(logged.filter((a) => a.action === 'pii.reveal' && a.entity === 'party_member')).toHaveLength(1);
  });

  it('a member signing in sees their own record and branch, and nothing of others', async () => {
    const phone = '13900000555';
    const m = await addMember(ca.cookie, { name: '黄自己', phone });
    const me = await makeUser(t.db, { phone, name: '黄自己' });
    const cookie = await loginAs(t.app, me.phone);
    const mine = (await t.get(cookie, '/api/v1/me/party')).json();
    expect(mine.member).toMatchObject({ id: m.id, name: '黄自己', phone });
    expect(mine.member.idNumber).toContain('**********');
    expect((await t.get(cookie, '/api/v1/party/members')).statusCode).toBe(403);
    const nobody = (await t.get(resident.cookie, '/api/v1/me/party')).json();
    expect(nobody).toEqual({ member: null, branch: null });
  });
});

describe('five-colour schemes', () => {
  it('a county sets its own scheme; its members’ suggestions follow it; others may only read it', async () => {
    const county = community.slice(0, 6);
    const m = await addMember(ca.cookie, { name: '七十六', idNumber: idNo('1950-01-01') });
    expect(m.colour).toBe('orange');
    const read = (await t.get(ca.cookie, `/api/v1/party/colour-schemes/${county}`)).json();
    expect(read).toMatchObject({ countyCode: county, isDefault: true, can: { edit: false } });
    const entries = [
      { colour: 'purple', labelZh: '高龄党员', labelEn: 'Elderly', rule: { kind: 'ageAtLeast', years: 75 } },
      { colour: 'orange', labelZh: '其余党员', labelEn: 'Others', rule: { kind: 'otherwise' } },
    ];
    const put = (cookie: string, body: object) =>
      t.send(cookie, 'PUT', `/api/v1/party/colour-schemes/${county}`, body);
    expect((await put(ca.cookie, { entries })).statusCode).toBe(403);
    const countyAdmin = await regionUser(t, 'countyAdmin', county);
    const twice = await put(countyAdmin.cookie, { entries: [entries[0], entries[0]] });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().errors[0].message).toBe('每种颜色只能出现一次');
    const last = await put(countyAdmin.cookie, { entries: [entries[1], entries[0]] });
    expect(last.json().errors[0].message).toBe('“其余党员”一项应放在最后');
    const ok = await put(countyAdmin.cookie, { entries });
    expect(ok.json()).toMatchObject({ isDefault: false, entries, can: { edit: true } });
    // 76 years old: purple under the county's scheme, in the record and in the list filter.
    expect((await t.get(ca.cookie, `/api/v1/party/members/${m.id}`)).json().colour).toBe('purple');
    const purple = (await t.get(ca.cookie, `/api/v1/party/members?colour=purple&limit=200`)).json();
    expect(purple.items.map((x: { id: number }) => x.id)).toContain(m.id);
    expect((await t.get(cb.cookie, `/api/v1/party/colour-schemes/140224`)).statusCode).toBe(404);
  });
});

describe('party organisations', () => {
  let orgCommunity: string;
  let A: { id: number; path: string };
  let B: { id: number; path: string };
  let C: { id: number; path: string };
  let admin: { cookie: string };

  beforeAll(async () => {
    orgCommunity = await t.freshCommunity('140213', [community, other]);
    A = (await makeCompound(t.db, orgCommunity, '组织甲区')).compound;
    B = (await makeCompound(t.db, orgCommunity, '组织乙区')).compound;
    C = (await makeCompound(t.db, orgCommunity, '组织丙区')).compound;
    admin = await regionUser(t, 'communityAdmin', orgCommunity);
  });

  const tree = async () => (await t.get(admin.cookie, `/api/v1/party/orgs?community=${orgCommunity}`)).json();

  it('a branch needs three full members in its compounds; a compound belongs to one branch; gaps are listed', async () => {
    const head = await post(admin.cookie, '/api/v1/party/orgs', {
      kind: 'committee',
      name: '组织社区党委',
      communityCode: orgCommunity,
    });
    expect(head.statusCode).toBe(200);
    const second = await post(admin.cookie, '/api/v1/party/orgs', {
      kind: 'generalBranch',
      name: '又一个',
      communityCode: orgCommunity,
    });
    expect(second.json().code).toBe('party_org.head_exists');

    await addMember(admin.cookie, { compoundId: A.id, name: '甲一' });
    await addMember(admin.cookie, { compoundId: A.id, name: '甲二', standing: 'probationary' });
    await addMember(admin.cookie, { compoundId: A.id, name: '甲三', ledger: 'inService', workUnit: '某局' });
    const few = await post(admin.cookie, '/api/v1/party/orgs', {
      kind: 'branch',
      name: '甲区支部',
      communityCode: orgCommunity,
      parentId: head.json().id,
      compoundIds: [A.id],
    });
    expect(few.statusCode).toBe(409);
    expect(few.json().code).toBe('party_org.too_few_members');
    // One full member whose relation is here: the probationary and the in-service one do not count.
    expect(few.json().detail).toContain('只有 1 名');

    await addMember(admin.cookie, { compoundId: B.id, name: '乙一' });
    await addMember(admin.cookie, { compoundId: B.id, name: '乙二', ledger: 'retired' });
    const joint = await post(admin.cookie, '/api/v1/party/orgs', {
      kind: 'branch',
      name: '甲乙联合支部',
      communityCode: orgCommunity,
      parentId: head.json().id,
      compoundIds: [A.id, B.id],
    });
    expect(joint.statusCode).toBe(200);
    expect(joint.json()).toMatchObject({
      members: { full: 3, probationary: 1 },
      compounds: [{ id: A.id }, { id: B.id }],
    });
    const clash = await post(admin.cookie, '/api/v1/party/orgs', {
      kind: 'branch',
      name: '抢甲区',
      communityCode: orgCommunity,
      parentId: head.json().id,
      compoundIds: [A.id],
    });
    expect(clash.json().code).toBe('party_org.compound_taken');
    expect((await tree()).gaps.map((g: { id: number }) => g.id)).toEqual([C.id]);
    // A member added later joins the branch covering their compound.
    const later = await addMember(admin.cookie, { compoundId: B.id, name: '乙三' });
    expect(later.org).toEqual({ id: joint.json().id, name: '甲乙联合支部' });
  });

  it('merging moves members, compounds and groups; dissolving needs no groups left and leaves members unassigned', async () => {
    const head = (await tree()).orgs.find((o: { kind: string }) => o.kind === 'committee');
    const joint = (await tree()).orgs.find((o: { name: string }) => o.name === '甲乙联合支部');
    for (const n of ['丙一', '丙二', '丙三']) await addMember(admin.cookie, { compoundId: C.id, name: n });
    const c = (
      await post(admin.cookie, '/api/v1/party/orgs', {
        kind: 'branch',
        name: '丙区支部',
        communityCode: orgCommunity,
        parentId: head.id,
        compoundIds: [C.id],
      })
    ).json();
    const [building] = await t.db
      .execute(sql`select id from buildings where compound_id = ${C.id} limit 1`)
      .then((r) => (r as unknown as { rows: { id: number }[] }).rows);
    const group = (
      await post(admin.cookie, '/api/v1/party/orgs', {
        kind: 'group',
        name: '丙区1号楼党小组',
        communityCode: orgCommunity,
        parentId: c.id,
        buildingId: Number(building?.id),
      })
    ).json();
    expect(group.kind).toBe('group');

    const merged = await post(admin.cookie, `/api/v1/party/orgs/${c.id}/merge`, {
      intoId: joint.id,
      reason: '规模过小，就近联建',
    });
    expect(merged.statusCode).toBe(200);
    expect(
      merged
        .json()
        .compounds.map((x: { id: number }) => x.id)
        .sort(),
    ).toEqual([A.id, B.id, C.id].sort());
    expect(merged.json().members.full).toBe(7);
    const after = await tree();
    expect(after.orgs.find((o: { id: number }) => o.id === c.id)).toMatchObject({
      status: 'merged',
      mergedIntoId: joint.id,
    });
    expect(after.orgs.find((o: { id: number }) => o.id === group.id).parentId).toBe(joint.id);
    expect(after.gaps).toEqual([]);
    const again = await t.send(admin.cookie, 'PATCH', `/api/v1/party/orgs/${c.id}`, { name: '复活' });
    expect(again.json().code).toBe('party_org.not_active');

    const blocked = await post(admin.cookie, `/api/v1/party/orgs/${joint.id}/dissolve`, { reason: '调整' });
    expect(blocked.json().code).toBe('party_org.has_children');
    expect(
      (await post(admin.cookie, `/api/v1/party/orgs/${group.id}/dissolve`, { reason: '调整' })).statusCode,
    ).toBe(200);
    const gone = await post(admin.cookie, `/api/v1/party/orgs/${joint.id}/dissolve`, {
      reason: '整建制调整',
    });
    expect(gone.json()).toMatchObject({
      status: 'dissolved',
      compounds: [],
      members: { full: 0, probationary: 0 },
    });
    expect((await tree()).gaps.map((g: { id: number }) => g.id).sort()).toEqual([A.id, B.id, C.id].sort());
    const events = await t.db.execute(
      sql`select kind from party_org_events where org_id = ${joint.id} order by id`,
    );
    expect((events as unknown as { rows: { kind: string }[] }).rows.map((r) => r.kind)).toEqual([
      'created',
      'absorbed',
      'dissolved',
    ]);
  });

  it('only the community and above set organisations up; others do not see them', async () => {
    const secretary = await compoundUser(t, 'compoundSecretary', A);
    const refused = await post(secretary.cookie, '/api/v1/party/orgs', {
      kind: 'branch',
      name: '书记自建',
      communityCode: orgCommunity,
      compoundIds: [A.id],
    });
    expect(refused.statusCode).toBe(403);
    expect((await t.get(secretary.cookie, `/api/v1/party/orgs?community=${orgCommunity}`)).statusCode).toBe(
      200,
    );
    expect((await t.get(cb.cookie, `/api/v1/party/orgs?community=${orgCommunity}`)).statusCode).toBe(404);
    expect((await t.get(resident.cookie, `/api/v1/party/orgs?community=${orgCommunity}`)).statusCode).toBe(
      403,
    );
  });
});

describe('party-member households (党员中心户)', () => {
  it('sit in a flat of their branch’s compounds, under a group or a branch, and are renamed and dissolved like groups', async () => {
    const where = await t.freshCommunity('140213', [community, other]);
    const admin = await regionUser(t, 'communityAdmin', where);
    const own = await makeCompound(t.db, where, '中心户甲区');
    const away = await makeCompound(t.db, where, '中心户乙区');
    const flat = async (b: { id: number; path: string }, unit: number, room: string) => {
      const [h] = await t.db
        .insert(households)
        .values({ buildingId: b.id, unit, room, countyCode: where.slice(0, 6), path: b.path })
        .returning({ id: households.id });
      return h?.id as number;
    };
    const home = await flat(own.building, 2, '301');
    const elsewhere = await flat(away.building, 1, '101');
    for (const n of ['户一', '户二', '户三'])
      await addMember(admin.cookie, { compoundId: own.compound.id, name: n });
    const create = (body: object) =>
      post(admin.cookie, '/api/v1/party/orgs', { communityCode: where, ...body });
    const branch = (
      await create({ kind: 'branch', name: '甲区支部', compoundIds: [own.compound.id] })
    ).json();
    const group = await create({
      kind: 'group',
      name: '1号楼党小组',
      parentId: branch.id,
      buildingId: own.building.id,
    });
    expect(group.json().place).toEqual({ compound: '中心户甲区', building: '1号楼', unit: null, room: null });

    const ch = await create({
      kind: 'centralHousehold',
      name: '王家党员中心户',
      parentId: group.json().id,
      householdId: home,
    });
    expect(ch.statusCode).toBe(200);
    expect(ch.json()).toMatchObject({
      kind: 'centralHousehold',
      parentId: group.json().id,
      householdId: home,
      place: { compound: '中心户甲区', building: '1号楼', unit: 2, room: '301' },
    });
    // Under the branch directly too; never without a parent, nor in a flat outside the branch’s compounds.
    const underBranch = await create({
      kind: 'centralHousehold',
      name: '李家党员中心户',
      parentId: branch.id,
      householdId: home,
    });
    expect(underBranch.statusCode).toBe(200);
    const outside = await create({
      kind: 'centralHousehold',
      name: '越界中心户',
      parentId: branch.id,
      householdId: elsewhere,
    });
    expect(outside.json().code).toBe('member.place_mismatch');
    const noFlat = await create({ kind: 'centralHousehold', name: '无户', parentId: branch.id });
    expect(noFlat.json().code).toBe('member.place_mismatch');
    const topLevel = await create({ kind: 'centralHousehold', name: '无上级', householdId: home });
    expect(topLevel.json().code).toBe('party_org.parent_invalid');
    expect(topLevel.json().detail).toBe('党员中心户不能设在所选上级组织之下。');

    const renamed = await t.send(admin.cookie, 'PATCH', `/api/v1/party/orgs/${ch.json().id}`, {
      name: '王建国党员中心户',
    });
    expect(renamed.json()).toMatchObject({ name: '王建国党员中心户', place: { room: '301' } });
    const blocked = await post(admin.cookie, `/api/v1/party/orgs/${group.json().id}/dissolve`, {
      reason: '调整',
    });
    expect(blocked.json().code).toBe('party_org.has_children');
    const gone = await post(admin.cookie, `/api/v1/party/orgs/${ch.json().id}/dissolve`, { reason: '搬离' });
    expect(gone.json()).toMatchObject({ status: 'dissolved', can: { edit: false } });
    expect(
      (await post(admin.cookie, `/api/v1/party/orgs/${group.json().id}/dissolve`, { reason: '调整' }))
        .statusCode,
    ).toBe(200);
  });
});
