import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partyCareHouseholds } from '../party/tables.ts';
import { createTestApp, loginAs, type TestApp } from '../test/app.ts';
import { TEST_PII } from '../test/pii.ts';
import { seedDemoCare } from './care.ts';
import { seedDemoParty } from './party.ts';
import { seedDemoPoints } from './points.ts';
import { DEMO_PASSWORD, seedDemo } from './seed.ts';

let t: TestApp;
// The test app's clock: the states below are what a worker sees on the day the demo was seeded.
const now = new Date('2026-11-26T08:00:00+08:00');

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.db, { now });
  await seedDemoParty(t.db, TEST_PII, now);
}, 180_000);
afterAll(async () => t?.close());

describe('demo pairing (包联)', () => {
  it('gives the community households in every state, and the demo member two to visit', async () => {
    const ca = await loginAs(t.app, '10000000004', DEMO_PASSWORD);
    const summary = (await t.get(ca, '/api/v1/party/care/summary')).json();
    expect(summary.byState).toEqual({ unpaired: 2, overdue: 2, dueSoon: 1, onTrack: 2, closed: 0 });
    const member = await loginAs(t.app, '10000000009', DEMO_PASSWORD);
    const mine = (await t.get(member, '/api/v1/me/party/care')).json();
    expect(mine.map((h: { headName: string; state: string }) => [h.headName, h.state])).toEqual([
      ['白桂兰', 'overdue'],
      ['任守义', 'onTrack'],
    ]);
    expect(mine[0].visits.length).toBeGreaterThan(0);
  });

  it('is idempotent', async () => {
    const count = async () =>
      (
        await t.db
          .select({ n: sql<number>`count(*)::int` })
          .from(partyCareHouseholds)
          .where(eq(partyCareHouseholds.communityCode, '140213066004'))
      )[0]?.n;
    expect(await count()).toBe(7);
    expect(await seedDemoCare(t.db, now)).toBe(0);
    expect(await count()).toBe(7);
  });
});

describe('demo points', () => {
  it('gives the demo member a statement from several sources, posted through the ledger', async () => {
    const member = await loginAs(t.app, '10000000009', DEMO_PASSWORD);
    const mine = (await t.get(member, '/api/v1/me/points')).json();
    // Five entries, and the two service records the organiser verified (demo/service.ts) last.
    expect(mine.account).toMatchObject({ balance: 110, earned: 110, spent: 0 });
    expect(mine.statement.items.map((x: { source: string }) => x.source)).toEqual([
      'service',
      'service',
      'service',
      'branch',
      'praise',
      'service',
      'activity',
    ]);
    expect(await seedDemoPoints(t.db, now)).toBe(0);
  });
});
