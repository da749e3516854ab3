import { ADMIN_ROLES, type Role } from '../../contracts/roles.ts';
import { type Actor, coversPath, ROLE_RANK, scopesFor } from '../core/access.ts';

/** Administrators manage people who hold a role inside their area. */
export const adminScopes = (a: Actor) => scopesFor(a, ADMIN_ROLES);

/**
 * A role may be granted (or revoked) on a node by an administrator covering that node whose own
 * role there is higher; a city administrator may also appoint other city administrators.
 */
export function canGrant(a: Actor, role: Role, scopePath: string): boolean {
  return a.grants.some(
    (g) =>
      ADMIN_ROLES.includes(g.role) &&
      scopePath.startsWith(g.scopePath) &&
      (ROLE_RANK[g.role] > ROLE_RANK[role] || g.role === 'cityAdmin'),
  );
}

export const canAdminPath = (a: Actor, path: string) => coversPath(a, ADMIN_ROLES, path);
