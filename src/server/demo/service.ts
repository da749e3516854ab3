/**
 * Demo volunteer service for 文兴社区: four posts (one for the demo member's own compound, one
 * wanting a skill), slots over the coming fortnight and one under way when the demo starts, the
 * demo member (10000000009) holding a place on two of them and with two past records (one
 * approved, its points posted), and other members' records waiting for the community worker's
 * verification. Posted through the service functions as the community administrator would.
 * Idempotent: nothing is added once the community has a post.
 */
import { and, asc, eq, ne } from 'drizzle-orm';
import { pino } from 'pino';
import type { PostCreate } from '../../contracts/service.ts';
import { users } from '../auth/tables.ts';
import type { Actor } from '../core/access.ts';
import { fixedClock } from '../core/clock.ts';
import type { Ctx } from '../core/context.ts';
import type { Db } from '../db/index.ts';
import { regions } from '../geo/tables.ts';
import { partyMembers } from '../party/tables.ts';
import { enterRecord, verify } from '../service/attendance.ts';
import { claim, createPost } from '../service/posts.ts';
import { servicePosts } from '../service/tables.ts';

const COMMUNITY = '140213066004';
const MEMBER_PHONE = '10000000009';
const ADMIN_PHONE = '10000000004';
const H = 3_600_000;

type Authed = Ctx & { actor: Actor };

export async function seedDemoService(db: Db, now = new Date()): Promise<number> {
  const [have] = await db
    .select({ id: servicePosts.id })
    .from(servicePosts)
    .where(eq(servicePosts.communityCode, COMMUNITY))
    .limit(1);
  if (have) return 0;
  const [admin] = await db.select().from(users).where(eq(users.phone, ADMIN_PHONE));
  const [me] = await db.select().from(users).where(eq(users.phone, MEMBER_PHONE));
  const [community] = await db.select().from(regions).where(eq(regions.code, COMMUNITY));
  const [demo] = await db
    .select()
    .from(partyMembers)
    .where(and(eq(partyMembers.communityCode, COMMUNITY), eq(partyMembers.phone, MEMBER_PHONE)));
  if (!admin || !me || !community || !demo) return 0;
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
    .limit(4);

  // Whole hours in the city's time, so the demo's slots read as a schedule would.
  const hour = Math.floor(now.getTime() / H) * H;
  const at = (h: number) => new Date(hour + h * H).toISOString();
  const day = (d: number, startHour: number, hours: number) => {
    const base = new Date(
      `${new Date(hour + d * 24 * H).toISOString().slice(0, 10)}T00:00:00+08:00`,
    ).getTime();
    return {
      startsAt: new Date(base + startHour * H).toISOString(),
      endsAt: new Date(base + (startHour + hours) * H).toISOString(),
    };
  };
  let made = 0;
  await db.transaction(async (tx) => {
    const clock = fixedClock(new Date(now.getTime() - 15 * 24 * H));
    const base = {
      db: tx as unknown as Db,
      clock,
      ip: null,
      locale: 'zh-CN' as const,
      log: pino({ level: 'silent' }),
    };
    const staff: Authed = {
      ...base,
      actor: {
        userId: admin.id,
        name: admin.name,
        phone: admin.phone,
        locale: 'zh-CN',
        grants: [
          {
            id: 0,
            role: 'communityAdmin',
            scopePath: community.path,
            nodeKind: 'region',
            nodeRef: COMMUNITY,
            departmentId: null,
          },
        ],
      },
    };
    const member: Authed = {
      ...base,
      actor: { userId: me.id, name: me.name, phone: me.phone, locale: 'zh-CN', grants: [] },
    };
    const posts: PostCreate[] = [
      {
        compoundId: demo.compoundId,
        title: '楼道清扫与小广告清理',
        kind: 'environment',
        skills: [],
        place: '本小区各单元楼道',
        recipients: '本小区居民',
        content: '清扫楼道杂物，清理墙面小广告，劝导不在楼道堆放物品。',
        slots: [day(-14, 9, 3), day(2, 9, 3), day(9, 9, 3)].map((s) => ({ ...s, capacity: 6 })),
      },
      {
        communityCode: COMMUNITY,
        title: '文明交通劝导',
        kind: 'civility',
        skills: ['宣讲'],
        place: '文兴路与魏都大道路口',
        recipients: '过往行人和车辆',
        content: '早高峰路口文明劝导，提醒行人走斑马线、非机动车不闯红灯。',
        slots: [
          { startsAt: at(-1), endsAt: at(2), capacity: 8 },
          ...[day(1, 7, 2), day(3, 7, 2)].map((s) => ({ ...s, capacity: 4 })),
        ],
      },
      {
        communityCode: COMMUNITY,
        title: '为独居老人义务理发',
        kind: 'care',
        skills: ['理发'],
        place: '文兴社区党群服务中心一楼',
        recipients: '辖区独居、空巢老人',
        content: '为行动不便的独居老人义务理发，必要时上门服务。',
        pointsPerHour: 15,
        cancelHours: 24,
        slots: [day(-7, 14, 2), day(5, 14, 2)].map((s) => ({ ...s, capacity: 2 })),
      },
      {
        communityCode: COMMUNITY,
        title: '冬季供暖入户巡查',
        kind: 'safety',
        skills: ['水电维修'],
        place: '文兴社区各小区',
        recipients: '辖区居民',
        content: '入户查看暖气运行情况，登记漏水、不热等问题并反映给供热公司。',
        slots: [day(-14, 14, 3), day(4, 14, 3)].map((s) => ({ ...s, capacity: 5 })),
      },
    ];
    const created = [];
    for (const p of posts) created.push(await createPost(staff, p));
    made = created.length;
    const [clean, traffic, haircut, heating] = created as [
      (typeof created)[number],
      (typeof created)[number],
      (typeof created)[number],
      (typeof created)[number],
    ];

    // Two weeks ago: the demo member cleaned the stairwells (approved, points posted) and
    // inspected heating (approved with an adjustment); others' records from last week wait.
    clock.set(new Date(now.getTime() - 13 * 24 * H));
    const r1 = await enterRecord(staff, clean.slots[0]?.id as number, { memberId: demo.id, minutes: 180 });
    const r2 = await enterRecord(staff, heating.slots[0]?.id as number, { memberId: demo.id, minutes: 180 });
    // Verified yesterday, so the points are the newest lines of the statement.
    clock.set(new Date(now.getTime() - 24 * H));
    await verify(staff, r1.id, { decision: 'approve', version: r1.version, rating: 5 });
    await verify(staff, r2.id, {
      decision: 'adjust',
      version: r2.version,
      minutes: 150,
      reason: '后半小时因事提前离开',
    });
    clock.set(new Date(now.getTime() - 6 * 24 * H));
    for (const [i, o] of others.slice(0, 2).entries())
      await enterRecord(staff, haircut.slots[0]?.id as number, { memberId: o.id, minutes: 90 + i * 30 });
    // The demo member's places: the crossing now (check in on the organiser's QR) and the stairwells.
    clock.set(new Date(now.getTime() - 2 * H));
    await claim(member, traffic.slots[0]?.id as number);
    await claim(member, clean.slots[1]?.id as number);
    for (const o of others.slice(2)) {
      const [u] = await tx
        .select({ id: users.id, phone: users.phone })
        .from(users)
        .innerJoin(partyMembers, eq(partyMembers.userId, users.id))
        .where(eq(partyMembers.id, o.id));
      if (u)
        await claim(
          { ...member, actor: { ...member.actor, userId: u.id, phone: u.phone } },
          traffic.slots[0]?.id as number,
        );
    }
  });
  return made;
}
