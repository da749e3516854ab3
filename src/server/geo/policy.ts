import { type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { ADMIN_ROLES, type Role, STAFF_ROLES } from '../../contracts/roles.ts';
import { type Actor, coversPath, scopesFor, scopeWhere } from '../core/access.ts';

/**
 * Geo access in one place. Staff read everything under the nodes they hold a role on;
 * administrators of a region change compounds and grids under it; a compound secretary also
 * keeps the buildings of their own compound. Residents and members see only their own compound.
 */
export const GEO_READ: readonly Role[] = STAFF_ROLES;
export const GEO_WRITE: readonly Role[] = ADMIN_ROLES;
export const BUILDING_WRITE: readonly Role[] = [...ADMIN_ROLES, 'compoundSecretary'];
export const HOME_ROLES: readonly Role[] = ['resident', 'member'];

export const readScopes = (a: Actor) => scopesFor(a, GEO_READ);
export const visibleUnder = (a: Actor, col: AnyPgColumn | SQL) => scopeWhere(col, readScopes(a));

/** Region rows on the way to or under any read scope (ancestors are navigation, not data). */
export function regionVisible(a: Actor, pathCol: AnyPgColumn | SQL): SQL {
  const scopes = readScopes(a);
  if (scopes.length === 0) return sql`false`;
  const parts = scopes.map((s) => sql`(${pathCol} like ${`${s}%`} or ${s} like ${pathCol} || '%')`);
  return sql`(${sql.join(parts, sql` or `)})`;
}

export const canWriteGeo = (a: Actor, path: string) => coversPath(a, GEO_WRITE, path);
export const canWriteBuildings = (a: Actor, compoundPath: string) =>
  coversPath(a, BUILDING_WRITE, compoundPath);

/** The deepest region code in a path: the community for grid/compound paths. */
export function deepestRegion(path: string): string | null {
  const regionSegs = path.split('.').filter((s) => /^\d{6}(\d{3}){0,2}$/.test(s));
  return regionSegs.at(-1) ?? null;
}
