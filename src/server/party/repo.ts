import { and, asc, desc, eq, inArray, lt, ne, type SQL, sql } from 'drizzle-orm';
import type { ColourEntry } from '../../contracts/party-states.ts';
import { users } from '../auth/tables.ts';
import type { Db } from '../db/index.ts';
import { compounds } from '../geo/tables.ts';
import {
  partyColourSchemes,
  partyMemberEvents,
  partyMembers,
  partyOrgCompounds,
  partyOrgEvents,
  partyOrgs,
} from './tables.ts';

export type MemberRow = typeof partyMembers.$inferSelect;
export type OrgRow = typeof partyOrgs.$inferSelect;

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

// Members ---------------------------------------------------------------------------------------

const memberSelect = {
  m: partyMembers,
  compoundName: compounds.name,
  compoundCode: compounds.code,
  orgName: partyOrgs.name,
};

export async function memberById(db: Db, id: number, visible: SQL) {
  const [r] = await db
    .select(memberSelect)
    .from(partyMembers)
    .innerJoin(compounds, eq(compounds.id, partyMembers.compoundId))
    .leftJoin(partyOrgs, eq(partyOrgs.id, partyMembers.orgId))
    .where(and(eq(partyMembers.id, id), visible))
    .limit(1);
  return r;
}

export async function memberOfUser(db: Db, userId: number) {
  const [r] = await db
    .select(memberSelect)
    .from(partyMembers)
    .innerJoin(compounds, eq(compounds.id, partyMembers.compoundId))
    .leftJoin(partyOrgs, eq(partyOrgs.id, partyMembers.orgId))
    .where(eq(partyMembers.userId, userId))
    .limit(1);
  return r;
}

/**
 * Links the unlinked record with this phone to the account, if there is one. Read first: nearly
 * everyone who opens 我的 is not a member, and they should cost a SELECT, not an UPDATE.
 */
export async function linkMemberByPhone(db: Db, userId: number, phone: string): Promise<boolean> {
  const [candidate] = await db
    .select({ id: partyMembers.id })
    .from(partyMembers)
    .where(
      and(
        eq(partyMembers.phone, phone),
        sql`${partyMembers.userId} is null`,
        eq(partyMembers.status, 'normal'),
      ),
    )
    .orderBy(asc(partyMembers.id))
    .limit(1);
  if (!candidate) return false;
  // One statement: a concurrent link of the same account or record leaves it as it is.
  const r = await db.execute(sql`
    update party_members set user_id = ${userId}
    where id = ${candidate.id} and user_id is null
      and not exists (select 1 from party_members where user_id = ${userId})`);
  return ((r as unknown as { rowCount: number | null }).rowCount ?? 0) > 0;
}

/**
 * The party record of a signed-in person (id, community, status), linking a record staff entered
 * with their phone on first use, as 我的 does; undefined for someone with none.
 */
export async function ownRecord(db: Db, userId: number, phone: string) {
  const find = async () => {
    const [m] = await db
      .select({ id: partyMembers.id, communityCode: partyMembers.communityCode, status: partyMembers.status })
      .from(partyMembers)
      .where(eq(partyMembers.userId, userId))
      .limit(1);
    return m;
  };
  return (await find()) ?? ((await linkMemberByPhone(db, userId, phone)) ? await find() : undefined);
}

export async function memberByIndex(db: Db, idIndex: Buffer) {
  const [r] = await db
    .select({ id: partyMembers.id, name: partyMembers.name, path: partyMembers.path })
    .from(partyMembers)
    .where(eq(partyMembers.idIndex, idIndex))
    .limit(1);
  return r;
}

export async function insertMember(db: Db, values: typeof partyMembers.$inferInsert): Promise<MemberRow> {
  const [r] = await db.insert(partyMembers).values(values).returning();
  if (!r) throw new Error('insert party member returned nothing');
  return r;
}

/** Updates when the row is still at `version`; undefined when someone changed it meanwhile. */
export async function updateMember(
  db: Db,
  id: number,
  version: number,
  patch: Partial<typeof partyMembers.$inferInsert>,
): Promise<MemberRow | undefined> {
  const [r] = await db
    .update(partyMembers)
    .set({ ...patch, version: sql`${partyMembers.version} + 1` })
    .where(and(eq(partyMembers.id, id), eq(partyMembers.version, version)))
    .returning();
  return r;
}

