/**
 * Demo pairing (包联) in 文兴社区: households in difficulty in every state a worker meets (nobody
 * paired, visit overdue, due soon, visited recently), and two of them paired with the demo member
 * account (10000000009) so its phone app has something to visit. Invented names; phones in the
 * 100-0100-xxxx block no real subscriber has. Idempotent: nothing is added once the community
 * has households in care.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { CareKind } from '../../contracts/party-states.ts';
import { users } from '../auth/tables.ts';
import { maskName } from '../core/mask.ts';
import type { Db } from '../db/index.ts';
import { compounds } from '../geo/tables.ts';
import {
  partyCareEvents,
  partyCareHouseholds,
  partyMembers,
  partyPairings,
  partyVisits,
} from '../party/tables.ts';
import { shanghaiDate } from '../tickets/worktime.ts';

const COMMUNITY = '140213066004';
const MEMBER_PHONE = '10000000009';
const ADMIN_PHONE = '10000000004';

interface Demo {
  name: string;
  kinds: CareKind[];
  address: string;
  note: string;
  every: number;
  /** Days since it was marked, and since the last visit (null: never visited). */
  markedAgo: number;
  visitedAgo: number | null;
  /** Who looks after it: the demo member, another member, or nobody. */
  paired: 'demo' | 'other' | null;
}

const HOUSEHOLDS: Demo[] = [
  {
    name: '白桂兰',
    kinds: ['elderlyAlone'],
    address: '2号楼1单元102',
    note: '86 岁独居，子女在外地，行动不便',
    every: 14,
    markedAgo: 200,
    visitedAgo: 19,
    paired: 'demo',
  },
  {
    name: '任守义',
    kinds: ['disabled', 'lowIncome'],
    address: '5号楼3单元201',
    note: '肢体二级残疾，低保户，冬季取暖需关注',
    every: 30,
    markedAgo: 150,
    visitedAgo: 9,
    paired: 'demo',
  },
  {
    name: '常玉珍',
    kinds: ['emptyNest'],
    address: '1号楼2单元601',
    note: '老两口同住，老伴卧床',
    every: 30,
    markedAgo: 120,
    visitedAgo: 41,
    paired: 'other',
  },
  {
    name: '乔福生',
    kinds: ['seriousIllness'],
    address: '7号楼1单元302',
    note: '尿毒症透析，每周三次',
    every: 14,
    markedAgo: 90,
    visitedAgo: 10,
    paired: 'other',
  },
  {
    name: '段小宇',
    kinds: ['leftBehindChild'],
    address: '3号楼2单元401',
    note: '父母在外务工，随祖母生活，10 岁',
    every: 30,
    markedAgo: 60,
    visitedAgo: 5,
    paired: 'other',
  },
  {
    name: '郝秀英',
    kinds: ['elderlyAlone', 'extremePoverty'],
    address: '6号楼1单元101',
    note: '特困供养人员，听力差，请上门',
    every: 14,
    markedAgo: 12,
    visitedAgo: null,
    paired: null,
  },
  {
    name: '牛振华',
    kinds: ['veteranFamily'],
    address: '4号楼3单元502',
    note: '退役军人，独居',
    every: 60,
    markedAgo: 8,
    visitedAgo: null,
    paired: null,
  },
];

const NOTES = [
  '上门问候，聊了近况，家中暖气正常',
  '帮忙买了药和米面，检查了燃气阀门',
  '电话问候，老人说身体还好，约好下周上门',
  '陪同去社区卫生服务站量血压',
];

const note = (i: number) => NOTES[i % NOTES.length] as string;

export async function seedDemoCare(db: Db, now = new Date()): Promise<number> {
  const [have] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(partyCareHouseholds)
    .where(eq(partyCareHouseholds.communityCode, COMMUNITY));
  if ((have?.n ?? 0) > 0) return 0;
  const members = await db
    .select({
      id: partyMembers.id,
      name: partyMembers.name,
      phone: partyMembers.phone,
      compoundId: partyMembers.compoundId,
    })
    .from(partyMembers)
    .where(and(eq(partyMembers.communityCode, COMMUNITY), eq(partyMembers.status, 'normal')))
    .orderBy(asc(partyMembers.id));
  const demo = members.find((m) => m.phone === MEMBER_PHONE);
  const others = members.filter((m) => m.phone !== MEMBER_PHONE);
  if (!demo || others.length === 0) return 0;
  const [home] = await db.select().from(compounds).where(eq(compounds.id, demo.compoundId));
  if (!home) return 0;
  const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.phone, ADMIN_PHONE));
  const [memberUser] = await db.select({ id: users.id }).from(users).where(eq(users.phone, MEMBER_PHONE));
  const recorder = memberUser?.id ?? admin?.id;
  if (!admin || !recorder) return 0;
  const today = shanghaiDate(now);
  const ago = (days: number) =>
    new Date(Date.parse(`${today}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
  const at = (days: number) => new Date(now.getTime() - days * 86_400_000);

  await db.transaction(async (t) => {
    let seq = 0;
    for (const h of HOUSEHOLDS) {
      seq++;
      const member = h.paired === 'demo' ? demo : h.paired === 'other' ? others[seq % others.length] : null;
      const pairedAgo = Math.min(h.markedAgo - 1, 180);
      const [row] = await t
        .insert(partyCareHouseholds)
        .values({
          headName: h.name,
          phone: `1000100${String(seq).padStart(4, '0')}`,
          compoundId: home.id,
          address: h.address,
          communityCode: home.communityCode,
          countyCode: home.countyCode,
          path: home.path,
          kinds: h.kinds,
          note: h.note,
          visitEveryDays: h.every,
          markedOn: ago(h.markedAgo),
          lastVisitedOn: h.visitedAgo === null ? null : ago(h.visitedAgo),
          dueFrom: ago(h.visitedAgo ?? (member ? pairedAgo : h.markedAgo)),
          createdAt: at(h.markedAgo),
          updatedAt: at(h.markedAgo),
        })
        .returning({ id: partyCareHouseholds.id });
      if (!row) continue;
      await t.insert(partyCareEvents).values({
        careId: row.id,
        at: at(h.markedAgo),
        actorUserId: admin.id,
        kind: 'marked',
        data: { kinds: h.kinds },
      });
      if (!member) continue;
      await t.insert(partyPairings).values({
        careId: row.id,
        memberId: member.id,
        startedOn: ago(pairedAgo),
        createdBy: admin.id,
        createdAt: at(pairedAgo),
      });
      await t.insert(partyCareEvents).values({
        careId: row.id,
        at: at(pairedAgo),
        actorUserId: admin.id,
        kind: 'paired',
        data: { member: { id: member.id, name: maskName(member.name) } },
      });
      // A visit history at roughly the household's interval, up to the last visit.
      if (h.visitedAgo === null) continue;
      for (let d = h.visitedAgo, i = 0; d < pairedAgo && i < 4; d += h.every, i++) {
        await t.insert(partyVisits).values({
          careId: row.id,
          memberId: member.id,
          visitedOn: ago(d),
          mode: note(seq + i).startsWith('电话') ? 'phone' : 'home',
          notes: note(seq + i),
          problemsFound: i === 0 && h.kinds.includes('disabled') ? '卫生间扶手松动' : null,
          problemsSolved: i === 0 && h.kinds.includes('disabled') ? '联系物业当天加固' : null,
          recordedBy: member === demo ? recorder : admin.id,
          recordedAt: at(d),
        });
      }
    }
  });
  return HOUSEHOLDS.length;
}
