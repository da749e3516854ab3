import { and, eq, inArray, like, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../contracts/roles.ts';
import { grantsOf } from '../auth/repo.ts';
import { auditLog, grants, users } from '../auth/tables.ts';
import { AppError } from '../core/errors.ts';
import type { Db } from '../db/index.ts';
import { regions } from '../geo/tables.ts';
import {
  createTestApp,
  loginAs,
  makeCompound,
  makeDepartment,
  makeUser,
  nextPhone,
  regionPath,
  TEST_PASSWORD,
  type TestApp,
} from '../test/app.ts';
import { revokeGrant } from './service.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

// Helpers ---------------------------------------------------------------------------------------

type GrantSpec = { role: Role; scopePath: string; nodeKind: string; nodeRef: string; departmentId?: number };

const onRegion = async (role: Role, code: string): Promise<GrantSpec> => ({
  role,
  scopePath: await regionPath(t.db, code),
  nodeKind: 'region',
  nodeRef: code,
});
const onCompound = (role: Role, c: { id: number; path: string }): GrantSpec => ({
  role,
  scopePath: c.path,
  nodeKind: 'compound',
  nodeRef: String(c.id),
});
const onGrid = (role: Role, g: { id: number; path: string }): GrantSpec => ({
  role,
  scopePath: g.path,
  nodeKind: 'grid',
  nodeRef: String(g.id),
});

async function person(grantList: GrantSpec[], name?: string) {
  return makeUser(t.db, { grants: grantList, ...(name ? { name } : {}) });
}

async function signedIn(grantList: GrantSpec[], name?: string) {
  const user = await person(grantList, name);
  return { user, cookie: await loginAs(t.app, user.phone) };
}

/** A fresh community with a grid, a compound and its community administrator signed in. */
async function world(prefix = '140213') {
  const community = await t.freshCommunity(prefix);
  const cPath = await regionPath(t.db, community);
  const { grid, compound } = await makeCompound(t.db, community, `小区${community.slice(-6)}`);
  const admin = await signedIn([await onRegion('communityAdmin', community)]);
  return { community, cPath, grid, compound, admin };
}

const get = (cookie: string, url: string) => t.get(cookie, url);
const send = (cookie: string, method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  t.send(cookie, method, url, payload);

const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

interface UserItem {
  id: number;
  name: string;
  phone: string;
  disabled: boolean;
  grants: {
    id: number;
    role: string;
    nodeKind: string;
    nodeRef: string;
    scopePath: string;
    scopeLabel: string;
    revocable: boolean;
  }[];
  can: { reveal: boolean; grant: boolean; disable: boolean };
}

async function listAll(cookie: string, query = ''): Promise<UserItem[]> {
  const res = await get(cookie, `/api/v1/users?limit=200${query}`);
  expect(res.statusCode).toBe(200);
  return res.json().items;
}

async function nameOf(code: string): Promise<string> {
  const [r] = await t.db.select({ name: regions.name }).from(regions).where(eq(regions.code, code));
  return r?.name ?? '';
}

// Listing ---------------------------------------------------------------------------------------

describe('user listing', () => {
  it("lists people holding roles in the admin's community only, masked", async () => {
    const w = await world();
    const elsewhere = await world();
    const resident = await person([onCompound('resident', w.compound)], '张三丰');
    const worker = await person([onGrid('gridWorker', w.grid)], '李四');
    const outsider = await person([onCompound('resident', elsewhere.compound)], '王五');
    const both = await person(
      [onCompound('resident', w.compound), onCompound('resident', elsewhere.compound)],
      '欧阳明日',
    );
    const res = await get(w.admin.cookie, '/api/v1/users?limit=200');
    expect(res.statusCode).toBe(200);
    const items: UserItem[] = res.json().items;
    expect(items.map((u) => u.id)).toEqual([both.id, worker.id, resident.id, w.admin.user.id]);
    expect(res.json().nextCursor).toBeNull();
    expect(items.map((u) => u.id)).not.toContain(outsider.id);
    expect(items.map((u) => u.id)).not.toContain(elsewhere.admin.user.id);

    const r = items.find((u) => u.id === resident.id);
    expect(r).toMatchObject({ name: '张**', phone: masked(resident.phone), disabled: false });
    expect(r?.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    const township = await nameOf(w.community.slice(0, 9));
    const community = await nameOf(w.community);
    expect(r?.grants).toEqual([
      {
        id: expect.any(Number),
        role: 'resident',
        nodeKind: 'compound',
        nodeRef: String(w.compound.id),
        scopePath: w.compound.path,
        scopeLabel: `平城区 ${township} ${community} ${w.grid.name} ${w.compound.name}`,
        revocable: true,
      },
    ]);
    expect(items.find((u) => u.id === worker.id)?.name).toBe('李*');
    const b = items.find((u) => u.id === both.id);
    expect(b?.name).toBe('欧***');
    // Only the grant inside the admin's area is shown.
    expect(b?.grants.map((g) => g.scopePath)).toEqual([w.compound.path]);
    expect(res.body).not.toContain(resident.phone);
    expect(res.body).not.toContain('张三丰');

    const byRole = await listAll(w.admin.cookie, '&role=gridWorker');
    expect(byRole.map((u) => u.id)).toEqual([worker.id]);
    const residents = await listAll(w.admin.cookie, '&role=resident');
    expect(residents.map((u) => u.id)).toEqual([both.id, resident.id]);
    const byPhone = await listAll(w.admin.cookie, `&phone=${resident.phone}`);
    expect(byPhone.map((u) => u.id)).toEqual([resident.id]);
    expect(await listAll(w.admin.cookie, `&phone=${outsider.phone}`)).toEqual([]);
    const partial = await get(w.admin.cookie, `/api/v1/users?phone=${resident.phone.slice(0, 7)}`);
    expect(partial.statusCode).toBe(400);
    expect(await listAll(w.admin.cookie, `&region=${elsewhere.community}`)).toEqual([]);

    const one = await get(w.admin.cookie, `/api/v1/users/${resident.id}`);
    expect(one.json()).toMatchObject({ id: resident.id, name: '张**', phone: masked(resident.phone) });
    const hidden = await get(w.admin.cookie, `/api/v1/users/${outsider.id}`);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().code).toBe('user.not_found');
  });

  it('pages with a cursor, newest first, each user once', async () => {
    const w = await world();
    for (let i = 0; i < 4; i++) await person([onCompound('resident', w.compound)]);
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const url: string = `/api/v1/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const body: { items: UserItem[]; nextCursor: string | null } = (await get(w.admin.cookie, url)).json();
      seen.push(...body.items.map((u) => u.id));
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    expect(cursor).toBeNull();
    expect(seen).toHaveLength(5);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    expect(new Set(seen).size).toBe(5);
    const bad = await get(w.admin.cookie, '/api/v1/users?cursor=abc');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('request.invalid');
  });
});

// Creating users --------------------------------------------------------------------------------

describe('creating users', () => {
  it('creates a user with a first role the admin may grant, who can then log in', async () => {
    const w = await world();
    const phone = nextPhone();
    const res = await send(w.admin.cookie, 'POST', '/api/v1/users', {
      phone,
      name: '赵网格',
      password: 'Grid-worker-2026',
      grant: { role: 'gridWorker', nodeRef: String(w.grid.id) },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      name: '赵**',
      phone: masked(phone),
      disabled: false,
      grants: [{ role: 'gridWorker', nodeKind: 'grid', nodeRef: String(w.grid.id), scopePath: w.grid.path }],
    });
    const cookie = await loginAs(t.app, phone, 'Grid-worker-2026');
    const me = await get(cookie, '/api/v1/me');
    expect(me.json()).toMatchObject({ name: '赵网格', phone, grants: [{ role: 'gridWorker' }] });
    const [entry] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'user.create'), eq(auditLog.entityId, String(res.json().id))));
    expect(entry).toMatchObject({ actorUserId: w.admin.user.id, entity: 'user', scopePath: w.grid.path });
    expect(JSON.stringify(entry?.detail)).not.toContain('Grid-worker-2026');
    const [row] = await t.db.select().from(grants).where(eq(grants.userId, res.json().id));
    expect(row?.grantedBy).toBe(w.admin.user.id);

    const residentPhone = nextPhone();
    const resident = await send(w.admin.cookie, 'POST', '/api/v1/users', {
      phone: residentPhone,
      name: '钱居民',
      grant: { role: 'resident', nodeRef: String(w.compound.id) },
    });
    expect(resident.statusCode).toBe(200);
    expect(resident.json().grants).toMatchObject([
      { role: 'resident', nodeKind: 'compound', scopePath: w.compound.path },
    ]);
    // No password given: the account signs in with an SMS code only.
    const noPw = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: residentPhone, password: TEST_PASSWORD },
    });
    expect(noPw.statusCode).toBe(401);
  });

  it("refuses roles beyond the admin's own, nodes outside the area, mismatched nodes", async () => {
    const w = await world();
    const elsewhere = await world();
    const attempt = (grant: { role: Role; nodeRef: string }, extra: object = {}) =>
      send(w.admin.cookie, 'POST', '/api/v1/users', {
        phone: nextPhone(),
        name: '孙测试',
        password: 'Fine-password-1',
        grant,
        ...extra,
      });

    const sameRank = await attempt({ role: 'communityAdmin', nodeRef: w.community });
    expect(sameRank.statusCode).toBe(403);
    expect(sameRank.json().code).toBe('grant.beyond_own');
    expect(sameRank.json().detail).toBe('只能在本人管辖范围内授予低于本人的角色。');

    const foreign = await attempt({ role: 'resident', nodeRef: String(elsewhere.compound.id) });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('compound.not_found');
    const foreignGrid = await attempt({ role: 'gridWorker', nodeRef: String(elsewhere.grid.id) });
    expect(foreignGrid.statusCode).toBe(404);
    expect(foreignGrid.json().code).toBe('grid.not_found');
    const otherCommunity = await attempt({ role: 'merchant', nodeRef: elsewhere.community });
    expect(otherCommunity.statusCode).toBe(404);
    expect(otherCommunity.json().code).toBe('region.not_found');
    const dept = await makeDepartment(t.db, '140213', `部门${w.community}`);
    // The county's department is visible to a community admin (it serves them) but not theirs to staff.
    const department = await attempt({ role: 'departmentOfficer', nodeRef: String(dept.id) });
    expect(department.statusCode).toBe(403);
    expect(department.json().code).toBe('grant.beyond_own');
    const farDept = await makeDepartment(t.db, '140214', `远部门${w.community}`);
    const far = await attempt({ role: 'departmentOfficer', nodeRef: String(farDept.id) });
    expect(far.statusCode).toBe(404);
    expect(far.json().code).toBe('department.not_found');

    const mismatch = await attempt({ role: 'countyAdmin', nodeRef: w.community });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().code).toBe('grant.node_mismatch');
    // People read the role's name, never its code.
    expect(mismatch.json().detail).toBe('角色“县（区）管理员”不能授予在该层级上。');
    const notAnId = await attempt({ role: 'gridWorker', nodeRef: 'abc' });
    expect(notAnId.statusCode).toBe(400);
    expect(notAnId.json().code).toBe('grant.node_mismatch');
    const unknownRegion = await attempt({ role: 'merchant', nodeRef: '140213999999' });
    expect(unknownRegion.statusCode).toBe(404);
    expect(unknownRegion.json().code).toBe('region.not_found');

    const existing = await person([onCompound('resident', w.compound)]);
    const taken = await attempt(
      { role: 'resident', nodeRef: String(w.compound.id) },
      { phone: existing.phone },
    );
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('user.phone_taken');
    expect(taken.json().detail).toBe(`手机号 ${masked(existing.phone)} 已注册。`);
    expect(taken.body).not.toContain(existing.phone);

    const weakPhone = nextPhone();
    for (const password of ['12345678', 'short', `x${weakPhone}`]) {
      const weak = await attempt(
        { role: 'resident', nodeRef: String(w.compound.id) },
        { phone: weakPhone, password },
      );
      expect(weak.statusCode, password).toBe(400);
      expect(weak.json().code).toBe('auth.weak_password');
    }
    const invalid = await send(w.admin.cookie, 'POST', '/api/v1/users', {
      phone: '123',
      name: '',
      grant: { role: 'boss', nodeRef: '1' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['phone', 'name', 'grant.role']),
    );
    // None of the refused requests left a user behind.
    const [leftover] = await t.db.select().from(users).where(eq(users.phone, weakPhone));
    expect(leftover).toBeUndefined();
    const mine = await listAll(w.admin.cookie);
    expect(mine.map((u) => u.id).sort()).toEqual([w.admin.user.id, existing.id].sort());
  });

  it('refuses a township role to a community admin as beyond their own (403, not 404)', async () => {
    const w = await world();
    const township = w.community.slice(0, 9);
    const res = await send(w.admin.cookie, 'POST', '/api/v1/users', {
      phone: nextPhone(),
      name: '周街道',
      password: 'Fine-password-1',
      grant: { role: 'townshipAdmin', nodeRef: township },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('grant.beyond_own');
  });

  it('lets a township admin appoint community admins, but not a township admin', async () => {
    const w = await world();
    const ta = await signedIn([await onRegion('townshipAdmin', w.community.slice(0, 9))]);
    const ok = await send(ta.cookie, 'POST', '/api/v1/users', {
      phone: nextPhone(),
      name: '吴社区',
      grant: { role: 'communityAdmin', nodeRef: w.community },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().grants[0]).toMatchObject({ role: 'communityAdmin', nodeRef: w.community });
    const peer = await send(ta.cookie, 'POST', '/api/v1/users', {
      phone: nextPhone(),
      name: '郑街道',
      grant: { role: 'townshipAdmin', nodeRef: w.community.slice(0, 9) },
    });
    expect(peer.statusCode).toBe(403);
    expect(peer.json().code).toBe('grant.beyond_own');
  });
});

// Reveal ----------------------------------------------------------------------------------------

describe('reveal', () => {
  it('returns the unmasked name and phone and audits the read', async () => {
    const w = await world();
    const resident = await person([onCompound('resident', w.compound)], '冯秀英');
    const res = await send(w.admin.cookie, 'POST', `/api/v1/users/${resident.id}/reveal`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: resident.id, name: '冯秀英', phone: resident.phone });
    const entries = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'pii.reveal'), eq(auditLog.entityId, String(resident.id))));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorUserId: w.admin.user.id,
      entity: 'user',
      entityId: String(resident.id),
      ip: '127.0.0.1',
      scopePath: w.compound.path,
    });

    const elsewhere = await world();
    const outsider = await person([onCompound('resident', elsewhere.compound)]);
    const hidden = await send(w.admin.cookie, 'POST', `/api/v1/users/${outsider.id}/reveal`);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().code).toBe('user.not_found');
    const none = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'pii.reveal'), eq(auditLog.entityId, String(outsider.id))));
    expect(none).toEqual([]);
  });
});

// Grants ----------------------------------------------------------------------------------------

describe('grants', () => {
  it('adds a second role, refuses a duplicate, revokes', async () => {
    const w = await world();
    const u = await person([onCompound('resident', w.compound)]);
    const add = await send(w.admin.cookie, 'POST', `/api/v1/users/${u.id}/grants`, {
      role: 'gridWorker',
      nodeRef: String(w.grid.id),
    });
    expect(add.statusCode).toBe(200);
    expect(add.json().grants.map((g: { role: string }) => g.role)).toEqual(['resident', 'gridWorker']);
    const dup = await send(w.admin.cookie, 'POST', `/api/v1/users/${u.id}/grants`, {
      role: 'gridWorker',
      nodeRef: String(w.grid.id),
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('grant.exists');
    const beyond = await send(w.admin.cookie, 'POST', `/api/v1/users/${u.id}/grants`, {
      role: 'communityAdmin',
      nodeRef: w.community,
    });
    expect(beyond.statusCode).toBe(403);
    expect(beyond.json().code).toBe('grant.beyond_own');

    const gid = add.json().grants.find((g: { role: string }) => g.role === 'gridWorker').id;
    const revoke = await send(w.admin.cookie, 'DELETE', `/api/v1/users/${u.id}/grants/${gid}`);
    expect(revoke.statusCode).toBe(200);
    expect(revoke.json().grants.map((g: { role: string }) => g.role)).toEqual(['resident']);
    expect(await t.db.select().from(grants).where(eq(grants.id, gid))).toEqual([]);
    const actions = (
      await t.db
        .select({ action: auditLog.action })
        .from(auditLog)
        .where(and(eq(auditLog.entityId, String(u.id)), eq(auditLog.actorUserId, w.admin.user.id)))
    ).map((r) => r.action);
    expect(actions).toEqual(['grant.add', 'grant.revoke']);

    // Someone else's grant, or one outside the area, is not found.
    const other = await person([onCompound('resident', w.compound)]);
    const [otherGrant] = await t.db.select().from(grants).where(eq(grants.userId, other.id));
    const wrongUser = await send(w.admin.cookie, 'DELETE', `/api/v1/users/${u.id}/grants/${otherGrant?.id}`);
    expect(wrongUser.statusCode).toBe(404);
    expect(wrongUser.json().code).toBe('grant.not_found');
    const elsewhere = await world();
    const split = await person([
      onCompound('resident', w.compound),
      onCompound('resident', elsewhere.compound),
    ]);
    const [outside] = await t.db
      .select()
      .from(grants)
      .where(and(eq(grants.userId, split.id), eq(grants.scopePath, elsewhere.compound.path)));
    const res = await send(w.admin.cookie, 'DELETE', `/api/v1/users/${split.id}/grants/${outside?.id}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('grant.not_found');
  });

  it("revoking a user's only role succeeds", async () => {
    const w = await world();
    const u = await person([onGrid('gridWorker', w.grid)]);
    const [g] = await t.db.select().from(grants).where(eq(grants.userId, u.id));
    const res = await send(w.admin.cookie, 'DELETE', `/api/v1/users/${u.id}/grants/${g?.id}`);
    expect(res.statusCode).toBe(200);
    expect(await t.db.select().from(grants).where(eq(grants.userId, u.id))).toEqual([]);
  });

  it('never revokes the last city administrator', async () => {
    const cityPath = await regionPath(t.db, '140200');
    // Other city admins made by other tests in this file are disabled for the duration.
    const others = await t.db
      .select({ id: users.id })
      .from(users)
      .innerJoin(grants, eq(grants.userId, users.id))
      .where(and(eq(grants.role, 'cityAdmin'), eq(users.disabled, false)));
    const otherIds = others.map((o) => o.id);
    if (otherIds.length) await t.db.update(users).set({ disabled: true }).where(inArray(users.id, otherIds));
    try {
      const w = await world();
      const a = await signedIn([await onRegion('cityAdmin', '140200')]);
      const [own] = await t.db.select().from(grants).where(eq(grants.userId, a.user.id));
      const last = await send(a.cookie, 'DELETE', `/api/v1/users/${a.user.id}/grants/${own?.id}`);
      expect(last.statusCode).toBe(409);
      expect(last.json().code).toBe('grant.last_city_admin');
      expect(last.json().detail).toBe('不能撤销最后一位市级管理员。');

      // With a second one, one of them may go.
      const b = await person([await onRegion('cityAdmin', '140200'), onCompound('resident', w.compound)]);
      const [bGrant] = await t.db
        .select()
        .from(grants)
        .where(and(eq(grants.userId, b.id), eq(grants.role, 'cityAdmin')));
      const ok = await send(a.cookie, 'DELETE', `/api/v1/users/${b.id}/grants/${bGrant?.id}`);
      expect(ok.statusCode).toBe(200);
      expect(ok.json().grants.map((g: { role: string }) => g.role)).toEqual(['resident']);
      expect(bGrant?.scopePath).toBe(cityPath);
      const again = await send(a.cookie, 'DELETE', `/api/v1/users/${a.user.id}/grants/${own?.id}`);
      expect(again.statusCode).toBe(409);

      // A county admin cannot touch a city admin's grant at all.
      const county = await signedIn([await onRegion('countyAdmin', '140213')]);
      const notYours = await send(county.cookie, 'DELETE', `/api/v1/users/${a.user.id}/grants/${own?.id}`);
      expect(notYours.statusCode).toBe(404);

      // Two city admins revoking each other at the same moment: the second waits for the first
      // to commit, then sees it would leave no city admin. (Without the lock, PostgreSQL lets
      // both transactions count two admins and delete both.)
      const c = await signedIn([await onRegion('cityAdmin', '140200')]);
      const [cGrant] = await t.db.select().from(grants).where(eq(grants.userId, c.user.id));
      const ctxOf = async (db: Db, userId: number) => ({
        db,
        clock: t.clock,
        ip: null,
        locale: 'zh-CN' as const,
        log: t.app.log,
        actor: {
          userId,
          name: 'x',
          phone: 'x',
          locale: 'zh-CN' as const,
          grants: await grantsOf(t.db, userId),
        },
      });
      const [aCtx, cCtx] = [await ctxOf(t.db, a.user.id), await ctxOf(t.db, c.user.id)];
      let second: Promise<unknown> | undefined;
      await t.db.transaction(async (tx) => {
        await revokeGrant({ ...aCtx, db: tx as unknown as Db }, c.user.id, cGrant?.id ?? 0);
        second = t.db
          .transaction(async (tx2) =>
            revokeGrant({ ...cCtx, db: tx2 as unknown as Db }, a.user.id, own?.id ?? 0),
          )
          .catch((e: unknown) => e);
        await new Promise((r) => setTimeout(r, 300));
      });
      const refused = await second;
      expect(refused).toBeInstanceOf(AppError);
      expect((refused as AppError).code).toBe('grant.last_city_admin');
      const left = await t.db
        .select({ id: users.id })
        .from(users)
        .innerJoin(grants, eq(grants.userId, users.id))
        .where(and(eq(grants.role, 'cityAdmin'), eq(users.disabled, false)));
      expect(left).toHaveLength(1);
    } finally {
      if (otherIds.length)
        await t.db.update(users).set({ disabled: false }).where(inArray(users.id, otherIds));
    }
  });
});

// Disabling -------------------------------------------------------------------------------------

describe('disabling users', () => {
  it('a disabled resident is signed out and cannot log in until enabled again', async () => {
    const w = await world();
    const r = await signedIn([onCompound('resident', w.compound)]);
    expect((await get(r.cookie, '/api/v1/me')).statusCode).toBe(200);
    const listed = (await listAll(w.admin.cookie)).find((u) => u.id === r.user.id);
    expect(listed?.can.disable).toBe(true);

    const off = await send(w.admin.cookie, 'PATCH', `/api/v1/users/${r.user.id}`, { disabled: true });
    expect(off.statusCode).toBe(200);
    expect(off.json()).toMatchObject({ id: r.user.id, disabled: true });
    const me = await get(r.cookie, '/api/v1/me');
    expect(me.statusCode).toBe(401);
    expect(me.json().code).toBe('auth.required');
    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: r.user.phone, password: TEST_PASSWORD },
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('auth.disabled');

    const on = await send(w.admin.cookie, 'PATCH', `/api/v1/users/${r.user.id}`, { disabled: false });
    expect(on.statusCode).toBe(200);
    expect(on.json().disabled).toBe(false);
    const back = await loginAs(t.app, r.user.phone);
    expect((await get(back, '/api/v1/me')).statusCode).toBe(200);
    const actions = (
      await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, String(r.user.id)), eq(auditLog.actorUserId, w.admin.user.id)))
    ).map((e) => [e.action, e.scopePath]);
    expect(actions).toEqual([
      ['user.disable', w.compound.path],
      ['user.enable', w.compound.path],
    ]);
    // No body change: the user comes back as is.
    const noop = await send(w.admin.cookie, 'PATCH', `/api/v1/users/${r.user.id}`, {});
    expect(noop.json().disabled).toBe(false);
  });

  it("cannot disable someone who also holds a role beyond the admin's reach, nor oneself", async () => {
    const w = await world();
    const elsewhere = await world();
    const above = await person([
      onCompound('resident', w.compound),
      await onRegion('townshipAdmin', w.community.slice(0, 9)),
    ]);
    const outside = await person([
      onCompound('resident', w.compound),
      onCompound('resident', elsewhere.compound),
    ]);
    const peer = await person([await onRegion('communityAdmin', w.community)]);
    const list = await listAll(w.admin.cookie);
    // The console offers to revoke exactly the grants the admin outranks.
    const revocable = (id: number) => list.find((u) => u.id === id)?.grants.map((g) => [g.role, g.revocable]);
    // (The township role lies outside the community admin's area, so it is not even listed.)
    expect(revocable(above.id)).toEqual([['resident', true]]);
    expect(revocable(peer.id)).toEqual([['communityAdmin', false]]);
    for (const id of [above.id, outside.id, peer.id, w.admin.user.id]) {
      expect(list.find((u) => u.id === id)?.can.disable, String(id)).toBe(false);
      const res = await send(w.admin.cookie, 'PATCH', `/api/v1/users/${id}`, { disabled: true });
      expect(res.statusCode, String(id)).toBe(403);
      expect(res.json().code).toBe('access.forbidden');
    }
    const [row] = await t.db.select().from(users).where(eq(users.id, above.id));
    expect(row?.disabled).toBe(false);
    const foreign = await person([onCompound('resident', elsewhere.compound)]);
    const hidden = await send(w.admin.cookie, 'PATCH', `/api/v1/users/${foreign.id}`, { disabled: true });
    expect(hidden.statusCode).toBe(404);
  });
});

