import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compounds } from '../geo/tables.ts';
import { createTestApp, loginAs, makeCompound, makeUser, regionPath, type TestApp } from '../test/app.ts';
import { calendarOverrides, responsibilityItems, responsibilityLists, tickets } from '../tickets/tables.ts';
import { ReferenceCache } from './cache.ts';

describe('ReferenceCache', () => {
  it('shares one read for its TTL and drops it on a change or a resync', async () => {
    const c = new ReferenceCache(1000);
    let reads = 0;
    const load = async () => ++reads;
    expect(await Promise.all([c.get('compounds', 0, load), c.get('compounds', 10, load)])).toEqual([1, 1]);
    expect(await c.get('compounds', 1000, load)).toBe(2);
    c.onEvent({ kind: 'changed', table: 'compounds' });
    expect(await c.get('compounds', 1001, load)).toBe(3);
    c.onEvent({ kind: 'changed', table: 'calendar_overrides' });
    expect(await c.get('compounds', 1002, load)).toBe(3);
    c.onEvent({ kind: 'resync' });
    expect(await c.get('compounds', 1003, load)).toBe(4);
  });

  it('drops the current items when either the items or the lists change', async () => {
    const c = new ReferenceCache(60_000);
    let reads = 0;
    const load = async () => ++reads;
    expect(await c.get('current_items', 0, load)).toBe(1);
    c.onEvent({ kind: 'changed', table: 'responsibility_lists' });
    expect(await c.get('current_items', 1, load)).toBe(2);
    c.onEvent({ kind: 'changed', table: 'responsibility_items' });
    expect(await c.get('current_items', 2, load)).toBe(3);
    c.onEvent({ kind: 'changed', table: 'compounds' });
    expect(await c.get('current_items', 3, load)).toBe(3);
  });

  it('does not keep a failed read', async () => {
    const c = new ReferenceCache(60_000);
    await expect(c.get('compounds', 0, async () => Promise.reject(new Error('down')))).rejects.toThrow(
      'down',
    );
    expect(await c.get('compounds', 1, async () => 'up')).toBe('up');
  });
});

describe('cached reference data follows changes made behind the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  /** A resident of a new compound in a new community, signed in. */
  async function signedInResident(compoundName: string) {
    const code = await t.freshCommunity();
    const { compound } = await makeCompound(t.db, code, compoundName);
    const u = await makeUser(t.db, {
      grants: [
        { role: 'resident', scopePath: compound.path, nodeKind: 'compound', nodeRef: String(compound.id) },
      ],
    });
    return { code, compound, cookie: await loginAs(t.app, u.phone) };
  }

  it('a compound deleted while this instance still had it cached is refused clearly, nothing saved', async () => {
    const code = await t.freshCommunity();
    const { compound } = await makeCompound(t.db, code, '将拆小区');
    const other = await makeCompound(t.db, code, '邻近小区');
    const u = await makeUser(t.db, {
      grants: [
        {
          role: 'communityAdmin',
          scopePath: await regionPath(t.db, code),
          nodeKind: 'region',
          nodeRef: code,
        },
      ],
    });
    const cookie = await loginAs(t.app, u.phone);
    const report = (description: string, compoundId = compound.id) =>
      t.send(cookie, 'POST', '/api/v1/tickets', { channel: 'staff', description, compoundId });
    // Any report reads every compound into the cache.
    expect((await report('先报一件，小区进了缓存', other.compound.id)).statusCode).toBe(200);
    // Deleted without telling anyone (the trigger off): the cache still places reports there.
    await t.db.execute(sql`alter table compounds disable trigger compounds_changed`);
    try {
      await t.db.execute(sql`delete from buildings where compound_id = ${compound.id}`);
      await t.db.execute(sql`delete from compounds where id = ${compound.id}`);
    } finally {
      await t.db.execute(sql`alter table compounds enable trigger compounds_changed`);
    }
    const res = await report('小区已经删除了');
    expect(res.json()).toMatchObject({ code: 'compound.not_found' });
    expect(res.json().detail).toMatch(/[\u4e00-\u9fff]/);
    const left = await t.db
      .select({ id: tickets.id })
      .from(tickets)
      .where(eq(tickets.description, '小区已经删除了'));
    expect(left).toHaveLength(0);
    // The stale copy was dropped: the next report is refused by the database lookup, the same way.
    expect((await report('小区已经删除了')).json()).toMatchObject({ code: 'compound.not_found' });
  });

  it('a moved compound and a new holiday apply to the next report', async () => {
    const { code, compound, cookie } = await signedInResident('缓存小区');
    const other = await makeCompound(t.db, code, '另一小区');
    const report = async () => {
      const res = await t.send(cookie, 'POST', '/api/v1/tickets', {
        description: '楼道灯不亮',
        compoundId: compound.id,
      });
      expect(res.statusCode).toBe(200);
      const id = res.json().id as number;
      const [row] = await t.db.select({ path: tickets.path }).from(tickets).where(eq(tickets.id, id));
      return { path: row?.path, acceptDueAt: res.json().acceptDueAt as string };
    };
    const before = await report();
    expect(before.path).toBe(compound.path);

    // Moved to the other grid by SQL, and Thursday 26 November declared a holiday by SQL.
    const moved = `${other.grid.path}${compound.code}.`;
    await t.db.update(compounds).set({ path: moved }).where(eq(compounds.id, compound.id));
    await t.db
      .insert(calendarOverrides)
      .values({ day: '2026-11-26', workday: false, note: '测试', updatedAt: new Date() });
    await vi.waitFor(async () => {
      const after = await report();
      expect(after.path).toBe(moved);
      // Two working hours from Thursday 08:00 now end on Friday.
      expect(new Date(after.acceptDueAt).getTime()).toBeGreaterThan(
        new Date('2026-11-27T00:00:00+08:00').getTime(),
      );
      expect(before.acceptDueAt < after.acceptDueAt).toBe(true);
    });
  });

  it('an item’s limits changed by SQL apply to the next report naming it', async () => {
    const { compound, cookie } = await signedInResident('事项小区');
    const [item] = await t.db
      .select({ id: responsibilityItems.id, acceptLimit: responsibilityItems.acceptLimit })
      .from(responsibilityItems)
      .innerJoin(responsibilityLists, eq(responsibilityLists.id, responsibilityItems.listId))
      .where(eq(responsibilityLists.current, true))
      .limit(1);
    if (!item) throw new Error('no current item');
    const report = async () => {
      const res = await t.send(cookie, 'POST', '/api/v1/tickets', {
        description: '按事项报',
        compoundId: compound.id,
        itemId: item.id,
      });
      expect(res.statusCode).toBe(200);
      return new Date(res.json().acceptDueAt as string).getTime();
    };
    const before = await report();
    try {
      await t.db
        .update(responsibilityItems)
        .set({ acceptLimit: '3wd' })
        .where(eq(responsibilityItems.id, item.id));
      await vi.waitFor(async () => {
        // Three working days from Thursday: well past the two hours it was.
        expect((await report()) - before).toBeGreaterThan(24 * 3600_000);
      });
    } finally {
      await t.db
        .update(responsibilityItems)
        .set({ acceptLimit: item.acceptLimit })
        .where(eq(responsibilityItems.id, item.id));
    }
  });
});
