import { and, desc, eq, exists, inArray, lt, type SQL, sql } from 'drizzle-orm';
import { auditLog, grants, users } from '../auth/tables.ts';
import type { Db } from '../db/index.ts';

export async function listUsers(
  db: Db,
  grantWhere: SQL,
  extra: SQL[],
  beforeId: number | null,
  limit: number,
) {
  const conds: SQL[] = [
    exists(
      db
        .select({ one: sql`1` })
        .from(grants)
        .where(and(eq(grants.userId, users.id), grantWhere)),
    ),
    ...extra,
  ];
  if (beforeId) conds.push(lt(users.id, beforeId));
  return db
    .select()
    .from(users)
    .where(and(...conds))
    .orderBy(desc(users.id))
    .limit(limit);
}

export async function grantsOfUsers(db: Db, userIds: number[]) {
  if (userIds.length === 0) return [];
  return db.select().from(grants).where(inArray(grants.userId, userIds)).orderBy(grants.id);
}

export async function insertUser(db: Db, values: typeof users.$inferInsert) {
  const [u] = await db.insert(users).values(values).returning();
  if (!u) throw new Error('insert user returned nothing');
  return u;
}

export async function insertGrant(db: Db, values: typeof grants.$inferInsert) {
  const [g] = await db.insert(grants).values(values).returning();
  if (!g) throw new Error('insert grant returned nothing');
  return g;
}

export async function grantById(db: Db, id: number) {
  const [g] = await db.select().from(grants).where(eq(grants.id, id)).limit(1);
  return g;
}

export async function deleteGrant(db: Db, id: number) {
  await db.delete(grants).where(eq(grants.id, id));
}

/**
 * Active holders of a role. Inside a transaction it also takes a per-role advisory lock, so two
 * administrators revoking the last two city admins at once on PostgreSQL cannot both succeed.
 */
export async function countRole(db: Db, role: string): Promise<number> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`role-holders:${role}`}))`);
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(grants)
    .innerJoin(users, eq(users.id, grants.userId))
    .where(and(eq(grants.role, role), eq(users.disabled, false)));
  return r?.n ?? 0;
}

export async function setDisabled(db: Db, id: number, disabled: boolean, now: Date) {
  await db.update(users).set({ disabled, updatedAt: now }).where(eq(users.id, id));
}

export async function listAudit(db: Db, where: SQL, beforeId: number | null, limit: number) {
  const conds: SQL[] = [where];
  if (beforeId) conds.push(lt(auditLog.id, beforeId));
  return db
    .select({ entry: auditLog, actorName: users.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(and(...conds))
    .orderBy(desc(auditLog.id))
    .limit(limit);
}