export async function insertMemberEvent(db: Db, values: typeof partyMemberEvents.$inferInsert) {
  await db.insert(partyMemberEvents).values(values);
}

export async function memberEvents(db: Db, memberId: number) {
  return db
    .select({ e: partyMemberEvents, actorName: users.name })
    .from(partyMemberEvents)
    .leftJoin(users, eq(users.id, partyMemberEvents.actorUserId))
    .where(eq(partyMemberEvents.memberId, memberId))
    .orderBy(desc(partyMemberEvents.at), desc(partyMemberEvents.id));
}

export async function countMembers(db: Db, where: SQL): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(partyMembers).where(where);
  return r?.n ?? 0;
}

export async function listMembers(db: Db, where: SQL, colour: SQL, afterId: number | null, limit: number) {
  return db
    .select({ ...memberSelect, effectiveColour: sql<string | null>`${colour}` })
    .from(partyMembers)
    .innerJoin(compounds, eq(compounds.id, partyMembers.compoundId))
    .leftJoin(partyOrgs, eq(partyOrgs.id, partyMembers.orgId))
    .where(afterId === null ? where : and(where, lt(partyMembers.id, afterId)))
    .orderBy(desc(partyMembers.id))
    .limit(limit);
}

/** Members (normal status) per compound and ledger, and per colour, within `where`. */
export async function ledgerCounts(db: Db, where: SQL, colour: SQL) {
  const byCompound = await db
    .select({
      compoundId: partyMembers.compoundId,
      name: compounds.name,
      ledger: partyMembers.ledger,
      n: sql<number>`count(*)::int`,
    })
    .from(partyMembers)
    .innerJoin(compounds, eq(compounds.id, partyMembers.compoundId))
    .where(and(where, eq(partyMembers.status, 'normal')))
    .groupBy(partyMembers.compoundId, compounds.name, compounds.code, partyMembers.ledger)
    .orderBy(asc(compounds.code));
  const byColour = await db
    .select({ colour: sql<string | null>`${colour}`, n: sql<number>`count(*)::int` })
    .from(partyMembers)
    .where(and(where, eq(partyMembers.status, 'normal')))
    .groupBy(sql`1`);
  return { byCompound, byColour };
}

/** Full members with normal status living in these compounds whose party relation is kept here. */
export async function countFullMembersIn(db: Db, compoundIds: number[]): Promise<number> {
  if (compoundIds.length === 0) return 0;
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(partyMembers)
    .where(
      and(
        inArray(partyMembers.compoundId, compoundIds),
        eq(partyMembers.status, 'normal'),
        eq(partyMembers.standing, 'full'),
        // In-service members' relation is at their employer; they register here, they do not belong.
        ne(partyMembers.ledger, 'inService'),
      ),
    );
  return r?.n ?? 0;
}

export async function schemesOf(db: Db, countyCodes?: string[]): Promise<Map<string, ColourEntry[]>> {
  const rows = await db
    .select()
    .from(partyColourSchemes)
    .where(countyCodes ? inArray(partyColourSchemes.countyCode, countyCodes) : undefined);
  return new Map(rows.map((r) => [r.countyCode, r.entries]));
}

export async function upsertScheme(db: Db, countyCode: string, entries: ColourEntry[], at: Date, by: number) {
  await db
    .insert(partyColourSchemes)
    .values({ countyCode, entries, updatedAt: at, updatedBy: by })
    .onConflictDoUpdate({
      target: partyColourSchemes.countyCode,
      set: { entries, updatedAt: at, updatedBy: by },
    });
}

// Organisations -----------------------------------------------------------------------------------

export async function orgById(db: Db, id: number) {
  const [r] = await db.select().from(partyOrgs).where(eq(partyOrgs.id, id)).limit(1);
  return r;
}

/** Locks the organisation's row for the rest of the transaction (merge, dissolve, compounds). */
export async function lockOrg(db: Db, id: number) {
  const [r] = await db.select().from(partyOrgs).where(eq(partyOrgs.id, id)).for('update').limit(1);
  return r;
}

export async function orgsOfCommunity(db: Db, communityCode: string) {
  return db
    .select()
    .from(partyOrgs)
    .where(eq(partyOrgs.communityCode, communityCode))
    .orderBy(asc(partyOrgs.id));
}

export async function insertOrg(db: Db, values: typeof partyOrgs.$inferInsert): Promise<OrgRow> {
  const [r] = await db.insert(partyOrgs).values(values).returning();
  if (!r) throw new Error('insert party org returned nothing');
  return r;
}

