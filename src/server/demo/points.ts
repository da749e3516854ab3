/**
 * Demo points for 文兴社区: the demo member (10000000009) and a dozen other members with entries
 * from each source, posted through the ledger as staff would (approved by the demo community
 * administrator), and two merchants with offers, the demo merchant account (10000000011) at the
 * counter of the first. Idempotent: nothing is added once the community has an issuing account.
 */
import { and, asc, eq, ne } from 'drizzle-orm';
import { pino } from 'pino';
import type { PointSource } from '../../contracts/points-states.ts';
import { users } from '../auth/tables.ts';
import { fixedClock } from '../core/clock.ts';
import type { Ctx } from '../core/context.ts';
import type { Db } from '../db/index.ts';
import { regions } from '../geo/tables.ts';
import { partyMembers } from '../party/tables.ts';
import { issuerAccount, memberAccount, transfer } from '../points/ledger.ts';
import { pointsAccounts, pointsMerchants, pointsMerchantUsers, pointsOffers } from '../points/tables.ts';

const COMMUNITY = '140213066004';
const MEMBER_PHONE = '10000000009';
const ADMIN_PHONE = '10000000004';
const MERCHANT_PHONE = '10000000011';

const MERCHANTS = [
  {
    name: '文兴便民超市',
    address: '文兴路 18 号',
    counter: true,
    offers: [
      { title: '米面粮油满 50 元减 5 元', category: 'food', price: 20, stock: 100, perMemberLimit: 2 },
      { title: '洗衣液一瓶', category: 'daily', price: 45, stock: 30, perMemberLimit: 1 },
    ],
  },
  {
    name: '康宁大药房（文兴店）',
    address: '文兴路 26 号',
    counter: false,
    offers: [{ title: '免费测血压血糖一次', category: 'medical', price: 10, stock: 200, perMemberLimit: 4 }],
  },
] as const;

const ENTRIES: { points: number; source: PointSource; reason: string; evidence?: string; daysAgo: number }[] =
  [
    {
      points: 10,
      source: 'activity',
      reason: '参加“七一”主题党日活动',
      evidence: '活动签到表',
      daysAgo: 148,
    },
    {
      points: 20,
      source: 'service',
      reason: '楼道清扫志愿服务 4 小时',
      evidence: '服务签到记录',
      daysAgo: 96,
    },
    { points: 5, source: 'praise', reason: '帮助独居老人修理水龙头，居民来电表扬', daysAgo: 61 },
    {
      points: 8,
      source: 'branch',
      reason: '按时参加支部组织生活，交纳党费',
      evidence: '支部记实簿',
      daysAgo: 30,
    },
    {
      points: 12,
      source: 'service',
      reason: '冬季供暖入户巡查 3 小时',
      evidence: '服务签到记录',
      daysAgo: 9,
    },
  ];

export async function seedDemoPoints(db: Db, now = new Date()): Promise<number> {
  const [have] = await db
    .select({ id: pointsAccounts.id })
    .from(pointsAccounts)
    .where(and(eq(pointsAccounts.kind, 'issuer'), eq(pointsAccounts.communityCode, COMMUNITY)));
  if (have) return 0;
  const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.phone, ADMIN_PHONE));
  const [demo] = await db
    .select({ id: partyMembers.id })
    .from(partyMembers)
    .where(and(eq(partyMembers.communityCode, COMMUNITY), eq(partyMembers.phone, MEMBER_PHONE)));
  if (!admin || !demo) return 0;
  const others = await db
    .select({ id: partyMembers.id })
    .from(partyMembers)
    .where(
      and(
        eq(partyMembers.communityCode, COMMUNITY),
        eq(partyMembers.status, 'normal'),
        ne(partyMembers.id, demo.id),
      ),
    )
    .orderBy(asc(partyMembers.id))
    .limit(12);
  let posted = 0;
  const [community] = await db
    .select({ path: regions.path })
    .from(regions)
    .where(eq(regions.code, COMMUNITY));
  const [cashier] = await db.select({ id: users.id }).from(users).where(eq(users.phone, MERCHANT_PHONE));
  await db.transaction(async (tx) => {
    const clock = fixedClock(now);
    const ctx: Ctx = {
      db: tx as unknown as Db,
      actor: null,
      clock,
      ip: null,
      locale: 'zh-CN',
      log: pino({ level: 'silent' }),
    };
    const issuer = await issuerAccount(ctx, COMMUNITY);
    for (const [i, m] of [demo, ...others].entries()) {
      const account = await memberAccount(ctx, m.id);
      // Everyone gets a share of the entries, the demo member all of them.
      for (const [j, e] of ENTRIES.entries()) {
        if (i > 0 && (i + j) % 2 === 1) continue;
        clock.set(new Date(now.getTime() - e.daysAgo * 86_400_000));
        await transfer(ctx, {
          key: `demo:${m.id}:${j}`,
          kind: 'award',
          fromAccountId: issuer,
          toAccountId: account,
          amount: e.points,
          source: e.source,
          reason: e.reason,
          evidence: e.evidence ?? null,
          approvedBy: admin.id,
        });
        posted++;
      }
    }
    const day = (n: number) => new Date(now.getTime() + n * 86_400_000).toISOString().slice(0, 10);
    for (const m of MERCHANTS) {
      const [row] = await tx
        .insert(pointsMerchants)
        .values({
          name: m.name,
          communityCode: COMMUNITY,
          path: community?.path ?? COMMUNITY,
          address: m.address,
          approvedBy: admin.id,
          createdAt: now,
        })
        .returning({ id: pointsMerchants.id });
      if (!row) continue;
      await tx.insert(pointsAccounts).values({ kind: 'merchant', merchantId: row.id, createdAt: now });
      if (m.counter && cashier)
        await tx.insert(pointsMerchantUsers).values({ merchantId: row.id, userId: cashier.id });
      for (const o of m.offers)
        await tx
          .insert(pointsOffers)
          .values({ merchantId: row.id, ...o, validFrom: day(-10), validUntil: day(60), createdAt: now });
    }
  });
  return posted;
}
