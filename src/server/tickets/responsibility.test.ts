import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponsibilityListDoc } from '../../contracts/tickets.ts';
import { auditLog } from '../auth/tables.ts';
import { openDatabase, runMigrations } from '../db/index.ts';
import { createTestApp, loginAs, makeCompound, makeUser, regionPath, type TestApp } from '../test/app.ts';
import { runCli } from '../test/cli.ts';
import { seedResponsibilityList } from './seed.ts';
import { responsibilityLists, tickets } from './tables.ts';

// Publishing changes the current list for everything in this app, so these tests have their own.
let t: TestApp;
let city: string;
let county: string;
let community: string;
let resident: string;
let compoundId: number;

beforeAll(async () => {
  t = await createTestApp();
  const login = async (role: 'cityAdmin' | 'countyAdmin' | 'communityAdmin', code: string) => {
    const u = await makeUser(t.db, {
      grants: [{ role, scopePath: await regionPath(t.db, code), nodeKind: 'region', nodeRef: code }],
    });
    return loginAs(t.app, u.phone);
  };
  city = await login('cityAdmin', '140200');
  county = await login('countyAdmin', '140213');
  const code = await t.freshCommunity();
  community = await login('communityAdmin', code);
  const { compound } = await makeCompound(t.db, code, '清单小区');
  compoundId = compound.id;
  const r = await makeUser(t.db, {
    grants: [
      { role: 'resident', scopePath: compound.path, nodeKind: 'compound', nodeRef: String(compound.id) },
    ],
  });
  resident = await loginAs(t.app, r.phone);
}, 120_000);
afterAll(async () => t?.close());

const current = async (): Promise<ResponsibilityListDoc> => {
  const res = await t.get(city, '/api/v1/responsibility/lists/2026-1');
  expect(res.statusCode).toBe(200);
  return res.json();
};
const publish = (cookie: string, doc: object, dryRun = false) =>
  t.send(cookie, 'POST', `/api/v1/responsibility/lists?dryRun=${dryRun}`, doc);

describe('responsibility list versions', () => {
  it('exports the seeded list whole: 13 categories, 81 items, complex ones extendable', async () => {
    const doc = await current();
    expect(doc.categories).toHaveLength(13);
    expect(doc.items).toHaveLength(81);
    const complex = doc.items.filter((i) => i.limits.resolve === '15d');
    expect(complex.length).toBeGreaterThan(0);
    expect(complex.every((i) => i.limits.extension === '15d')).toBe(true);
    expect(doc.items.filter((i) => i.limits.resolve !== '15d').every((i) => !i.limits.extension)).toBe(true);
    const list = await t.get(county, '/api/v1/responsibility/lists');
    expect(list.json()).toEqual([
      expect.objectContaining({ version: '2026-1', current: true, itemCount: 81, categoryCount: 13 }),
    ]);
    expect((await t.get(resident, '/api/v1/responsibility/lists')).statusCode).toBe(403);
    expect((await t.get(city, '/api/v1/responsibility/lists/1999-9')).json().code).toBe(
      'responsibility.version_not_found',
    );
  });

  it('lists every problem of a bad document in Chinese, and saves nothing', async () => {
    const doc = await current();
    const [first, second] = doc.items;
    if (!first || !second) throw new Error('items');
    const bad = {
      ...doc,
      version: '2026-bad',
      items: [
        { ...first, departmentType: 'noSuchType', handlerLevel: 'department' as const },
        { ...second, code: first.code },
        { ...second, code: 'X-1', categoryCode: 'C99' },
        { ...second, code: 'X-2', urgent: true, limits: { ...second.limits, extension: '15d' } },
        { ...second, code: 'X-3', handlerLevel: 'department' as const, departmentType: null },
        ...doc.items.slice(2),
      ],
    };
    const res = await publish(city, bad);
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('responsibility.invalid');
    expect(body.detail).toMatch(/^责任清单有 \d+ 处错误/);
    const messages = body.errors.map((e: { message: string }) => e.message).join('\n');
    expect(messages).toContain('部门类型“noSuchType”不存在');
    expect(messages).toContain(`事项编码“${first.code}”重复`);
    expect(messages).toContain('所属类别“C99”不存在');
    expect(messages).toContain('不能延期');
    expect(messages).toContain('请写明部门类型');
    // A malformed limit is refused by the schema before the checks run.
    const badLimit = await publish(city, {
      ...doc,
      version: '2026-bad2',
      items: [{ ...first, limits: { ...first.limits, resolve: '7 days' } }],
    });
    expect(badLimit.statusCode).toBe(400);
    expect(badLimit.json().errors[0].path).toContain('limits');
    const versions = await t.db.select().from(responsibilityLists);
    expect(versions.map((v) => v.version)).toEqual(['2026-1']);
  });

  it('only the city administrator publishes', async () => {
    const doc = { ...(await current()), version: '2026-x' };
    expect((await publish(county, doc)).statusCode).toBe(403);
    expect((await publish(community, doc, true)).statusCode).toBe(403);
    expect((await publish(resident, doc)).statusCode).toBe(403);
  });

  it('a dry run shows what changes; publishing makes it current, and old tickets keep their rules', async () => {
    // A ticket routed under 2026-1 before the change.
    const old = await current();
    const moved = old.items.find((i) => i.handlerLevel === 'community' && i.limits.resolve === '7d');
    if (!moved) throw new Error('no community item');
    const rep = await t.send(resident, 'POST', '/api/v1/tickets', {
      description: '楼道里堆满了杂物，老人上下楼不方便',
      compoundId,
    });
    const oldTicketId = rep.json().id as number;
    const oldItem = (await t.get(city, '/api/v1/responsibility/items'))
      .json()
      .items.find((i: { code: string }) => i.code === moved.code);
    const acc = await t.send(community, 'POST', `/api/v1/tickets/${oldTicketId}/actions`, {
      kind: 'accept',
      itemId: oldItem.id,
    });
    expect(acc.statusCode, acc.body).toBe(200);

    const next: ResponsibilityListDoc = {
      ...old,
      version: '2026-2',
      note: '调整楼道杂物事项的办理时限',
      items: [
        ...old.items
          .filter((i) => i.code !== old.items.at(-1)?.code)
          .map((i) =>
            i.code === moved.code
              ? { ...i, limits: { ...i.limits, resolve: '3d' }, keywords: ['杂物', '堆物'] }
              : i,
          ),
        {
          code: 'C01-99',
          categoryCode: 'C01',
          name: '共享单车乱停放',
          description: '小区门口、人行道上共享单车乱停乱放。',
          handlerLevel: 'township',
          departmentType: null,
          urgent: false,
          limits: { accept: '2wh', checkIn: '1wd', resolve: '3d', extension: null },
          keywords: ['共享单车', '乱停'],
        },
      ],
    };
    const dry = await publish(city, next, true);
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toEqual({
      list: null,
      dryRun: true,
      diff: {
        added: ['C01-99'],
        removed: [old.items.at(-1)?.code],
        changed: [{ code: moved.code, fields: ['limits.resolve', 'keywords'] }],
      },
    });
    expect((await t.get(city, '/api/v1/responsibility/items')).json().version).toBe('2026-1');

    const res = await publish(city, next);
    expect(res.statusCode).toBe(200);
    expect(res.json().list).toMatchObject({ version: '2026-2', current: true, itemCount: 81 });
    const items = (await t.get(resident, '/api/v1/responsibility/items')).json();
    expect(items.version).toBe('2026-2');
    expect(items.items.find((i: { code: string }) => i.code === 'C01-99')?.name).toBe('共享单车乱停放');
    const versions = (await t.get(city, '/api/v1/responsibility/lists')).json();
    expect(versions.map((v: { version: string; current: boolean }) => [v.version, v.current])).toEqual([
      ['2026-2', true],
      ['2026-1', false],
    ]);
    expect(versions[1].ticketCount).toBeGreaterThanOrEqual(1);

    // The old ticket keeps its 2026-1 item; the old item can no longer be chosen for new ones.
    const [kept] = await t.db.select().from(tickets).where(eq(tickets.id, oldTicketId));
    expect(kept?.itemId).toBe(oldItem.id);
    const fresh = await t.send(resident, 'POST', '/api/v1/tickets', {
      description: '楼道里又堆了纸箱',
      compoundId,
    });
    const refused = await t.send(community, 'POST', `/api/v1/tickets/${fresh.json().id}/actions`, {
      kind: 'accept',
      itemId: oldItem.id,
    });
    expect(refused.json().code).toBe('ticket.item_not_found');
    // Under the new version the matter has 3 days, not 7.
    const newItem = items.items.find((i: { code: string }) => i.code === moved.code);
    const accepted = await t.send(community, 'POST', `/api/v1/tickets/${fresh.json().id}/actions`, {
      kind: 'accept',
      itemId: newItem.id,
    });
    expect(accepted.statusCode).toBe(200);
    const days = (Date.parse(accepted.json().resolveDueAt) - t.clock.now().getTime()) / 86_400_000;
    expect(days).toBeCloseTo(3, 5);

    const [a] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'responsibility.publish')));
    expect(a?.detail).toMatchObject({
      version: '2026-2',
      previous: '2026-1',
      added: 1,
      removed: 1,
      changed: 1,
    });
    // A version is published once.
    expect((await publish(city, next)).json().code).toBe('responsibility.version_exists');
  });
});

