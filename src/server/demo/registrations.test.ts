import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partyRegistrations, partyUnits } from '../party/tables.ts';
import { createTestApp, loginAs, type TestApp } from '../test/app.ts';
import { TEST_PII } from '../test/pii.ts';
import { seedDemoParty } from './party.ts';
import { DEMO_UNIT } from './registrations.ts';
import { DEMO_PASSWORD, seedDemo } from './seed.ts';

let t: TestApp;
const now = new Date('2026-11-20T08:00:00+08:00');

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.db, { now });
  await seedDemoParty(t.db, TEST_PII, now);
}, 180_000);
afterAll(async () => t?.close());

describe('demo dual registration, the unit’s side', () => {
  it('the demo unit account signs in to the console and sees its unit’s staff registrations', async () => {
    const cookie = await loginAs(t.app, '10000000010', DEMO_PASSWORD);
    const me = (await t.get(cookie, '/api/v1/me')).json();
    expect(me.can.console).toBe(true);
    const units = (await t.get(cookie, '/api/v1/me/party/units')).json();
    expect(units).toHaveLength(1);
    expect(units[0]).toMatchObject({
      name: DEMO_UNIT,
      expectedMembers: 8,
      registered: 3,
      pending: 2,
      communities: [{ name: '文兴社区', pledged: '维修技工 4 人，备品备件' }],
    });
    const regs = (await t.get(cookie, `/api/v1/party/units/${units[0].id}/registrations`)).json();
    expect(regs.map((r: { status: string }) => r.status).sort()).toEqual([
      'confirmed',
      'confirmed',
      'confirmed',
      'pending',
      'pending',
      'rejected',
    ]);
    expect(regs.every((r: { name: string }) => r.name.endsWith('**'))).toBe(true);
    // The community sees the two waiting among its own.
    const ca = await loginAs(t.app, '10000000004', DEMO_PASSWORD);
    const waiting = (await t.get(ca, '/api/v1/party/registrations?status=pending')).json();
    expect(waiting.filter((r: { unit: { name: string } | null }) => r.unit?.name === DEMO_UNIT)).toHaveLength(
      2,
    );
  });

  it('is idempotent', async () => {
    const count = async () =>
      (
        await t.db
          .select({ n: sql<number>`count(*)::int` })
          .from(partyRegistrations)
          .innerJoin(partyUnits, eq(partyUnits.id, partyRegistrations.unitId))
          .where(eq(partyUnits.name, DEMO_UNIT))
      )[0]?.n;
    expect(await count()).toBe(6);
    expect(await seedDemoParty(t.db, TEST_PII, now)).toEqual({
      members: 0,
      orgs: 0,
      registrations: 0,
      care: 0,
      points: 0,
      service: 0,
    });
    expect(await count()).toBe(6);
  });
});