// Who may use these endpoints -------------------------------------------------------------------

describe('administrators only', () => {
  it('refuses residents, members, grid workers, secretaries and department officers', async () => {
    const w = await world();
    const dept = await makeDepartment(t.db, '140213', `禁入部门${w.community}`);
    const specs: GrantSpec[] = [
      onCompound('resident', w.compound),
      onCompound('member', w.compound),
      onCompound('compoundSecretary', w.compound),
      onGrid('gridWorker', w.grid),
      {
        role: 'departmentOfficer',
        scopePath: dept.path,
        nodeKind: 'department',
        nodeRef: String(dept.id),
        departmentId: dept.id,
      },
    ];
    const target = await person([onCompound('resident', w.compound)]);
    for (const spec of specs) {
      const u = await signedIn([spec]);
      const calls = [
        get(u.cookie, '/api/v1/users'),
        get(u.cookie, '/api/v1/audit'),
        get(u.cookie, `/api/v1/users/${target.id}`),
        send(u.cookie, 'POST', `/api/v1/users/${target.id}/reveal`),
        send(u.cookie, 'PATCH', `/api/v1/users/${target.id}`, { disabled: true }),
        send(u.cookie, 'POST', '/api/v1/users', {
          phone: nextPhone(),
          name: '越权',
          grant: { role: 'resident', nodeRef: String(w.compound.id) },
        }),
      ];
      for (const res of await Promise.all(calls)) {
        expect(res.statusCode, `${spec.role} ${res.raw.req.url}`).toBe(403);
        expect(res.json().code).toBe('access.forbidden');
      }
    }
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/users' });
    expect(anon.statusCode).toBe(401);
    const [row] = await t.db.select().from(users).where(eq(users.id, target.id));
    expect(row?.disabled).toBe(false);
  });
});