describe('npm run cli -- responsibility:export / responsibility:import', () => {
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gz-resp-'));
    const d = await openDatabase({ dataDir: dir });
    try {
      await runMigrations(d.db);
      await seedResponsibilityList(d.db, new Date('2026-01-01T00:00:00+08:00'));
    } finally {
      await d.close();
    }
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exports, checks with a dry run, refuses a broken file clearly, and publishes', async () => {
    const file = path.join(dir, 'list.json');
    const exp = await runCli(['responsibility:export', '--out', file], '', { DATA_DIR: dir });
    expect(exp.stderr).toBe('');
    expect(exp.stdout).toContain('已导出责任清单 2026-1（81 项）');
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as ResponsibilityListDoc;
    doc.version = '2027-1';
    doc.items = doc.items.slice(1);
    fs.writeFileSync(file, JSON.stringify(doc));

    const dry = await runCli(['responsibility:import', '--file', file, '--dry-run'], '', { DATA_DIR: dir });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('检查通过，未发布：新增 0 项，删除 1 项，修改 0 项');

    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(
      broken,
      JSON.stringify({
        ...doc,
        version: '2027-2',
        items: [{ ...doc.items[0], handlerLevel: 'department', departmentType: 'nope' }],
      }),
    );
    const bad = await runCli(['responsibility:import', '--file', broken], '', { DATA_DIR: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('责任清单有');
    expect(bad.stderr).toContain('部门类型“nope”不存在');

    const pub = await runCli(['responsibility:import', '--file', file], '', { DATA_DIR: dir });
    expect(pub.code, pub.stderr).toBe(0);
    expect(pub.stdout).toContain('已发布责任清单 2027-1 并设为当前版本');
    const d = await openDatabase({ dataDir: dir });
    try {
      const rows = await d.db.select().from(responsibilityLists);
      expect(rows.map((r) => [r.version, r.current]).sort()).toEqual([
        ['2026-1', false],
        ['2027-1', true],
      ]);
    } finally {
      await d.close();
    }
  }, 180_000);
});
