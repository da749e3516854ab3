import { and, eq, type SQL, sql } from 'drizzle-orm';
import { ADMIN_LEVEL, ROLE_LABELS_EN, ROLE_LABELS_ZH, ROLE_NODE, type Role } from '../../contracts/roles.ts';
import type { GrantTarget, UserCreate, UserView } from '../../contracts/users.ts';
import { checkPasswordStrength, hashPassword } from '../auth/password.ts';
import { deleteUserSessions, findUserById } from '../auth/repo.ts';
import { auditLog, grants, users } from '../auth/tables.ts';
import { type Actor, scopeWhere } from '../core/access.ts';
import { audit } from '../core/audit.ts';
import type { Ctx } from '../core/context.ts';
import { decodeIdCursor, encodeIdCursor } from '../core/cursor.ts';
import { AppError } from '../core/errors.ts';
import { maskName, maskPhone } from '../core/mask.ts';
import { isUniqueViolation } from '../db/errors.ts';
import * as geo from '../geo/repo.ts';
import { adminScopes, canAdminPath, canGrant } from './policy.ts';
import * as repo from './repo.ts';

type Authed = Ctx & { actor: Actor };

interface ResolvedNode {
  scopePath: string;
  nodeKind: 'region' | 'compound' | 'grid' | 'department';
  nodeRef: string;
  departmentId: number | null;
}

/** Turns a (role, nodeRef) from the client into the node's path, checking the role fits the node. */
export async function resolveNode(ctx: Ctx, target: GrantTarget): Promise<ResolvedNode> {
  const kind = ROLE_NODE[target.role];
  const mismatch = () =>
    new AppError('grant.node_mismatch', {
      role: { zh: ROLE_LABELS_ZH[target.role], en: ROLE_LABELS_EN[target.role] },
    });
  if (kind === 'region') {
    const r = await geo.regionByCode(ctx.db, target.nodeRef);
    if (!r) throw new AppError('region.not_found');
    const level = ADMIN_LEVEL[target.role];
    if (level && r.level !== level) throw mismatch();
    return { scopePath: r.path, nodeKind: 'region', nodeRef: r.code, departmentId: null };
  }
  const id = Number(target.nodeRef);
  if (!Number.isSafeInteger(id) || id <= 0) throw mismatch();
  if (kind === 'compound' || kind === 'household') {
    const c = await geo.compoundByIdRaw(ctx.db, id);
    if (!c) throw new AppError('compound.not_found');
    return { scopePath: c.path, nodeKind: 'compound', nodeRef: String(c.id), departmentId: null };
  }
  if (kind === 'grid') {
    const g = await geo.gridByIdRaw(ctx.db, id);
    if (!g) throw new AppError('grid.not_found');
    return { scopePath: g.path, nodeKind: 'grid', nodeRef: String(g.id), departmentId: null };
  }
  const d = await geo.departmentById(ctx.db, id);
  if (!d) throw new AppError('department.not_found');
  return { scopePath: d.path, nodeKind: 'department', nodeRef: String(d.id), departmentId: d.id };
}

async function present(ctx: Ctx, actor: Actor, rows: UserRow[]): Promise<UserView[]> {
  const all = await repo.grantsOfUsers(
    ctx.db,
    rows.map((u) => u.id),
  );
  const scopes = adminScopes(actor);
  const visible = all.filter((g) => scopes.some((s) => g.scopePath.startsWith(s)));
  const labels = await geo.pathLabels(ctx.db, [...new Set(visible.map((g) => g.scopePath))]);
  return rows.map((u) => {
    const mine = all.filter((g) => g.userId === u.id);
    const shown = visible.filter((g) => g.userId === u.id);
    return {
      id: u.id,
      name: maskName(u.name),
      phone: maskPhone(u.phone),
      disabled: u.disabled,
      createdAt: u.createdAt.toISOString(),
      grants: shown.map((g) => ({
        id: g.id,
        role: g.role as Role,
        nodeKind: g.nodeKind,
        nodeRef: g.nodeRef,
        scopePath: g.scopePath,
        scopeLabel: labels.get(g.scopePath) ?? g.scopePath,
        revocable: canGrant(actor, g.role as Role, g.scopePath),
      })),
      can: {
        reveal: true,
        grant: true,
        // Disabling locks the person out everywhere, so it needs authority over all their roles.
        disable: u.id !== actor.userId && mine.every((g) => canGrant(actor, g.role as Role, g.scopePath)),
      },
    };
  });
}
type UserRow = typeof users.$inferSelect;

