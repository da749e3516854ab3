import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES, POINT_SOURCES } from '../../contracts/points-states.ts';
import { auditLog } from '../auth/tables.ts';
import { makeIdNumber } from '../party/id-number.ts';
import { createTestApp, makeCompound, regionUser, type TestApp } from '../test/app.ts';
import { ruleFor } from './rules.ts';
import { pointsRules } from './tables.ts';

let t: TestApp;
let county: { cookie: string };
let otherCounty: { cookie: string };
let ca: { cookie: string };
let city: { cookie: string };
let resident: { cookie: string };
let memberId: number;
let elsewhereId: number;
const COUNTY = '140213';
const OTHER = '140214';

let seq = 0;
const idNo = () => makeIdNumber('140212', '1968-03-03', 2 * ++seq + 1, 'male');
const rules = (cookie: string, code = COUNTY) => t.get(cookie, `/api/v1/points/rules/${code}`);
const put = (cookie: string, body: object, code = COUNTY) =>
  t.send(cookie, 'PUT', `/api/v1/points/rules/${code}`, body);
/** The defaults with some sources changed, every source once, as the console sends them. */
const table = (changes: Record<string, object> = {}) => ({
  rules: DEFAULT_RULES.map((r) => ({ ...r, ...(changes[r.source] ?? {}) })),
});
let key = 0;
const entry = (memberId: number, points: number, source: string) =>
  t.send(
    ca.cookie,
    'POST',
    '/api/v1/points/entries',
    { memberId, points, source, reason: '规则测试' },
    { 'idempotency-key': `rule-entry-${++key}` },
  );

beforeAll(async () => {
  t = await createTestApp();
  const community = await t.freshCommunity(COUNTY);
  const X = (await makeCompound(t.db, community, '规则一区')).compound;
  county = await regionUser(t, 'countyAdmin', COUNTY);
  otherCounty = await regionUser(t, 'countyAdmin', OTHER);
  ca = await regionUser(t, 'communityAdmin', community);
  city = await regionUser(t, 'cityAdmin', '140200');
  resident = await regionUser(t, 'resident', community);
  const m = await t.send(ca.cookie, 'POST', '/api/v1/party/members', {
    name: '规则党员',
    idNumber: idNo(),
    compoundId: X.id,
    ledger: 'direct',
  });
  memberId = m.json().id;
  const elsewhere = await t.freshCommunity(OTHER);
  const Y = (await makeCompound(t.db, elsewhere, '规则外区')).compound;
  const e = await t.send(city.cookie, 'POST', '/api/v1/party/members', {
    name: '外区党员',
    idNumber: idNo(),
    compoundId: Y.id,
    ledger: 'direct',
  });
  elsewhereId = e.json().id;
});
afterAll(async () => t?.close());