export async function updateOrg(db: Db, id: number, patch: Partial<typeof partyOrgs.$inferInsert>) {
  await db.update(partyOrgs).set(patch).where(eq(partyOrgs.id, id));
}

export async function insertOrgEvent(db: Db, values: typeof partyOrgEvents.$inferInsert) {
  await db.insert(partyOrgEvents).values(values);
}

export async function orgCompounds(db: Db, orgIds: number[]) {
  if (orgIds.length === 0) return [];
  return db
    .select({ orgId: partyOrgCompounds.orgId, id: compounds.id, name: compounds.name })
    .from(partyOrgCompounds)
    .innerJoin(compounds, eq(compounds.id, partyOrgCompounds.compoundId))
    .where(inArray(partyOrgCompounds.orgId, orgIds))
    .orderBy(asc(compounds.code));
}

export async function setOrgCompounds(db: Db, orgId: number, compoundIds: number[]) {
  await db.delete(partyOrgCompounds).where(eq(partyOrgCompounds.orgId, orgId));
  if (compoundIds.length)
    await db.insert(partyOrgCompounds).values(compoundIds.map((compoundId) => ({ orgId, compoundId })));
}

/** The active branch covering each of these compounds (other than `exceptOrgId`). */
export async function coveringBranches(db: Db, compoundIds: number[], exceptOrgId: number | null) {
  if (compoundIds.length === 0) return [];
  return db
    .select({
      compoundId: partyOrgCompounds.compoundId,
      compoundName: compounds.name,
      orgId: partyOrgs.id,
      orgName: partyOrgs.name,
    })
    .from(partyOrgCompounds)
    .innerJoin(partyOrgs, eq(partyOrgs.id, partyOrgCompounds.orgId))
    .innerJoin(compounds, eq(compounds.id, partyOrgCompounds.compoundId))
    .where(
      and(
        inArray(partyOrgCompounds.compoundId, compoundIds),
        eq(partyOrgs.status, 'active'),
        exceptOrgId === null ? undefined : ne(partyOrgs.id, exceptOrgId),
      ),
    );
}

/** Full and probationary members (normal status) per organisation. */
export async function orgMemberCounts(db: Db, orgIds: number[]) {
  if (orgIds.length === 0) return new Map<number, { full: number; probationary: number }>();
  const rows = rowsOf<{ org_id: number; full: number; probationary: number }>(
    await db.execute(sql`
      select org_id, count(*) filter (where standing = 'full')::int as full,
             count(*) filter (where standing = 'probationary')::int as probationary
      from party_members where org_id in (${sql.join(
        orgIds.map((i) => sql`${i}`),
        sql`, `,
      )}) and status = 'normal' group by org_id`),
  );
  return new Map(rows.map((r) => [Number(r.org_id), { full: r.full, probationary: r.probationary }]));
}

/** Members of these compounds with no organisation join `orgId` (ledgers whose relation is kept here). */
export async function adoptMembers(db: Db, orgId: number, compoundIds: number[]): Promise<number[]> {
  if (compoundIds.length === 0) return [];
  const rows = await db
    .update(partyMembers)
    .set({ orgId })
    .where(
      and(
        inArray(partyMembers.compoundId, compoundIds),
        sql`${partyMembers.orgId} is null`,
        ne(partyMembers.ledger, 'inService'),
      ),
    )
    .returning({ id: partyMembers.id });
  return rows.map((r) => r.id);
}

export async function moveOrgMembers(db: Db, fromOrgId: number, toOrgId: number | null): Promise<number[]> {
  const rows = await db
    .update(partyMembers)
    .set({ orgId: toOrgId })
    .where(eq(partyMembers.orgId, fromOrgId))
    .returning({ id: partyMembers.id });
  return rows.map((r) => r.id);
}

export async function reparentChildren(db: Db, fromOrgId: number, toOrgId: number) {
  await db
    .update(partyOrgs)
    .set({ parentId: toOrgId })
    .where(and(eq(partyOrgs.parentId, fromOrgId), eq(partyOrgs.status, 'active')));
}

export async function activeChildren(db: Db, orgId: number): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(partyOrgs)
    .where(and(eq(partyOrgs.parentId, orgId), eq(partyOrgs.status, 'active')));
  return r?.n ?? 0;
}