export async function listUsers(
  ctx: Authed,
  q: { region?: string; role?: Role; phone?: string; cursor?: string; limit: number },
): Promise<{ items: UserView[]; nextCursor: string | null }> {
  const scopes = adminScopes(ctx.actor);
  const grantConds: SQL[] = [scopeWhere(grants.scopePath, scopes)];
  if (q.role) grantConds.push(eq(grants.role, q.role));
  if (q.region) {
    const r = await geo.regionByCode(ctx.db, q.region);
    if (!r) throw new AppError('region.not_found');
    grantConds.push(scopeWhere(grants.scopePath, [r.path]));
  }
  const extra: SQL[] = [];
  if (q.phone) extra.push(eq(users.phone, q.phone));
  const before = decodeIdCursor(q.cursor);
  const rows = await repo.listUsers(ctx.db, and(...grantConds) as SQL, extra, before, q.limit + 1);
  const more = rows.length > q.limit;
  const pageRows = more ? rows.slice(0, q.limit) : rows;
  return {
    items: await present(ctx, ctx.actor, pageRows),
    nextCursor: more ? encodeIdCursor(pageRows.at(-1)?.id) : null,
  };
}

async function userOr404(ctx: Authed, id: number) {
  const [u] = await repo.listUsers(
    ctx.db,
    scopeWhere(grants.scopePath, adminScopes(ctx.actor)),
    [eq(users.id, id)],
    null,
    1,
  );
  if (!u) throw new AppError('user.not_found');
  return u;
}

export async function getUser(ctx: Authed, id: number): Promise<UserView> {
  const [v] = await present(ctx, ctx.actor, [await userOr404(ctx, id)]);
  return v as UserView;
}

export async function createUser(ctx: Authed, input: UserCreate): Promise<UserView> {
  const node = await resolveNode(ctx, input.grant);
  assertNodeReachable(ctx.actor, node);
  if (!canGrant(ctx.actor, input.grant.role, node.scopePath)) throw new AppError('grant.beyond_own');
  if (input.password && checkPasswordStrength(input.password, input.phone))
    throw new AppError('auth.weak_password');
  const now = ctx.clock.now();
  let user: UserRow;
  try {
    user = await repo.insertUser(ctx.db, {
      phone: input.phone,
      name: input.name,
      passwordHash: input.password ? await hashPassword(input.password) : null,
      createdAt: now,
      updatedAt: now,
    });
  } catch (err) {
    if (isUniqueViolation(err, 'users_phone_uq'))
      throw new AppError('user.phone_taken', { phone: maskPhone(input.phone) });
    throw err;
  }
  await repo.insertGrant(ctx.db, {
    userId: user.id,
    role: input.grant.role,
    ...node,
    grantedBy: ctx.actor.userId,
    createdAt: now,
  });
  await audit(ctx, {
    action: 'user.create',
    entity: 'user',
    entityId: user.id,
    scopePath: node.scopePath,
    detail: { role: input.grant.role, nodeRef: node.nodeRef, withPassword: !!input.password },
  });
  return getUser(ctx, user.id);
}

/**
 * A node outside the administrator's area is "not found" unless it is one of its ancestors, which
 * the administrator can see (navigation) but not grant on: that is "beyond your own".
 */
function assertNodeReachable(actor: Actor, node: ResolvedNode) {
  if (canAdminPath(actor, node.scopePath)) return;
  if (adminScopes(actor).some((s) => s.startsWith(node.scopePath))) throw new AppError('grant.beyond_own');
  throw new AppError(nodeNotFound(node));
}

function nodeNotFound(node: ResolvedNode) {
  return (
    {
      region: 'region.not_found',
      compound: 'compound.not_found',
      grid: 'grid.not_found',
      department: 'department.not_found',
    } as const
  )[node.nodeKind];
}

export async function addGrant(ctx: Authed, userId: number, target: GrantTarget): Promise<UserView> {
  await userOr404(ctx, userId);
  const node = await resolveNode(ctx, target);
  assertNodeReachable(ctx.actor, node);
  if (!canGrant(ctx.actor, target.role, node.scopePath)) throw new AppError('grant.beyond_own');
  ctx.sessions?.forgetUser(userId);
  try {
    await repo.insertGrant(ctx.db, {
      userId,
      role: target.role,
      ...node,
      grantedBy: ctx.actor.userId,
      createdAt: ctx.clock.now(),
    });
  } catch (err) {
    if (isUniqueViolation(err, 'grants_user_role_node_uq')) throw new AppError('grant.exists');
    throw err;
  }
  await audit(ctx, {
    action: 'grant.add',
    entity: 'user',
    entityId: userId,
    scopePath: node.scopePath,
    detail: { role: target.role, nodeRef: node.nodeRef },
  });
  return getUser(ctx, userId);
}

/**
 * Gives someone `role` on a community when no grant of theirs covers it yet, as a side effect of
 * another appointment (a unit's administrator, a merchant's counter staff); audited as any grant.
 */