describe('earning rules per county', () => {
  it('reads the defaults for every source until the county sets its own', async () => {
    const res = await rules(ca.cookie);
    expect(res.statusCode).toBe(200);
    const view = res.json();
    expect(view).toMatchObject({ countyCode: COUNTY, countyName: '平城区', can: { edit: false } });
    expect(view.rules.map((r: { source: string }) => r.source)).toEqual([...POINT_SOURCES]);
    for (const d of DEFAULT_RULES)
      expect(view.rules.find((r: { source: string }) => r.source === d.source)).toMatchObject({
        ...d,
        isDefault: true,
        updatedBy: null,
      });
    expect((await rules(county.cookie)).json().can.edit).toBe(true);
    expect((await rules(city.cookie)).json().can.edit).toBe(true);
    expect(await ruleFor(t.db, COUNTY, 'activity')).toEqual(DEFAULT_RULES[1]);
  });

  it('keeps to who may read and who may change them', async () => {
    // Someone doing no party work is refused outright; another county's is not found.
    expect((await rules(resident.cookie)).statusCode).toBe(403);
    expect((await rules(otherCounty.cookie)).statusCode).toBe(404);
    expect((await rules(ca.cookie, OTHER)).statusCode).toBe(404);
    // A township or a city code is not a county.
    expect((await rules(city.cookie, '140200')).statusCode).toBe(404);
    // The community reads them but cannot change them; another county's administrator cannot either.
    expect((await put(ca.cookie, table())).statusCode).toBe(403);
    expect((await put(otherCounty.cookie, table())).statusCode).toBe(404);
    expect((await put(resident.cookie, table())).statusCode).toBe(403);
  });

  it('overrides sources, audits what changed, and follows the default again when set back to it', async () => {
    const res = await put(
      county.cookie,
      table({ activity: { maxPerEntry: 10, points: 4 }, service: { points: 8 }, peer: { declarable: true } }),
    );
    expect(res.statusCode).toBe(200);
    const by = (s: string) => res.json().rules.find((r: { source: string }) => r.source === s);
    expect(by('activity')).toMatchObject({ points: 4, maxPerEntry: 10, isDefault: false });
    expect(by('activity').updatedBy).toMatch(/^测\*+$/);
    expect(by('service')).toMatchObject({ points: 8, unit: 'hour', maxPerEntry: 100, isDefault: false });
    expect(by('peer')).toMatchObject({ declarable: true, isDefault: false });
    expect(by('branch')).toMatchObject({ isDefault: true });
    expect(await ruleFor(t.db, COUNTY, 'activity')).toEqual({
      source: 'activity',
      points: 4,
      unit: 'entry',
      maxPerEntry: 10,
      declarable: true,
    });
    // Another county still earns by the defaults.
    expect((await ruleFor(t.db, OTHER, 'activity')).maxPerEntry).toBe(20);
    const [logged] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'points.rules.set'), eq(auditLog.entityId, COUNTY)));
    expect(Object.keys((logged?.detail as { changes: object } | undefined)?.changes ?? {}).sort()).toEqual([
      'activity',
      'peer',
      'service',
    ]);
    // Nothing changed: nothing audited.
    await put(
      county.cookie,
      table({ activity: { maxPerEntry: 10, points: 4 }, service: { points: 8 }, peer: { declarable: true } }),
    );
    expect(
      await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'points.rules.set'), eq(auditLog.entityId, COUNTY))),
    ).toHaveLength(1);
    // Peer evaluation set back to its default: no row is kept for it.
    const back = await put(
      county.cookie,
      table({ activity: { maxPerEntry: 10, points: 4 }, service: { points: 8 } }),
    );
    expect(back.json().rules.find((r: { source: string }) => r.source === 'peer').isDefault).toBe(true);
    const rows = await t.db.select().from(pointsRules).where(eq(pointsRules.countyCode, COUNTY));
    expect(rows.map((r) => r.source).sort()).toEqual(['activity', 'service']);
    // A stored source changed again: updated in place.
    const again = await put(
      county.cookie,
      table({ activity: { maxPerEntry: 12, points: 4 }, service: { points: 8 } }),
    );
    expect(again.json().rules.find((r: { source: string }) => r.source === 'activity').maxPerEntry).toBe(12);
    // …and back to what the cap test below expects.
    await put(county.cookie, table({ activity: { maxPerEntry: 10, points: 4 }, service: { points: 8 } }));
    expect((await ruleFor(t.db, COUNTY, 'activity')).maxPerEntry).toBe(10);
  });

  it('refuses a table that makes no sense, in words', async () => {
    const bad = await put(
      county.cookie,
      table({ deduction: { declarable: true }, praise: { points: 30, maxPerEntry: 20 } }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([
      { path: 'rules.4.points', message: '每条分值不能超过单笔上限' },
      { path: 'rules.7.declarable', message: '扣分不能由党员自主申报' },
    ]);
    const twice = table();
    twice.rules[1] = { ...(twice.rules[0] as (typeof twice.rules)[number]) };
    expect((await put(county.cookie, twice)).json().errors).toEqual([
      { path: 'rules.1.source', message: '每个积分来源只能出现一次' },
    ]);
    // Not every source: refused by the contract.
    expect((await put(county.cookie, { rules: DEFAULT_RULES.slice(1) })).statusCode).toBe(400);
    expect((await put(county.cookie, table({ activity: { maxPerEntry: 5000 } }))).statusCode).toBe(400);
  });

  it('refuses a staff entry above the county’s most for its source, and takes one at it', async () => {
    // The county set activities to at most 10 a time (above).
    const over = await entry(memberId, 11, 'activity');
    expect(over.statusCode).toBe(400);
    expect(over.json()).toMatchObject({
      code: 'points.over_rule_cap',
      detail: '单笔“参加活动”积分不能超过本县（区）规定的上限 10 分。',
    });
    expect((await entry(memberId, 10, 'activity')).statusCode).toBe(200);
    // Deductions are capped too (100 by default); the account never moved for the refused one.
    expect((await entry(memberId, 101, 'deduction')).json().code).toBe('points.over_rule_cap');
    // Elsewhere the defaults apply: service hours at most 100 points an entry.
    const cityEntry = (points: number) =>
      t.send(
        city.cookie,
        'POST',
        '/api/v1/points/entries',
        { memberId: elsewhereId, points, source: 'service', reason: '规则测试' },
        { 'idempotency-key': `rule-city-${points}` },
      );
    expect((await cityEntry(101)).json().detail).toBe(
      '单笔“志愿服务时长”积分不能超过本县（区）规定的上限 100 分。',
    );
    expect((await cityEntry(100)).statusCode).toBe(200);
    const mine = (await t.get(ca.cookie, `/api/v1/party/members/${memberId}/points`)).json();
    expect(mine.account.balance).toBe(10);
  });
});
