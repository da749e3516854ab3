import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Role } from '../../contracts/roles.ts';
import type { ActorGrant } from '../core/access.ts';
import type { Db } from '../db/index.ts';
import { prepared } from '../db/sql.ts';
import { grants, otpCodes, sessions, users } from './tables.ts';

export type UserRow = typeof users.$inferSelect;

export async function findUserByPhone(db: Db, phone: string): Promise<UserRow | undefined> {
  const [u] = await db.select().from(users).where(eq(users.phone, phone)).limit(1);
  return u;
}

export async function findUserById(db: Db, id: number): Promise<UserRow | undefined> {
  const [u] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return u;
}

export async function grantsOf(db: Db, userId: number): Promise<ActorGrant[]> {
  const rows = await db
    .select({
      id: grants.id,
      role: grants.role,
      scopePath: grants.scopePath,
      nodeKind: grants.nodeKind,
      nodeRef: grants.nodeRef,
      departmentId: grants.departmentId,
    })
    .from(grants)
    .where(eq(grants.userId, userId))
    .orderBy(grants.id);
  return rows.map((r) => ({ ...r, role: r.role as Role }));
}

export async function insertSession(
  db: Db,
  s: {
    tokenHash: string;
    userId: number;
    now: Date;
    expiresAt: Date;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<void> {
  await db.insert(sessions).values({
    tokenHash: s.tokenHash,
    userId: s.userId,
    createdAt: s.now,
    lastSeenAt: s.now,
    expiresAt: s.expiresAt,
    ip: s.ip,
    userAgent: s.userAgent?.slice(0, 300) ?? null,
  });
}

/** The session, its user and the user's grants: one round trip, since every request starts here
 * (prepared: planning cost more than running it). */
export async function sessionWithUser(db: Db, tokenHash: string) {
  const q = prepared(db, 'session_with_user', (name) =>
    db
      .select({
        session: sessions,
        user: users,
        grants: sql<ActorGrant[]>`(select coalesce(json_agg(json_build_object(
        'id', g.id, 'role', g.role, 'scopePath', g.scope_path, 'nodeKind', g.node_kind,
        'nodeRef', g.node_ref, 'departmentId', g.department_id) order by g.id), '[]'::json)
        from ${grants} g where g.user_id = ${users.id})`,
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.tokenHash, sql.placeholder('tokenHash')))
      .limit(1)
      .prepare(name),
  );
  const [row] = await q.execute({ tokenHash });
  return row;
}

export async function touchSession(db: Db, tokenHash: string, now: Date): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteUserSessions(db: Db, userId: number): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

export async function listUserSessions(db: Db, userId: number, now: Date) {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now)))
    .orderBy(sql`${sessions.lastSeenAt} desc`);
}

export async function deleteExpiredSessions(db: Db, now: Date): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
}

export async function recordLoginFailure(db: Db, userId: number, lockAfter: number, lockUntil: Date) {
  // One statement, so concurrent failures on several instances cannot lose a count.
  const [row] = await db
    .update(users)
    .set({
      failedLogins: sql`${users.failedLogins} + 1`,
      lockedUntil: sql`case when ${users.failedLogins} + 1 >= ${lockAfter} then ${lockUntil.toISOString()}::timestamptz else ${users.lockedUntil} end`,
    })
    .where(eq(users.id, userId))
    .returning({ failedLogins: users.failedLogins, lockedUntil: users.lockedUntil });
  return row;
}

export async function resetLoginFailures(db: Db, userId: number): Promise<void> {
  await db.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, userId));
}

export async function insertOtp(db: Db, phone: string, codeHash: string, now: Date, expiresAt: Date) {
  // A new code replaces older unused ones.
  await db
    .update(otpCodes)
    .set({ usedAt: now })
    .where(and(eq(otpCodes.phone, phone), isNull(otpCodes.usedAt)));
  await db.insert(otpCodes).values({ phone, codeHash, createdAt: now, expiresAt });
}

export async function latestOtp(db: Db, phone: string, now: Date) {
  const [row] = await db
    .select()
    .from(otpCodes)
    .where(and(eq(otpCodes.phone, phone), isNull(otpCodes.usedAt), gt(otpCodes.expiresAt, now)))
    .orderBy(sql`${otpCodes.createdAt} desc`)
    .limit(1);
  return row;
}

/** Counts the attempt atomically; returns attempts after increment. */
export async function bumpOtpAttempts(db: Db, id: number): Promise<number> {
  const [row] = await db
    .update(otpCodes)
    .set({ attempts: sql`${otpCodes.attempts} + 1` })
    .where(eq(otpCodes.id, id))
    .returning({ attempts: otpCodes.attempts });
  return row?.attempts ?? Number.POSITIVE_INFINITY;
}

export async function markOtpUsed(db: Db, id: number, now: Date): Promise<boolean> {
  const rows = await db
    .update(otpCodes)
    .set({ usedAt: now })
    .where(and(eq(otpCodes.id, id), isNull(otpCodes.usedAt)))
    .returning({ id: otpCodes.id });
  return rows.length === 1;
}

export async function updateUser(
  db: Db,
  id: number,
  patch: Partial<typeof users.$inferInsert>,
): Promise<void> {
  await db.update(users).set(patch).where(eq(users.id, id));
}
