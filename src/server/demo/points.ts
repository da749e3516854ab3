/**
 * Demo points for 文兴社区: the demo member (10000000009) and a dozen other members with entries
 * from each source, posted through the ledger as staff would (approved by the demo community
 * administrator). Idempotent: nothing is added once the community has an issuing account.
 */
import { and, asc, eq, ne } from 'drizzle-orm';
import { pino } from 'pino';
import type { PointSource } from '../../contracts/points-states.ts';
import { users } from '../auth/tables.ts';
import { fixedClock } from '../core/clock.ts';
import type { Ctx } from '../core/context.ts';
import type { Db } from '../db/index.ts';
import { partyMembers } from '../party/tables.ts';
import { issuerAccount, memberAccount, transfer } from '../points/ledger.ts';
import { pointsAccounts } from '../points/tables.ts';

const COMMUNITY = '140213066004';
const MEMBER_PHONE = '10000000009';
const ADMIN_PHONE = '10000000004';

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
  });
  return posted;
}