export async function ensureCommunityGrant(
  ctx: Authed,
  userId: number,
  role: Role,
  community: { code: string; path: string },
  detail: Record<string, unknown> = {},
): Promise<void> {
  const held = await ctx.db
    .select({ scopePath: grants.scopePath })
    .from(grants)
    .where(and(eq(grants.userId, userId), eq(grants.role, role)));
  if (held.some((g) => community.path.startsWith(g.scopePath))) return;
  ctx.sessions?.forgetUser(userId);
  await ctx.db
    .insert(grants)
    .values({
      userId,
      role,
      scopePath: community.path,
      nodeKind: 'region',
      nodeRef: community.code,
      grantedBy: ctx.actor.userId,
      createdAt: ctx.clock.now(),
    })
    .onConflictDoNothing();
  await audit(ctx, {
    action: 'grant.add',
    entity: 'user',
    entityId: userId,
    scopePath: community.path,
    detail: { role, nodeRef: community.code, ...detail },
  });
}

export async function revokeGrant(ctx: Authed, userId: number, grantId: number): Promise<UserView> {
  const user = await userOr404(ctx, userId);
  const g = await repo.grantById(ctx.db, grantId);
  if (!g || g.userId !== userId || !canAdminPath(ctx.actor, g.scopePath))
    throw new AppError('grant.not_found');
  if (!canGrant(ctx.actor, g.role as Role, g.scopePath)) throw new AppError('grant.beyond_own');
  if (g.role === 'cityAdmin' && (await repo.countRole(ctx.db, 'cityAdmin')) <= 1)
    throw new AppError('grant.last_city_admin');
  ctx.sessions?.forgetUser(userId);
  await repo.deleteGrant(ctx.db, grantId);
  await audit(ctx, {
    action: 'grant.revoke',
    entity: 'user',
    entityId: userId,
    scopePath: g.scopePath,
    detail: { role: g.role, nodeRef: g.nodeRef },
  });
  // Present from the row read before the revoke: with its last grant in our area gone, the user
  // is no longer "in scope" and a fresh lookup would be not-found.
  const [view] = await present(ctx, ctx.actor, [user]);
  return view as UserView;
}

export async function setDisabled(ctx: Authed, userId: number, disabled: boolean): Promise<UserView> {
  const view = await getUser(ctx, userId);
  if (!view.can.disable) throw new AppError('access.forbidden');
  ctx.sessions?.forgetUser(userId);
  await repo.setDisabled(ctx.db, userId, disabled, ctx.clock.now());
  if (disabled) await deleteUserSessions(ctx.db, userId);
  await audit(ctx, {
    action: disabled ? 'user.disable' : 'user.enable',
    entity: 'user',
    entityId: userId,
    scopePath: view.grants[0]?.scopePath ?? null,
  });
  return getUser(ctx, userId);
}

/** Unmasked name and phone: allowed to administrators in scope, and every read is audited. */
export async function revealUser(ctx: Authed, userId: number) {
  const u = await userOr404(ctx, userId);
  const full = await findUserById(ctx.db, u.id);
  if (!full) throw new AppError('user.not_found');
  const view = await getUser(ctx, userId);
  await audit(ctx, {
    action: 'pii.reveal',
    entity: 'user',
    entityId: userId,
    scopePath: view.grants[0]?.scopePath ?? null,
    detail: { fields: ['name', 'phone'] },
  });
  return { id: full.id, name: full.name, phone: full.phone };
}

export async function listAudit(
  ctx: Authed,
  q: { action?: string; actorUserId?: number; cursor?: string; limit: number },
) {
  const conds: SQL[] = [];
  // Entries without a scope (logins, own settings) belong to the whole city.
  if (!ctx.actor.grants.some((g) => g.role === 'cityAdmin'))
    conds.push(scopeWhere(auditLog.scopePath, adminScopes(ctx.actor)));
  if (q.action) conds.push(eq(auditLog.action, q.action));
  if (q.actorUserId) conds.push(eq(auditLog.actorUserId, q.actorUserId));
  const before = decodeIdCursor(q.cursor);
  const rows = await repo.listAudit(
    ctx.db,
    (conds.length ? and(...conds) : sql`true`) as SQL,
    before,
    q.limit + 1,
  );
  const more = rows.length > q.limit;
  const pageRows = more ? rows.slice(0, q.limit) : rows;
  return {
    items: pageRows.map((r) => ({
      id: r.entry.id,
      at: r.entry.at.toISOString(),
      actorUserId: r.entry.actorUserId,
      actorName: r.actorName ? maskName(r.actorName) : null,
      action: r.entry.action,
      entity: r.entry.entity,
      entityId: r.entry.entityId,
      ip: r.entry.ip,
      detail: r.entry.detail,
    })),
    nextCursor: more ? encodeIdCursor(pageRows.at(-1)?.entry.id) : null,
  };
}