// Audit log -------------------------------------------------------------------------------------

describe('audit log', () => {
  interface Entry {
    id: number;
    action: string;
    entity: string;
    entityId: string | null;
    actorUserId: number | null;
    actorName: string | null;
  }

  it('shows a community admin the writes in their community only; a city admin sees all and logins', async () => {
    const a = await world();
    const b = await world();
    const ga = (
      await send(a.admin.cookie, 'POST', '/api/v1/grids', { communityCode: a.community, name: '审计甲' })
    ).json();
    const gb = (
      await send(b.admin.cookie, 'POST', '/api/v1/grids', { communityCode: b.community, name: '审计乙' })
    ).json();
    const mine: Entry[] = (await get(a.admin.cookie, '/api/v1/audit?limit=200')).json().items;
    const ids = mine.map((e) => `${e.action}:${e.entityId}`);
    expect(ids).toContain(`grid.create:${ga.id}`);
    expect(ids).not.toContain(`grid.create:${gb.id}`);
    expect(mine.find((e) => e.entityId === String(ga.id))).toMatchObject({
      actorUserId: a.admin.user.id,
      actorName: '测***',
      entity: 'grid',
    });
    expect(mine.some((e) => e.action.startsWith('auth.'))).toBe(false);
    expect((await get(a.admin.cookie, '/api/v1/audit?action=auth.login')).json().items).toEqual([]);

    const city = await signedIn([await onRegion('cityAdmin', '140200')]);
    const all: Entry[] = (await get(city.cookie, '/api/v1/audit?limit=200')).json().items;
    const allIds = all.map((e) => `${e.action}:${e.entityId}`);
    expect(allIds).toEqual(expect.arrayContaining([`grid.create:${ga.id}`, `grid.create:${gb.id}`]));
    const logins: Entry[] = (await get(city.cookie, '/api/v1/audit?action=auth.login&limit=200')).json()
      .items;
    expect(logins.map((e) => e.entityId)).toEqual(
      expect.arrayContaining([String(a.admin.user.id), String(b.admin.user.id), String(city.user.id)]),
    );
    const byActor: Entry[] = (
      await get(city.cookie, `/api/v1/audit?actorUserId=${b.admin.user.id}&limit=200`)
    ).json().items;
    expect(byActor.length).toBeGreaterThan(0);
    expect(byActor.every((e) => e.actorUserId === b.admin.user.id)).toBe(true);
  });

  it('pages with a cursor, newest first', async () => {
    const w = await world();
    const grid = (
      await send(w.admin.cookie, 'POST', '/api/v1/grids', { communityCode: w.community, name: '翻页格' })
    ).json();
    for (let i = 1; i <= 4; i++)
      await send(w.admin.cookie, 'PATCH', `/api/v1/grids/${grid.id}`, { name: `翻页格${i}` });
    const expected = (
      await t.db
        .select({ id: auditLog.id })
        .from(auditLog)
        .where(and(like(auditLog.scopePath, `${w.cPath}%`), ne(auditLog.action, '')))
    )
      .map((r) => r.id)
      .sort((x, y) => y - x);
    expect(expected).toHaveLength(5);
    const seen: number[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const url: string = `/api/v1/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const body: { items: Entry[]; nextCursor: string | null } = (await get(w.admin.cookie, url)).json();
      sizes.push(body.items.length);
      seen.push(...body.items.map((e) => e.id));
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(expected);
    const bad = await get(w.admin.cookie, '/api/v1/audit?cursor=abc');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('request.invalid');
  });

  it('refuses any cursor that is not one it issued (not silently restarting at page one)', async () => {
    const w = await world();
    // "!!" and "" decode to an empty string, which Number() reads as 0.
    for (const url of ['/api/v1/audit?cursor=%21%21', '/api/v1/users?cursor=%21%21']) {
      const res = await get(w.admin.cookie, url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().code).toBe('request.invalid');
    }
  });
});
