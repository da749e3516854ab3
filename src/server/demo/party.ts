/**
 * Demo party records for 文兴社区 (the demo community admin's): a community committee, a branch
 * per compound (small neighbours joined, one compound left as a gap to show), members of every
 * ledger with invented names and ID numbers, and the demo member account's own record.
 * Idempotent: nothing is added once the community has members.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Ledger } from '../../contracts/party-states.ts';
import type { PiiCipher } from '../core/pii.ts';
import type { Db } from '../db/index.ts';
import { compounds } from '../geo/tables.ts';
import { makeIdNumber, maskIdNumber } from '../party/id-number.ts';
import {
  partyMemberEvents,
  partyMembers,
  partyOrgCompounds,
  partyOrgs,
  partyUnitCommunities,
  partyUnits,
} from '../party/tables.ts';
import { seedDemoCare } from './care.ts';
import { GIVEN, SURNAMES } from './fill-tickets.ts';
import { seedDemoPoints } from './points.ts';
import { seedDemoRegistrations } from './registrations.ts';
import { seedDemoService } from './service.ts';

const COMMUNITY = '140213066004';
/** The demo member account's compound (demo/seed.ts). */
const LVDI = '绿地璀璨天城小区';
const MEMBER_PHONE = '10000000009';
const SKILLS = [
  '电工',
  '水暖',
  '理发',
  '法律咨询',
  '医疗护理',
  '心理疏导',
  '文艺',
  '书法',
  '驾驶',
  '电脑维修',
  '烹饪',
];
const UNITS = ['大同市供热公司', '平城区人民医院', '大同市第一中学', '平城区城市管理局', '大同银行平城支行'];
const PLACES = ['北京市朝阳区', '太原市小店区', '天津市滨海新区', '鄂尔多斯市东胜区'];
const EDUCATIONS = [
  'juniorHigh',
  'seniorHigh',
  'vocational',
  'college',
  'bachelor',
  'bachelor',
  'master',
] as const;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export async function seedDemoParty(
  db: Db,
  pii: PiiCipher,
  now = new Date(),
): Promise<{
  members: number;
  orgs: number;
  registrations: number;
  care: number;
  points: number;
  service: number;
}> {
  const [have] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(partyMembers)
    .where(eq(partyMembers.communityCode, COMMUNITY));
  if ((have?.n ?? 0) > 0)
    return {
      members: 0,
      orgs: 0,
      registrations: await seedDemoRegistrations(db, pii, now),
      care: await seedDemoCare(db, now),
      points: await seedDemoPoints(db, now),
      service: await seedDemoService(db, now),
    };
  const cs = await db
    .select()
    .from(compounds)
    .where(eq(compounds.communityCode, COMMUNITY))
    .orderBy(asc(compounds.code));
  if (cs.length === 0) return { members: 0, orgs: 0, registrations: 0, care: 0, points: 0, service: 0 };
  const r = rng(20261127);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T;
  const year = now.getUTCFullYear();
  let seq = 0;

  const made = await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const [head] = await t
      .insert(partyOrgs)
      .values({
        kind: 'committee',
        name: '文兴社区党委',
        communityCode: COMMUNITY,
        countyCode: COMMUNITY.slice(0, 6),
        path: `${(cs[0] as (typeof cs)[number]).path.split('.').slice(0, 4).join('.')}.`,
        foundedOn: '2012-07-01',
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    let orgs = 1;
    let members = 0;
    const memberIds: number[] = [];
    const home = cs.find((c) => c.name === LVDI) ?? (cs[0] as (typeof cs)[number]);
    // One compound has too few members for a branch of its own: the gap the console lists.
    const gap = cs.length > 1 ? cs.filter((c) => c.id !== home.id).at(-1) : undefined;
    for (const c of cs) {
      const last = c.id === gap?.id;
      const n = last ? 2 : 8 + Math.floor(r() * 10);
      const rows = [];
      for (let k = 0; k < n; k++) {
        const roll = r();
        const ledger: Ledger =
          roll < 0.45 ? 'direct' : roll < 0.8 ? 'retired' : roll < 0.95 ? 'inService' : 'mobile';
        const age = ledger === 'retired' ? 60 + Math.floor(r() * 32) : 24 + Math.floor(r() * 36);
        const sex = r() < 0.55 ? 'male' : 'female';
        const birth = `${year - age}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
        const own = c.id === home.id && k === 0;
        const id = makeIdNumber('140213', birth, 2 * ++seq, sex);
        rows.push({
          userId: null,
          name: own ? '演示党员' : pick(SURNAMES) + pick(GIVEN) + (r() < 0.6 ? pick(GIVEN) : ''),
          sex,
          birthDate: birth,
          idSealed: pii.seal(id),
          idIndex: pii.index(id),
          idMasked: maskIdNumber(id),
          phone: own ? MEMBER_PHONE : `139${String(20_000_000 + seq).padStart(8, '0')}`,
          education: pick(EDUCATIONS),
          joinedOn: `${Math.max(year - age + 20, 1960)}-07-01`,
          standing: (r() < 0.06 ? 'probationary' : 'full') as 'full' | 'probationary',
          relationAt: ledger === 'inService' ? null : '文兴社区党委',
          compoundId: c.id,
          communityCode: c.communityCode,
          countyCode: c.countyCode,
          path: c.path,
          ledger,
          workUnit: ledger === 'inService' ? pick(UNITS) : null,
          skills: r() < 0.5 ? [pick(SKILLS)] : [],
          frail: age >= 75 && r() < 0.3,
          mobileDirection: ledger === 'mobile' ? ('out' as const) : null,
          mobilePlace: ledger === 'mobile' ? pick(PLACES) : null,
          mobileContact: ledger === 'mobile' ? `139${String(30_000_000 + seq).padStart(8, '0')}` : null,
          mobileCertificate: ledger === 'mobile' ? `LD${year}${String(seq).padStart(4, '0')}` : null,
          mobileSince: ledger === 'mobile' ? `${year - 1}-03-01` : null,
          createdAt: now,
          updatedAt: now,
        });
      }
      const inserted = await t.insert(partyMembers).values(rows).returning({ id: partyMembers.id });
      memberIds.push(...inserted.map((x) => x.id));
      members += inserted.length;
      if (last) continue;
      const [branch] = await t
        .insert(partyOrgs)
        .values({
          kind: 'branch',
          name: `${c.name}党支部`,
          parentId: head?.id ?? null,
          communityCode: COMMUNITY,
          countyCode: c.countyCode,
          path: head?.path ?? c.path,
          foundedOn: '2018-07-01',
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!branch) continue;
      orgs++;
      await t.insert(partyOrgCompounds).values({ orgId: branch.id, compoundId: c.id });
      await t
        .update(partyMembers)
        .set({ orgId: branch.id })
        .where(and(eq(partyMembers.compoundId, c.id), sql`ledger <> 'inService'`));
    }
    await t
      .insert(partyMemberEvents)
      .values(memberIds.map((memberId) => ({ memberId, at: now, kind: 'created' })));
    // Two co-building units registered with the community (their in-service staff register later).
    const units = await t
      .insert(partyUnits)
      .values([
        { name: '平城区人民医院', expectedMembers: 12, createdAt: now, updatedAt: now },
        { name: '大同市供热公司', expectedMembers: 8, createdAt: now, updatedAt: now },
      ])
      .onConflictDoNothing()
      .returning();
    const communityPath = head?.path ?? '';
    for (const [i, u] of units.entries())
      await t.insert(partyUnitCommunities).values({
        unitId: u.id,
        communityCode: COMMUNITY,
        path: communityPath,
        agreement: i === 0 ? '每月一次义诊进社区' : '供暖季前入户检查管道',
        pledged: i === 0 ? '医护志愿者 6 人，健康讲座' : '维修技工 4 人，备品备件',
        signedOn: `${year}-03-01`,
        createdAt: now,
      });
    return { members, orgs };
  });
  // The unit's side of 双报到: the demo unit account, its unit and its staff's registrations.
  return {
    ...made,
    registrations: await seedDemoRegistrations(db, pii, now),
    care: await seedDemoCare(db, now),
    points: await seedDemoPoints(db, now),
    service: await seedDemoService(db, now),
  };
}
