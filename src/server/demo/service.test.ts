import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceRecords } from '../service/tables.ts';
import { createTestApp, loginAs, type TestApp } from '../test/app.ts';
import { TEST_PII } from '../test/pii.ts';
import { seedDemoParty } from './party.ts';
import { DEMO_PASSWORD, seedDemo } from './seed.ts';
import { seedDemoService } from './service.ts';

let t: TestApp;
// The test app's clock: what the demo accounts see on the day the demo was seeded.
const now = new Date('2026-11-26T08:00:00+08:00');

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.db, { now });
  await seedDemoParty(t.db, TEST_PII, now);
}, 180_000);
afterAll(async () => t?.close());

describe('demo volunteer service', () => {
  it('gives the demo member posts, places, a slot under way and credited hours, and the worker a queue', async () => {
    const member = await loginAs(t.app, '10000000009', DEMO_PASSWORD);
    const posts = (await t.get(member, '/api/v1/me/service/posts')).json();
    expect(posts.map((p: { title: string }) => p.title)).toContain('楼道清扫与小广告清理');
    // Their own compound's post comes first.
    expect(posts[0]).toMatchObject({ title: '楼道清扫与小广告清理', fit: { compound: true } });
    const claims = (await t.get(member, '/api/v1/me/service/claims')).json();
    expect(claims.map((c: { post: { title: string }; status: string }) => [c.post.title, c.status])).toEqual([
      ['文明交通劝导', 'claimed'],
      ['楼道清扫与小广告清理', 'claimed'],
    ]);
    // The crossing is under way now: the organiser's code checks them in.
    expect(Date.parse(claims[0].slot.startsAt)).toBeLessThanOrEqual(now.getTime());
    const records = (await t.get(member, '/api/v1/me/service/records')).json().items;
    expect(
      records.map((r: { status: string; minutes: number; points: number }) => [
        r.status,
        r.minutes,
        r.points,
      ]),
    ).toEqual([
      ['approved', 150, 25],
      ['approved', 180, 30],
    ]);
    const worker = await loginAs(t.app, '10000000004', DEMO_PASSWORD);
    const queue = (await t.get(worker, '/api/v1/service/records?status=pending')).json().items;
    expect(queue.length).toBeGreaterThan(0);
  });

  it('is idempotent', async () => {
    const count = async () =>
      (await t.db.select({ n: sql<number>`count(*)::int` }).from(serviceRecords))[0]?.n;
    const before = await count();
    expect(await seedDemoService(t.db, now)).toBe(0);
    expect(await count()).toBe(before);
  });
});
