import { type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { ROLES, type Role } from '../../contracts/roles.ts';
import { underPattern } from '../geo/paths.ts';
import type { Locale } from './errors.ts';
import { AppError } from './errors.ts';

export interface ActorGrant {
  id: number;
  role: Role;
  scopePath: string;
  nodeKind: string;
  nodeRef: string;
  departmentId: number | null;
}

/** Who is asking. Built once per request from the session; never from client input. */
export interface Actor {
  userId: number;
  name: string;
  phone: string;
  locale: Locale;
  grants: ActorGrant[];
}

export const ROLE_RANK: Record<Role, number> = Object.fromEntries(ROLES.map((r, i) => [r, i])) as Record<
  Role,
  number
>;

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw new AppError('auth.required');
  return actor;
}

export function hasAnyRole(actor: Actor, roles: readonly Role[]): boolean {
  return actor.grants.some((g) => roles.includes(g.role));
}

/** Scope paths at which the actor holds any of `roles`, with nested ones dropped. */
export function scopesFor(actor: Actor, roles: readonly Role[]): string[] {
  const paths = [
    ...new Set(actor.grants.filter((g) => roles.includes(g.role)).map((g) => g.scopePath)),
  ].sort();
  return paths.filter((p, i) => !paths.slice(0, i).some((q) => p.startsWith(q)));
}

/** True when the actor holds one of `roles` on `path` or on one of its ancestors. */
export function coversPath(actor: Actor, roles: readonly Role[], path: string): boolean {
  return actor.grants.some((g) => roles.includes(g.role) && path.startsWith(g.scopePath));
}

/**
 * The visibility predicate for a path column: `col LIKE scope1% OR col LIKE scope2% …`.
 * With no scope it is `false`, so a query returns nothing rather than everything.
 */
export function scopeWhere(column: AnyPgColumn | SQL, scopes: readonly string[]): SQL {
  if (scopes.length === 0) return sql`false`;
  const parts = scopes.map((s) => sql`${column} like ${underPattern(s)}`);
  return sql`(${sql.join(parts, sql` or `)})`;
}

/** The highest role the actor holds that covers `path`, or null. */
export function highestRoleOver(actor: Actor, path: string): Role | null {
  let best: Role | null = null;
  for (const g of actor.grants) {
    if (!path.startsWith(g.scopePath)) continue;
    if (best === null || ROLE_RANK[g.role] > ROLE_RANK[best]) best = g.role;
  }
  return best;
}
