import { and, asc, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, grants } from '../auth/tables.ts';
import {
  compoundUser,
  createTestApp,
  loginAs,
  makeCompound,
  makeDepartment,
  makeUser,
  regionPath,
  regionUser,
  type TestApp,
} from '../test/app.ts';
import { tickets } from '../tickets/tables.ts';
import { buildings, compounds, grids, households, regions } from './tables.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

// Helpers ---------------------------------------------------------------------------------------

async function nameOf(code: string): Promise<string> {
  const [r] = await t.db.select({ name: regions.name }).from(regions).where(eq(regions.code, code));
  if (!r) throw new Error(`no region ${code}`);
  return r.name;
}

const get = (cookie: string, url: string) => t.get(cookie, url);
const send = (cookie: string, method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  t.send(cookie, method, url, payload);

const codes = (items: { code: string }[]) => items.map((x) => x.code);

async function compoundRow(id: number) {
  const [c] = await t.db.select().from(compounds).where(eq(compounds.id, id));
  if (!c) throw new Error(`no compound ${id}`);
  return c;
}

async function gridRow(id: number) {
  const [g] = await t.db.select().from(grids).where(eq(grids.id, id));
  if (!g) throw new Error(`no grid ${id}`);
  return g;
}

// Regions ---------------------------------------------------------------------------------------

describe('region navigation', () => {
  it('without a parent, shows the top of each scope: the community, the township, nothing for a resident', async () => {
    const ca = await regionUser(t, 'communityAdmin', '140213066004');
    const top = await get(ca.cookie, '/api/v1/regions/children');
    expect(top.statusCode).toBe(200);
    expect(top.json()).toHaveLength(1);
    expect(top.json()[0]).toMatchObject({
      code: '140213066004',
      name: '文兴社区',
      officialName: '文兴社区居民委员会',
      level: 'community',
      kind: 'community',
      parentCode: '140213066',
      path: '140200.140213.140213066.140213066004.',
      hasChildren: false,
    });

    const ta = await regionUser(t, 'townshipAdmin', '140213066');
    const ttop = await get(ta.cookie, '/api/v1/regions/children');
    expect(codes(ttop.json())).toEqual(['140213066']);
    expect(ttop.json()[0]).toMatchObject({ name: '水泊寺街道', level: 'township', hasChildren: true });

    const { compound } = await makeCompound(t.db, await t.freshCommunity(), '导航居民小区');
    const resident = await compoundUser(t, 'resident', compound);
    const none = await get(resident.cookie, '/api/v1/regions/children');
    expect(none.statusCode).toBe(200);
    expect(none.json()).toEqual([]);
  });

  it('lists the children of the township for its admin, and 404s outside the scope', async () => {
    const ta = await regionUser(t, 'townshipAdmin', '140213066');
    const res = await get(ta.cookie, '/api/v1/regions/children?parent=140213066');
    expect(res.statusCode).toBe(200);
    const expected = await t.db
      .select({ code: regions.code })
      .from(regions)
      .where(eq(regions.parentCode, '140213066'));
    expect(codes(res.json()).sort()).toEqual(expected.map((r) => r.code).sort());
    expect(codes(res.json())).toContain('140213066004');
    expect(res.json().every((r: { level: string }) => r.level === 'community')).toBe(true);

    for (const parent of ['140214038', '140214', '140213059']) {
      const out = await get(ta.cookie, `/api/v1/regions/children?parent=${parent}`);
      expect(out.statusCode, parent).toBe(404);
      expect(out.json().code).toBe('region.not_found');
    }
    const unknown = await get(ta.cookie, '/api/v1/regions/children?parent=140213999');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('region.not_found');
    const malformed = await get(ta.cookie, '/api/v1/regions/children?parent=12ab');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('request.invalid');
    // A community inside the scope has no region children.
    const leaf = await get(ta.cookie, '/api/v1/regions/children?parent=140213066004');
    expect(leaf.statusCode).toBe(200);
    expect(leaf.json()).toEqual([]);
  });

  it('treats ancestors as navigation only: a community admin sees the way down to their community, no siblings', async () => {
    const ca = await regionUser(t, 'communityAdmin', '140213066004');
    const township = await get(ca.cookie, '/api/v1/regions/children?parent=140213066');
    expect(township.statusCode).toBe(200);
    expect(codes(township.json())).toEqual(['140213066004']);
    expect(codes((await get(ca.cookie, '/api/v1/regions/children?parent=140213')).json())).toEqual([
      '140213066',
    ]);
    expect(codes((await get(ca.cookie, '/api/v1/regions/children?parent=140200')).json())).toEqual([
      '140213',
    ]);
    const sibling = await get(ca.cookie, '/api/v1/regions/children?parent=140213066001');
    expect(sibling.statusCode).toBe(404);
  });

  it('counts compounds under each region', async () => {
    const community = await t.freshCommunity('140213059');
    await makeCompound(t.db, community, '计数甲小区');
    await makeCompound(t.db, community, '计数乙小区');
    const ca = await regionUser(t, 'communityAdmin', community);
    const [node] = (await get(ca.cookie, '/api/v1/regions/children')).json();
    expect(node).toMatchObject({ code: community, compoundCount: 2 });
    const detail = await get(ca.cookie, `/api/v1/regions/${community}`);
    expect(detail.json().compoundCount).toBe(2);
  });

  it('returns one region with its ancestors, ancestors included for navigation', async () => {
    const ca = await regionUser(t, 'communityAdmin', '140213066004');
    const res = await get(ca.cookie, '/api/v1/regions/140213066004');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      code: '140213066004',
      name: '文兴社区',
      level: 'community',
      ancestors: [
        { code: '140200', name: '大同市' },
        { code: '140213', name: '平城区' },
        { code: '140213066', name: '水泊寺街道' },
      ],
    });
    const up = await get(ca.cookie, '/api/v1/regions/140213066');
    expect(up.statusCode).toBe(200);
    expect(up.json().ancestors).toEqual([
      { code: '140200', name: '大同市' },
      { code: '140213', name: '平城区' },
    ]);
    const sibling = await get(ca.cookie, '/api/v1/regions/140213066001');
    expect(sibling.statusCode).toBe(404);
    expect(sibling.json().code).toBe('region.not_found');
    const other = await get(ca.cookie, '/api/v1/regions/140214038002');
    expect(other.statusCode).toBe(404);

    const city = await regionUser(t, 'cityAdmin', '140200');
    const root = await get(city.cookie, '/api/v1/regions/140200');
    expect(root.json()).toMatchObject({ code: '140200', level: 'city', ancestors: [] });
  });

  it('searches by name within the scope only', async () => {
    const pc = await regionUser(t, 'countyAdmin', '140213');
    const found = await get(pc.cookie, `/api/v1/regions/search?q=${encodeURIComponent('文兴')}`);
    expect(found.statusCode).toBe(200);
    expect(codes(found.json())).toContain('140213066004');
    // 文兴村 in another county is not in 平城区's scope.
    expect(codes(found.json()).every((c) => c.startsWith('140213'))).toBe(true);

    const yg = await regionUser(t, 'countyAdmin', '140214');
    const notFound = await get(yg.cookie, `/api/v1/regions/search?q=${encodeURIComponent('文兴')}`);
    expect(notFound.statusCode).toBe(200);
    expect(codes(notFound.json())).not.toContain('140213066004');
    const own = await get(yg.cookie, `/api/v1/regions/search?q=${encodeURIComponent('泰丰里')}`);
    expect(codes(own.json())).toContain('140214038002');

    // A community admin does not find their own township (ancestors are not search results).
    const ca = await regionUser(t, 'communityAdmin', '140213066004');
    const anc = await get(ca.cookie, `/api/v1/regions/search?q=${encodeURIComponent('水泊寺')}`);
    expect(anc.json()).toEqual([]);
    // LIKE metacharacters are literal.
    const pct = await get(pc.cookie, '/api/v1/regions/search?q=%25');
    expect(pct.json()).toEqual([]);
    const empty = await get(pc.cookie, '/api/v1/regions/search?q=');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().code).toBe('request.invalid');
  });

  it('search lists broader regions first: county, then township, then community', async () => {
    const yg = await regionUser(t, 'countyAdmin', '140214');
    const res = await get(yg.cookie, `/api/v1/regions/search?q=${encodeURIComponent('云冈')}`);
    expect(res.statusCode).toBe(200);
    expect(codes(res.json())).toEqual(['140214', '140214102', '140214102200']);
  });

  it('needs a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/regions/children' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('auth.required');
  });
});

