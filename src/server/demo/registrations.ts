/**
 * Demo dual registration (双报到) from the unit's side: the demo unit account (10000000010)
 * administers 大同市供热公司, which registered with 文兴社区 (demo/party.ts); six of its staff
 * registered where they live: three confirmed onto the in-service ledger, two waiting for the
 * community, one turned down. Staff accounts have no password (phones 1840…, a range no real
 * user has). Idempotent: the administrator link is ensured, the staff added once.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { users } from '../auth/tables.ts';
import type { PiiCipher } from '../core/pii.ts';
import type { Db } from '../db/index.ts';
import { compounds } from '../geo/tables.ts';
import { makeIdNumber, maskIdNumber } from '../party/id-number.ts';
import {
  partyMemberEvents,
  partyMembers,
  partyRegistrations,
  partyUnitAdmins,
  partyUnitCommunities,
  partyUnits,
} from '../party/tables.ts';

const COMMUNITY = '140213066004';
export const DEMO_UNIT = '大同市供热公司';
const UNIT_ADMIN_PHONE = '10000000010';
const COMMUNITY_ADMIN_PHONE = '10000000004';

/** Oldest first, so ids follow the dates (lists show the newest first). */
const STAFF = [
  {
    name: '葛春梅',
    sex: 'female',
    birth: '1986-12-16',
    skills: [],
    leader: false,
    status: 'rejected',
    daysAgo: 34,
  },
  {
    name: '韩建国',
    sex: 'male',
    birth: '1975-03-14',
    skills: ['水暖'],
    leader: true,
    status: 'confirmed',
    daysAgo: 25,
  },
  {
    name: '贺丽娟',
    sex: 'female',
    birth: '1983-08-02',
    skills: ['宣讲'],
    leader: false,
    status: 'confirmed',
    daysAgo: 22,
  },
  {
    name: '梁志强',
    sex: 'male',
    birth: '1979-11-21',
    skills: ['电工'],
    leader: false,
    status: 'confirmed',
    daysAgo: 19,
  },
  {
    name: '温晓燕',
    sex: 'female',
    birth: '1988-05-09',
    skills: ['驾驶'],
    leader: false,
    status: 'pending',
    daysAgo: 4,
  },
  {
    name: '孟凡军',
    sex: 'male',
    birth: '1972-01-27',
    skills: ['电工', '水暖'],
    leader: false,
    status: 'pending',
    daysAgo: 2,
  },
] as const;
const REJECTED = '经核实不在本社区居住，请向实际居住社区报到';
const DAY = 86_400_000;

export async function seedDemoRegistrations(db: Db, pii: PiiCipher, now = new Date()): Promise<number> {
  const [unit] = await db
    .select({ id: partyUnits.id, contactName: partyUnits.contactName })
    .from(partyUnits)
    .innerJoin(partyUnitCommunities, eq(partyUnitCommunities.unitId, partyUnits.id))
    .where(and(eq(partyUnits.name, DEMO_UNIT), eq(partyUnitCommunities.communityCode, COMMUNITY)))
    .limit(1);
  const people = await db
    .select({ id: users.id, phone: users.phone })
    .from(users)
    .where(inArray(users.phone, [UNIT_ADMIN_PHONE, COMMUNITY_ADMIN_PHONE]));
  const admin = people.find((p) => p.phone === UNIT_ADMIN_PHONE);
  const decider = people.find((p) => p.phone === COMMUNITY_ADMIN_PHONE);
  if (!unit || !admin) return 0;
  const cs = await db
    .select()
    .from(compounds)
    .where(eq(compounds.communityCode, COMMUNITY))
    .orderBy(compounds.code)
    .limit(3);
  if (cs.length === 0) return 0;

  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await t.insert(partyUnitAdmins).values({ unitId: unit.id, userId: admin.id }).onConflictDoNothing();
    if (!unit.contactName)
      await t
        .update(partyUnits)
        .set({ contactName: '赵志刚', contactPhone: '13935201010', updatedAt: now })
        .where(eq(partyUnits.id, unit.id));
    const [have] = await t
      .select({ n: sql<number>`count(*)::int` })
      .from(partyRegistrations)
      .where(eq(partyRegistrations.unitId, unit.id));
    if ((have?.n ?? 0) > 0) return 0;

    for (const [i, s] of STAFF.entries()) {
      const c = cs[i % cs.length] as (typeof cs)[number];
      const phone = `1840000${String(i + 1).padStart(4, '0')}`;
      await t.insert(users).values({ phone, name: s.name }).onConflictDoNothing();
      const [u] = await t.select({ id: users.id }).from(users).where(eq(users.phone, phone));
      if (!u) continue;
      const idNumber = makeIdNumber('140202', s.birth, 2 * (900 + i), s.sex);
      const createdAt = new Date(now.getTime() - s.daysAgo * DAY);
      const decidedAt = s.status === 'pending' ? null : new Date(createdAt.getTime() + 2 * DAY);
      let memberId: number | null = null;
      if (s.status === 'confirmed') {
        const [m] = await t
          .insert(partyMembers)
          .values({
            userId: u.id,
            name: s.name,
            sex: s.sex,
            birthDate: s.birth,
            idSealed: pii.seal(idNumber),
            idIndex: pii.index(idNumber),
            idMasked: maskIdNumber(idNumber),
            phone,
            standing: 'full',
            relationAt: DEMO_UNIT,
            compoundId: c.id,
            communityCode: c.communityCode,
            countyCode: c.countyCode,
            path: c.path,
            ledger: 'inService',
            workUnit: DEMO_UNIT,
            skills: [...s.skills],
            createdAt: decidedAt ?? now,
            updatedAt: decidedAt ?? now,
          })
          .onConflictDoNothing()
          .returning({ id: partyMembers.id });
        if (m) {
          memberId = m.id;
          await t.insert(partyMemberEvents).values({
            memberId: m.id,
            at: decidedAt ?? now,
            actorUserId: decider?.id ?? null,
            kind: 'created',
            reason: '双报到确认',
          });
        }
      }
      await t.insert(partyRegistrations).values({
        userId: u.id,
        name: s.name,
        sex: s.sex,
        birthDate: s.birth,
        idSealed: pii.seal(idNumber),
        idIndex: pii.index(idNumber),
        idMasked: maskIdNumber(idNumber),
        phone,
        unitId: unit.id,
        workUnit: DEMO_UNIT,
        compoundId: c.id,
        communityCode: c.communityCode,
        path: c.path,
        skills: [...s.skills],
        leader: s.leader,
        status: s.status === 'confirmed' && !memberId ? 'pending' : s.status,
        reason: s.status === 'rejected' ? REJECTED : null,
        decidedBy: s.status === 'pending' ? null : (decider?.id ?? null),
        decidedAt: s.status === 'confirmed' && !memberId ? null : decidedAt,
        memberId,
        createdAt,
      });
    }
    return STAFF.length;
  });
}