// Grids -----------------------------------------------------------------------------------------

describe('grids', () => {
  it('creates grids coded community + G + 2-digit sequence, refuses duplicate names, audits', async () => {
    const community = await t.freshCommunity();
    const cPath = await regionPath(t.db, community);
    const ca = await regionUser(t, 'communityAdmin', community);
    const first = await send(ca.cookie, 'POST', '/api/v1/grids', {
      communityCode: community,
      name: '第一网格',
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      code: `${community}G01`,
      name: '第一网格',
      communityCode: community,
      workerUserId: null,
      workerName: null,
      compoundCount: 0,
      can: { update: true, delete: true },
    });
    expect((await gridRow(first.json().id)).path).toBe(`${cPath}${community}G01.`);
    const second = await send(ca.cookie, 'POST', '/api/v1/grids', {
      communityCode: community,
      name: '第二网格',
    });
    expect(second.json().code).toBe(`${community}G02`);

    const dup = await send(ca.cookie, 'POST', '/api/v1/grids', {
      communityCode: community,
      name: '第一网格',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('grid.duplicate');
    expect(dup.json().detail).toContain('“第一网格”');
    // The refused insert did not burn a sequence number or leave a row.
    const third = await send(ca.cookie, 'POST', '/api/v1/grids', {
      communityCode: community,
      name: '第三网格',
    });
    expect(third.json().code).toBe(`${community}G03`);

    const list = await get(ca.cookie, `/api/v1/grids?community=${community}`);
    expect(list.json().map((g: { name: string }) => g.name)).toEqual(['第一网格', '第二网格', '第三网格']);

    const [entry] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'grid.create'), eq(auditLog.entityId, String(first.json().id))));
    expect(entry).toMatchObject({
      actorUserId: ca.user.id,
      entity: 'grid',
      scopePath: `${cPath}${community}G01.`,
    });
  });

  it('refuses grids outside the scope, above a community, and from non-admins', async () => {
    const community = await t.freshCommunity();
    const other = await t.freshCommunity();
    const ca = await regionUser(t, 'communityAdmin', community);
    const outside = await send(ca.cookie, 'POST', '/api/v1/grids', {
      communityCode: other,
      name: '越界网格',
    });
    expect(outside.statusCode).toBe(404);
    expect(outside.json().code).toBe('region.not_found');
    const listOther = await get(ca.cookie, `/api/v1/grids?community=${other}`);
    expect(listOther.statusCode).toBe(404);

    const ta = await regionUser(t, 'townshipAdmin', community.slice(0, 9));
    const township = await send(ta.cookie, 'POST', '/api/v1/grids', {
      communityCode: community.slice(0, 9),
      name: '街道网格',
    });
    expect(township.statusCode).toBe(400);
    expect(township.json().code).toBe('region.wrong_level');

    const { grid } = await makeCompound(t.db, community, '网格员小区');
    const worker = await makeUser(t.db, {
      grants: [{ role: 'gridWorker', scopePath: grid.path, nodeKind: 'grid', nodeRef: String(grid.id) }],
    });
    const wc = await loginAs(t.app, worker.phone);
    const refused = await send(wc, 'POST', '/api/v1/grids', { communityCode: community, name: '网格员建的' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('access.forbidden');
    // A grid worker sees their own grid, read-only.
    const mine = await get(wc, `/api/v1/grids?community=${community}`);
    expect(mine.json()).toHaveLength(1);
    expect(mine.json()[0]).toMatchObject({ id: grid.id, can: { update: false, delete: false } });
  });

  it('renames a grid and sets its worker only to a holder of the gridWorker role on it', async () => {
    const community = await t.freshCommunity();
    const ca = await regionUser(t, 'communityAdmin', community);
    const { grid } = await makeCompound(t.db, community, '改名网格小区');
    const { grid: otherGrid } = await makeCompound(t.db, community, '另一网格小区');

    const renamed = await send(ca.cookie, 'PATCH', `/api/v1/grids/${grid.id}`, { name: '新名网格' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ id: grid.id, name: '新名网格', compoundCount: 1 });
    const clash = await send(ca.cookie, 'PATCH', `/api/v1/grids/${grid.id}`, { name: otherGrid.name });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().code).toBe('grid.duplicate');
    expect(clash.json().detail).toContain(otherGrid.name);

    const nobody = await makeUser(t.db, { name: '路人甲' });
    const invalid = await send(ca.cookie, 'PATCH', `/api/v1/grids/${grid.id}`, { workerUserId: nobody.id });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().code).toBe('grid.worker_invalid');
    const elsewhere = await makeUser(t.db, {
      grants: [
        { role: 'gridWorker', scopePath: otherGrid.path, nodeKind: 'grid', nodeRef: String(otherGrid.id) },
      ],
    });
    const wrongGrid = await send(ca.cookie, 'PATCH', `/api/v1/grids/${grid.id}`, {
      workerUserId: elsewhere.id,
    });
    expect(wrongGrid.json().code).toBe('grid.worker_invalid');

    const worker = await makeUser(t.db, {
      name: '王网格',
      grants: [{ role: 'gridWorker', scopePath: grid.path, nodeKind: 'grid', nodeRef: String(grid.id) }],
    });
    const set = await send(ca.cookie, 'PATCH', `/api/v1/grids/${grid.id}`, { workerUserId: worker.id });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ workerUserId: worker.id, workerName: '王网格', name: '新名网格' });
    const cleared = await send(ca.cookie, 'PATCH', `/api/v1/grids/${grid.id}`, { workerUserId: null });
    expect(cleared.json()).toMatchObject({ workerUserId: null, workerName: null });

    const other = await regionUser(t, 'communityAdmin', await t.freshCommunity());
    const hidden = await send(other.cookie, 'PATCH', `/api/v1/grids/${grid.id}`, { name: '抢走' });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().code).toBe('grid.not_found');
  });

  it('deletes only an empty grid', async () => {
    const community = await t.freshCommunity();
    const ca = await regionUser(t, 'communityAdmin', community);
    const { grid } = await makeCompound(t.db, community, '有小区的网格');
    const full = await send(ca.cookie, 'DELETE', `/api/v1/grids/${grid.id}`);
    expect(full.statusCode).toBe(409);
    expect(full.json().code).toBe('grid.has_compounds');
    const list = (await get(ca.cookie, `/api/v1/grids?community=${community}`)).json();
    expect(list.find((g: { id: number }) => g.id === grid.id).can.delete).toBe(false);

    const empty = await send(ca.cookie, 'POST', '/api/v1/grids', {
      communityCode: community,
      name: '空网格',
    });
    expect(empty.json().can.delete).toBe(true);
    const other = await regionUser(t, 'communityAdmin', await t.freshCommunity());
    expect((await send(other.cookie, 'DELETE', `/api/v1/grids/${empty.json().id}`)).statusCode).toBe(404);
    const ok = await send(ca.cookie, 'DELETE', `/api/v1/grids/${empty.json().id}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ok: true });
    expect(
      (await get(ca.cookie, `/api/v1/grids?community=${community}`)).json().map((g: { id: number }) => g.id),
    ).toEqual([grid.id]);
    const [entry] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'grid.delete'), eq(auditLog.entityId, String(empty.json().id))));
    expect(entry?.actorUserId).toBe(ca.user.id);
  });

  it('refuses to delete a grid that still has a grid worker', async () => {
    const community = await t.freshCommunity();
    const ca = await regionUser(t, 'communityAdmin', community);
    const created = await send(ca.cookie, 'POST', '/api/v1/grids', {
      communityCode: community,
      name: '有网格员',
    });
    const g = await gridRow(created.json().id);
    await makeUser(t.db, {
      grants: [{ role: 'gridWorker', scopePath: g.path, nodeKind: 'grid', nodeRef: String(g.id) }],
    });
    const res = await send(ca.cookie, 'DELETE', `/api/v1/grids/${g.id}`);
    expect(res.statusCode).toBe(409);
  });
});

// Compounds -------------------------------------------------------------------------------------

describe('compounds', () => {
  it('gives simultaneous creations in one community distinct codes (PostgreSQL runs them in parallel)', async () => {
    const community = await t.freshCommunity('140213059');
    const ca = await regionUser(t, 'communityAdmin', community);
    const grid = (
      await send(ca.cookie, 'POST', '/api/v1/grids', { communityCode: community, name: '并发格' })
    ).json();
    const made = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        send(ca.cookie, 'POST', '/api/v1/compounds', {
          communityCode: community,
          name: `并发小区${i}`,
          gridId: grid.id,
        }),
      ),
    );
    expect(made.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(made.map((r) => r.json().code).sort()).toEqual(
      ['001', '002', '003', '004', '005', '006'].map((n) => `${community}${n}`),
    );
    const grids = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        send(ca.cookie, 'POST', '/api/v1/grids', { communityCode: community, name: `并发格${i}` }),
      ),
    );
    expect(grids.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    expect(new Set(grids.map((r) => r.json().code)).size).toBe(4);
  });

  it('creates compounds coded from the community code, with the next sequence and the grid path', async () => {
    const community = await t.freshCommunity('140213059');
    const ca = await regionUser(t, 'communityAdmin', community);
    const grid = (
      await send(ca.cookie, 'POST', '/api/v1/grids', { communityCode: community, name: '一格' })
    ).json();
    const res = await send(ca.cookie, 'POST', '/api/v1/compounds', {
      communityCode: community,
      name: '和平小区',
      gridId: grid.id,
      address: '和平路 1 号',
      lat: 40.08,
      lng: 113.3,
    });
    expect(res.statusCode).toBe(200);
    const c = res.json();
    expect(c.code).toMatch(/^\d{15}$/);
    expect(c.code.slice(0, 12)).toBe(community);
    expect(c.code).toBe(`${community}001`);
    expect(c).toMatchObject({
      name: '和平小区',
      communityCode: community,
      communityName: await nameOf(community),
      regionLabel: `平城区 ${await nameOf(community.slice(0, 9))} ${await nameOf(community)}`,
      gridId: grid.id,
      gridName: '一格',
      address: '和平路 1 号',
      lat: 40.08,
      lng: 113.3,
      buildingCount: 0,
      can: { update: true, delete: true, addBuilding: true },
    });
    const g = await gridRow(grid.id);
    expect((await compoundRow(c.id)).path).toBe(`${g.path}${c.code}.`);
    expect((await compoundRow(c.id)).countyCode).toBe('140213');

    const second = await send(ca.cookie, 'POST', '/api/v1/compounds', {
      communityCode: community,
      name: '幸福小区',
      gridId: grid.id,
    });
    expect(second.json().code).toBe(`${community}002`);
    expect(second.json().address).toBeNull();
    const fetched = await get(ca.cookie, `/api/v1/compounds/${c.id}`);
    expect(fetched.json()).toMatchObject({ id: c.id, code: c.code, name: '和平小区' });
  });

  it('refuses a duplicate name in the community, allows it in another, and checks grid and level', async () => {
    const community = await t.freshCommunity('140213066');
    const other = await t.freshCommunity('140213066');
    const ta = await regionUser(t, 'townshipAdmin', '140213066');
    const { grid } = await makeCompound(t.db, community, '重名小区');
    const { grid: otherGrid } = await makeCompound(t.db, other, '别的小区');

    const dup = await send(ta.cookie, 'POST', '/api/v1/compounds', {
      communityCode: community,
      name: '重名小区',
      gridId: grid.id,
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('compound.duplicate');
    expect(dup.json().detail).toBe('本社区已有同名小区“重名小区”。');

    const elsewhere = await send(ta.cookie, 'POST', '/api/v1/compounds', {
      communityCode: other,
      name: '重名小区',
      gridId: otherGrid.id,
    });
    expect(elsewhere.statusCode).toBe(200);
    expect(elsewhere.json().code.slice(0, 12)).toBe(other);

    const mismatch = await send(ta.cookie, 'POST', '/api/v1/compounds', {
      communityCode: community,
      name: '错网格小区',
      gridId: otherGrid.id,
    });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().code).toBe('compound.grid_mismatch');
    const noGrid = await send(ta.cookie, 'POST', '/api/v1/compounds', {
      communityCode: community,
      name: '无网格小区',
      gridId: 99_999_999,
    });
    expect(noGrid.json().code).toBe('compound.grid_mismatch');

    const level = await send(ta.cookie, 'POST', '/api/v1/compounds', {
      communityCode: '140213066',
      name: '街道小区',
      gridId: grid.id,
    });
    expect(level.statusCode).toBe(400);
    expect(level.json().code).toBe('region.wrong_level');

    const invalid = await send(ta.cookie, 'POST', '/api/v1/compounds', {
      communityCode: community,
      name: '甲',
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().code).toBe('request.invalid');
    const paths = invalid.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'gridId']));
    for (const e of invalid.json().errors) expect(e.message).toBeTruthy();

    const badCode = await send(ta.cookie, 'POST', '/api/v1/compounds', {
      communityCode: '1402',
      name: '坏代码小区',
      gridId: grid.id,
    });
    expect(badCode.statusCode).toBe(400);
    expect(badCode.json().errors.find((e: { path: string }) => e.path === 'communityCode').message).toBe(
      '区划代码应为 6、9 或 12 位数字',
    );

    // Nothing was written by the refused requests.
    const rows = await t.db.select().from(compounds).where(eq(compounds.communityCode, community));
    expect(rows.map((r) => r.name)).toEqual(['重名小区']);
  });

  it('updates name and address; a clashing name is refused', async () => {
    const community = await t.freshCommunity();
    const ca = await regionUser(t, 'communityAdmin', community);
    const { compound } = await makeCompound(t.db, community, '旧名小区');
    await makeCompound(t.db, community, '占名小区');
    const res = await send(ca.cookie, 'PATCH', `/api/v1/compounds/${compound.id}`, {
      name: '新名小区',
      address: '新路 8 号',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: compound.id, name: '新名小区', address: '新路 8 号' });
    expect((await get(ca.cookie, `/api/v1/compounds/${compound.id}`)).json().name).toBe('新名小区');
    const clash = await send(ca.cookie, 'PATCH', `/api/v1/compounds/${compound.id}`, { name: '占名小区' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().code).toBe('compound.duplicate');
    expect((await compoundRow(compound.id)).name).toBe('新名小区');

    const outsider = await regionUser(t, 'communityAdmin', await t.freshCommunity());
    const hidden = await send(outsider.cookie, 'PATCH', `/api/v1/compounds/${compound.id}`, { name: '抢名' });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().code).toBe('compound.not_found');
  });

  it('moving to another grid re-paths the compound, its buildings, the grants and the tickets on it', async () => {
    const community = await t.freshCommunity();
    const ca = await regionUser(t, 'communityAdmin', community);
    const { grid, compound, building } = await makeCompound(t.db, community, '搬家小区');
    const resident = await compoundUser(t, 'resident', compound);
    const report = await send(resident.cookie, 'POST', '/api/v1/tickets', {
      description: '楼道灯坏了，晚上看不见',
      compoundId: compound.id,
    });
    expect(report.statusCode).toBe(200);
    const grid2 = (
      await send(ca.cookie, 'POST', '/api/v1/grids', { communityCode: community, name: '新网格' })
    ).json();
    const g2 = await gridRow(grid2.id);

    const moved = await send(ca.cookie, 'PATCH', `/api/v1/compounds/${compound.id}`, { gridId: grid2.id });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ gridId: grid2.id, gridName: '新网格', code: compound.code });
    const newPath = `${g2.path}${compound.code}.`;
    expect(newPath).not.toBe(compound.path);
    expect((await compoundRow(compound.id)).path).toBe(newPath);
    const [b] = await t.db.select().from(buildings).where(eq(buildings.id, building.id));
    expect(b?.path).toBe(newPath);
    const [gr] = await t.db.select().from(grants).where(eq(grants.userId, resident.user.id));
    expect(gr?.scopePath).toBe(newPath);
    // The report follows, so the new grid's worker sees it.
    const [tk] = await t.db
      .select({ path: tickets.path })
      .from(tickets)
      .where(eq(tickets.id, report.json().id));
    expect(tk?.path).toBe(newPath);

    const gridsNow = (await get(ca.cookie, `/api/v1/grids?community=${community}`)).json();
    expect(gridsNow.find((x: { id: number }) => x.id === grid.id).compoundCount).toBe(0);
    expect(gridsNow.find((x: { id: number }) => x.id === grid2.id).compoundCount).toBe(1);

    const mine = await get(resident.cookie, '/api/v1/me/compounds');
    expect(mine.json().map((c: { id: number }) => c.id)).toEqual([compound.id]);
    expect(mine.json()[0].gridId).toBe(grid2.id);
    // The building follows: still listed and editable by the admin.
    const bl = await get(ca.cookie, `/api/v1/compounds/${compound.id}/buildings`);
    expect(bl.json().map((x: { id: number }) => x.id)).toEqual([building.id]);

    // A grid of another community is refused and nothing moves.
    const { grid: foreign } = await makeCompound(t.db, await t.freshCommunity(), '外社区小区');
    const bad = await send(ca.cookie, 'PATCH', `/api/v1/compounds/${compound.id}`, {
      gridId: foreign.id,
      name: '不该改名',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('compound.grid_mismatch');
    const after = await compoundRow(compound.id);
    expect(after).toMatchObject({ path: newPath, gridId: grid2.id, name: '搬家小区' });
  });

  it('deletes a compound only without buildings and without people linked', async () => {
    const community = await t.freshCommunity();
    const cPath = await regionPath(t.db, community);
    const ca = await regionUser(t, 'communityAdmin', community);
    const { compound, building } = await makeCompound(t.db, community, '待删小区');
    const resident = await makeUser(t.db, {
      grants: [
        { role: 'resident', scopePath: compound.path, nodeKind: 'compound', nodeRef: String(compound.id) },
      ],
    });

    const withBuildings = await send(ca.cookie, 'DELETE', `/api/v1/compounds/${compound.id}`);
    expect(withBuildings.statusCode).toBe(409);
    expect(withBuildings.json().code).toBe('compound.has_buildings');
    expect((await send(ca.cookie, 'DELETE', `/api/v1/buildings/${building.id}`)).statusCode).toBe(200);

    const inUse = await send(ca.cookie, 'DELETE', `/api/v1/compounds/${compound.id}`);
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().code).toBe('compound.in_use');
    await t.db.delete(grants).where(eq(grants.userId, resident.id));

    const ok = await send(ca.cookie, 'DELETE', `/api/v1/compounds/${compound.id}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ok: true });
    const gone = await get(ca.cookie, `/api/v1/compounds/${compound.id}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().code).toBe('compound.not_found');
    const entries = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'compound.delete'), eq(auditLog.entityId, String(compound.id))));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorUserId: ca.user.id, scopePath: compound.path });
    expect(entries[0]?.scopePath?.startsWith(cPath)).toBe(true);
  });

  it('records every write in the audit log with the actor, the action and the scope', async () => {
    const community = await t.freshCommunity();
    const cPath = await regionPath(t.db, community);
    const ca = await regionUser(t, 'communityAdmin', community);
    const before = await t.db.select({ id: auditLog.id }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    const grid = (
      await send(ca.cookie, 'POST', '/api/v1/grids', { communityCode: community, name: '审计网格' })
    ).json();
    await send(ca.cookie, 'PATCH', `/api/v1/grids/${grid.id}`, { name: '审计网格二' });
    const c = (
      await send(ca.cookie, 'POST', '/api/v1/compounds', {
        communityCode: community,
        name: '审计小区',
        gridId: grid.id,
      })
    ).json();
    await send(ca.cookie, 'PATCH', `/api/v1/compounds/${c.id}`, { address: '审计路' });
    const b = (await send(ca.cookie, 'POST', `/api/v1/compounds/${c.id}/buildings`, { name: '甲栋' })).json();
    await send(ca.cookie, 'PATCH', `/api/v1/buildings/${b.id}`, { name: '乙栋' });
    await send(ca.cookie, 'DELETE', `/api/v1/buildings/${b.id}`);
    await send(ca.cookie, 'DELETE', `/api/v1/compounds/${c.id}`);
    await send(ca.cookie, 'DELETE', `/api/v1/grids/${grid.id}`);

    const rows = await t.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.actorUserId, ca.user.id))
      .orderBy(asc(auditLog.id));
    const writes = rows.filter((r) => r.id > (before[0]?.id ?? 0) && !r.action.startsWith('auth.'));
    expect(writes.map((r) => [r.action, r.entity])).toEqual([
      ['grid.create', 'grid'],
      ['grid.update', 'grid'],
      ['compound.create', 'compound'],
      ['compound.update', 'compound'],
      ['building.create', 'building'],
      ['building.update', 'building'],
      ['building.delete', 'building'],
      ['compound.delete', 'compound'],
      ['grid.delete', 'grid'],
    ]);
    for (const r of writes) {
      expect(r.scopePath?.startsWith(cPath), r.action).toBe(true);
      expect(r.entityId, r.action).toBeTruthy();
      expect(r.at.toISOString()).toBe(t.clock.now().toISOString());
    }
    expect(writes.find((r) => r.action === 'compound.create')?.detail).toMatchObject({
      name: '审计小区',
      code: `${community}001`,
    });
  });
});

// Listing ---------------------------------------------------------------------------------------

describe('compound listing', () => {
  it('filters by region: a township shows only compounds under it', async () => {
    const inDaqing = await t.freshCommunity('140213059');
    const inShuibo = await t.freshCommunity('140213066');
    const a = await makeCompound(t.db, inDaqing, '大庆路甲小区');
    const b = await makeCompound(t.db, inShuibo, '水泊寺甲小区');
    const county = await regionUser(t, 'countyAdmin', '140213');
    const res = await get(county.cookie, '/api/v1/compounds?region=140213059&limit=200');
    expect(res.statusCode).toBe(200);
    const items: { id: number; communityCode: string }[] = res.json().items;
    expect(items.map((i) => i.id)).toContain(a.compound.id);
    expect(items.map((i) => i.id)).not.toContain(b.compound.id);
    expect(items.every((i) => i.communityCode.startsWith('140213059'))).toBe(true);

    const all = (await get(county.cookie, '/api/v1/compounds?limit=200')).json().items;
    expect(all.map((i: { id: number }) => i.id)).toEqual(
      expect.arrayContaining([a.compound.id, b.compound.id]),
    );
    // A region outside the scope yields nothing; an unknown one is 404.
    const yg = await get(county.cookie, '/api/v1/compounds?region=140214038');
    expect(yg.json()).toEqual({ items: [], nextCursor: null });
    const unknown = await get(county.cookie, '/api/v1/compounds?region=140213999');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('region.not_found');
  });

  it('pages with a cursor in code order, each compound exactly once', async () => {
    const community = await t.freshCommunity();
    const made = [];
    for (const n of ['甲', '乙', '丙', '丁', '戊'])
      made.push(await makeCompound(t.db, community, `分页${n}小区`));
    const ca = await regionUser(t, 'communityAdmin', community);
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const url: string = `/api/v1/compounds?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await get(ca.cookie, url);
      expect(res.statusCode).toBe(200);
      const body: { items: { code: string }[]; nextCursor: string | null } = res.json();
      sizes.push(body.items.length);
      seen.push(...codes(body.items));
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    expect(cursor).toBeNull();
    expect(sizes).toEqual([2, 2, 1]);
    const expected = made.map((m) => m.compound.code).sort();
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(5);

    const byName = await get(ca.cookie, `/api/v1/compounds?q=${encodeURIComponent('丙')}`);
    expect(byName.json().items.map((c: { name: string }) => c.name)).toEqual(['分页丙小区']);
    const literal = await get(ca.cookie, '/api/v1/compounds?q=%25');
    expect(literal.json().items).toEqual([]);
    const byGrid = await get(ca.cookie, `/api/v1/compounds?gridId=${made[3]?.grid.id}`);
    expect(byGrid.json().items.map((c: { id: number }) => c.id)).toEqual([made[3]?.compound.id]);

    for (const bad of ['not-a-cursor', Buffer.from('1402').toString('base64url')]) {
      const res = await get(ca.cookie, `/api/v1/compounds?cursor=${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().code).toBe('request.invalid');
    }
    const tooMany = await get(ca.cookie, '/api/v1/compounds?limit=201');
    expect(tooMany.statusCode).toBe(400);
  });
});

// Buildings -------------------------------------------------------------------------------------

describe('buildings', () => {
  it('lists, adds, refuses duplicates and out-of-bounds sizes, updates and deletes', async () => {
    const community = await t.freshCommunity();
    const ca = await regionUser(t, 'communityAdmin', community);
    const { compound, building } = await makeCompound(t.db, community, '楼栋小区');
    const url = `/api/v1/compounds/${compound.id}/buildings`;
    const list = await get(ca.cookie, url);
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual([
      {
        id: building.id,
        compoundId: compound.id,
        name: '1号楼',
        units: 2,
        floors: 6,
        householdCount: 0,
        can: { update: true, delete: true },
      },
    ]);
    const added = await send(ca.cookie, 'POST', url, { name: '2号楼', units: 3, floors: 18 });
    expect(added.statusCode).toBe(200);
    expect(added.json()).toMatchObject({ name: '2号楼', units: 3, floors: 18, compoundId: compound.id });
    expect((await get(ca.cookie, url)).json().map((b: { name: string }) => b.name)).toEqual([
      '1号楼',
      '2号楼',
    ]);
    expect((await get(ca.cookie, `/api/v1/compounds/${compound.id}`)).json().buildingCount).toBe(2);
    const defaults = await send(ca.cookie, 'POST', url, { name: '10号楼' });
    expect(defaults.json()).toMatchObject({ units: 1, floors: 6 });

    const dup = await send(ca.cookie, 'POST', url, { name: '2号楼', units: 1, floors: 6 });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('building.duplicate');
    expect(dup.json().detail).toContain('2号楼');
    for (const floors of [0, 201]) {
      const res = await send(ca.cookie, 'POST', url, { name: `${floors}层楼`, units: 1, floors });
      expect(res.statusCode, String(floors)).toBe(400);
      expect(res.json().code).toBe('request.invalid');
      expect(res.json().errors.map((e: { path: string }) => e.path)).toContain('floors');
    }
    expect((await send(ca.cookie, 'POST', url, { name: '200层', floors: 200 })).statusCode).toBe(200);

    const upd = await send(ca.cookie, 'PATCH', `/api/v1/buildings/${added.json().id}`, {
      name: '2号楼东',
      units: 4,
      floors: 20,
    });
    expect(upd.statusCode).toBe(200);
    expect(upd.json()).toMatchObject({ id: added.json().id, name: '2号楼东', units: 4, floors: 20 });
    const clash = await send(ca.cookie, 'PATCH', `/api/v1/buildings/${added.json().id}`, { name: '1号楼' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().code).toBe('building.duplicate');

    const del = await send(ca.cookie, 'DELETE', `/api/v1/buildings/${added.json().id}`);
    expect(del.statusCode).toBe(200);
    expect((await get(ca.cookie, url)).json().map((b: { name: string }) => b.name)).not.toContain('2号楼东');

    const other = await regionUser(t, 'communityAdmin', await t.freshCommunity());
    expect((await get(other.cookie, url)).statusCode).toBe(404);
    const hidden = await send(other.cookie, 'PATCH', `/api/v1/buildings/${building.id}`, { name: '抢楼' });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().code).toBe('building.not_found');
    expect((await send(other.cookie, 'DELETE', `/api/v1/buildings/${building.id}`)).statusCode).toBe(404);
  });

  it('a partial update changes only the fields sent (units and floors are not reset to defaults)', async () => {
    const community = await t.freshCommunity();
    const ca = await regionUser(t, 'communityAdmin', community);
    const { compound } = await makeCompound(t.db, community, '部分更新小区');
    const b = (
      await send(ca.cookie, 'POST', `/api/v1/compounds/${compound.id}/buildings`, {
        name: '高楼',
        units: 3,
        floors: 18,
      })
    ).json();
    const renamed = await send(ca.cookie, 'PATCH', `/api/v1/buildings/${b.id}`, { name: '高楼东座' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ name: '高楼东座', units: 3, floors: 18 });
    const taller = await send(ca.cookie, 'PATCH', `/api/v1/buildings/${b.id}`, { floors: 24 });
    expect(taller.json()).toMatchObject({ name: '高楼东座', units: 3, floors: 24 });
  });

  it('a compound secretary keeps the buildings of their own compound, nothing more', async () => {
    const community = await t.freshCommunity();
    const own = await makeCompound(t.db, community, '书记小区');
    const next = await makeCompound(t.db, community, '隔壁小区');
    const sec = await compoundUser(t, 'compoundSecretary', own.compound);

    const add = await send(sec.cookie, 'POST', `/api/v1/compounds/${own.compound.id}/buildings`, {
      name: '书记楼',
      units: 2,
      floors: 5,
    });
    expect(add.statusCode).toBe(200);
    expect(add.json().can).toEqual({ update: true, delete: true });

    const create = await send(sec.cookie, 'POST', '/api/v1/compounds', {
      communityCode: community,
      name: '书记新建小区',
      gridId: own.grid.id,
    });
    expect(create.statusCode).toBe(403);
    expect(create.json().code).toBe('access.forbidden');

    const neighbour = await send(sec.cookie, 'POST', `/api/v1/compounds/${next.compound.id}/buildings`, {
      name: '越界楼',
    });
    expect(neighbour.statusCode).toBe(404);
    expect(neighbour.json().code).toBe('compound.not_found');

    const list = (await get(sec.cookie, '/api/v1/compounds')).json();
    expect(list.items.map((c: { id: number }) => c.id)).toEqual([own.compound.id]);
    expect(list.items[0].can).toEqual({ update: false, delete: false, addBuilding: true });
    const rename = await send(sec.cookie, 'PATCH', `/api/v1/compounds/${own.compound.id}`, {
      name: '书记改名',
    });
    expect(rename.statusCode).toBe(403);
    expect(rename.json().code).toBe('access.forbidden');
    const del = await send(sec.cookie, 'DELETE', `/api/v1/compounds/${own.compound.id}`);
    expect(del.statusCode).toBe(403);
  });
});

describe('households', () => {
  it("lists a building's households in unit and floor order, to staff who can see the building only", async () => {
    const community = await t.freshCommunity();
    const { compound, building } = await makeCompound(t.db, community, '住户小区');
    const flat = (unit: number, room: string) => ({
      buildingId: building.id,
      unit,
      room,
      countyCode: community.slice(0, 6),
      path: compound.path,
    });
    await t.db
      .insert(households)
      .values([flat(2, '101'), flat(1, '1002'), flat(1, '201'), flat(1, '101'), flat(2, '102')]);
    const url = `/api/v1/buildings/${building.id}/households`;
    const rooms = (res: { json: () => { unit: number; room: string }[] }) =>
      res.json().map((h) => `${h.unit}-${h.room}`);

    const ca = await regionUser(t, 'communityAdmin', community);
    const list = await get(ca.cookie, url);
    expect(list.statusCode).toBe(200);
    expect(rooms(list)).toEqual(['1-101', '1-201', '1-1002', '2-101', '2-102']);
    expect(list.json()[0]).toEqual({ id: expect.any(Number), buildingId: building.id, unit: 1, room: '101' });
    expect((await get(ca.cookie, '/api/v1/buildings/99999999/households')).statusCode).toBe(404);

    const sec = await compoundUser(t, 'compoundSecretary', compound);
    expect(rooms(await get(sec.cookie, url))).toHaveLength(5);
    const township = await regionUser(t, 'townshipAdmin', community.slice(0, 9));
    expect((await get(township.cookie, url)).statusCode).toBe(200);

    // Another community's administrator, a neighbour compound's secretary and a resident: not found.
    const other = await regionUser(t, 'communityAdmin', await t.freshCommunity());
    const next = await makeCompound(t.db, community, '邻居小区');
    const neighbour = await compoundUser(t, 'compoundSecretary', next.compound);
    const resident = await compoundUser(t, 'resident', compound);
    for (const u of [other, neighbour, resident]) {
      const res = await get(u.cookie, url);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('building.not_found');
    }
  });
});

// Residents and members -------------------------------------------------------------------------

describe('home compound and non-staff', () => {
  it('"my compounds" returns the resident\'s own compound, read-only', async () => {
    const community = await t.freshCommunity();
    const { compound } = await makeCompound(t.db, community, '我家小区');
    await makeCompound(t.db, community, '别人家小区');
    const resident = await compoundUser(t, 'resident', compound);
    const res = await get(resident.cookie, '/api/v1/me/compounds');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toHaveLength(1);
    expect(res.json()[0]).toMatchObject({
      id: compound.id,
      name: '我家小区',
      communityName: await nameOf(community),
      can: { update: false, delete: false, addBuilding: false },
    });
  });

  it('staff endpoints show nothing to residents and members', async () => {
    const community = await t.freshCommunity();
    const { compound, grid } = await makeCompound(t.db, community, '居民小区');
    for (const role of ['resident', 'member'] as const) {
      const u = await compoundUser(t, role, compound);
      const list = await get(u.cookie, '/api/v1/compounds');
      expect(list.statusCode, role).toBe(200);
      expect(list.json(), role).toEqual({ items: [], nextCursor: null });
      const one = await get(u.cookie, `/api/v1/compounds/${compound.id}`);
      expect(one.statusCode, role).toBe(404);
      expect(one.json().code).toBe('compound.not_found');
      expect((await get(u.cookie, `/api/v1/compounds/${compound.id}/buildings`)).statusCode, role).toBe(404);
      expect((await get(u.cookie, `/api/v1/grids?community=${community}`)).statusCode, role).toBe(404);
      expect((await get(u.cookie, '/api/v1/regions/children')).json(), role).toEqual([]);
      expect((await get(u.cookie, '/api/v1/departments')).json(), role).toEqual([]);
      const write = await send(u.cookie, 'POST', `/api/v1/compounds/${compound.id}/buildings`, {
        name: '居民楼',
      });
      expect(write.statusCode, role).toBe(404);
      const g = await send(u.cookie, 'PATCH', `/api/v1/grids/${grid.id}`, { name: '居民改名' });
      expect(g.statusCode, role).toBe(404);
    }
  });
});

// Departments -----------------------------------------------------------------------------------

describe('departments', () => {
  it("lists departments of the viewer's jurisdiction only", async () => {
    const pc = await makeDepartment(t.db, '140213', '平城区测试城管局');
    const pcTown = await makeDepartment(t.db, '140213066', '水泊寺测试城管所');
    const yg = await makeDepartment(t.db, '140214', '云冈区测试城管局');
    const county = await regionUser(t, 'countyAdmin', '140213');
    const res = await get(county.cookie, '/api/v1/departments');
    expect(res.statusCode).toBe(200);
    const ids = res.json().map((d: { id: number }) => d.id);
    expect(ids).toEqual(expect.arrayContaining([pc.id, pcTown.id]));
    expect(ids).not.toContain(yg.id);
    expect(res.json().every((d: { regionCode: string }) => d.regionCode.startsWith('140213'))).toBe(true);
    expect(res.json().find((d: { id: number }) => d.id === pc.id)).toEqual({
      id: pc.id,
      name: '平城区测试城管局',
      type: 'cityManagement',
      regionCode: '140213',
    });
    const filtered = await get(county.cookie, '/api/v1/departments?region=140213066');
    expect(filtered.json().map((d: { id: number }) => d.id)).toEqual([pcTown.id]);
    expect((await get(county.cookie, '/api/v1/departments?region=140214')).json()).toEqual([]);

    const other = await regionUser(t, 'countyAdmin', '140214');
    const otherIds = (await get(other.cookie, '/api/v1/departments')).json().map((d: { id: number }) => d.id);
    expect(otherIds).toContain(yg.id);
    expect(otherIds).not.toContain(pc.id);
  });
});

describe('places for reporting', () => {
  it('finds compounds by name or nearest a point, for anyone signed in, with public facts only', async () => {
    const community = await t.freshCommunity();
    const { compound, building } = await makeCompound(t.db, community, '随手拍测试家园');
    await t.db
      .update(compounds)
      .set({ lat: 40.2, lng: 113.2, address: '测试路 8 号' })
      .where(eq(compounds.id, compound.id));
    const resident = await makeUser(t.db, {
      grants: [
        { role: 'resident', scopePath: compound.path, nodeKind: 'compound', nodeRef: String(compound.id) },
      ],
    });
    const cookie = await loginAs(t.app, resident.phone);
    const byName = (
      await get(cookie, `/api/v1/places/compounds?q=${encodeURIComponent('随手拍测试')}`)
    ).json();
    expect(byName).toEqual([
      {
        id: compound.id,
        name: '随手拍测试家园',
        communityCode: community,
        regionLabel: expect.stringContaining('平城区'),
        address: '测试路 8 号',
        lat: 40.2,
        lng: 113.2,
      },
    ]);
    const near = (await get(cookie, '/api/v1/places/compounds?lat=40.2001&lng=113.2001&limit=1')).json();
    expect(near.map((c: { id: number }) => c.id)).toEqual([compound.id]);
    expect((await get(cookie, '/api/v1/places/compounds')).json()).toEqual([]);
    const bs = (await get(cookie, `/api/v1/places/compounds/${compound.id}/buildings`)).json();
    expect(bs).toEqual([{ id: building.id, name: building.name }]);
    expect((await get(cookie, '/api/v1/places/compounds/99999999/buildings')).statusCode).toBe(404);
    // LIKE metacharacters are literal.
    expect((await get(cookie, '/api/v1/places/compounds?q=%25')).json()).toEqual([]);
  });
});
