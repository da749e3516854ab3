import type { TFunction } from 'i18next';
import type { GrantView } from '../../contracts/auth.ts';
import { ROLES, type Role } from '../../contracts/roles.ts';

export { ROLES, type Role };

export function roleLabel(t: TFunction, role: Role): string {
  return t(`role.${role}`);
}

/** Distinct roles of a set of grants, highest first. */
export function rolesOf(grants: readonly GrantView[]): Role[] {
  const held = new Set(grants.map((g) => g.role));
  return [...ROLES].reverse().filter((r) => held.has(r));
}

/** "社区管理员 · 平城区 水泊寺街道 文兴社区" */
export function grantLabel(t: TFunction, g: Pick<GrantView, 'role' | 'scopeLabel'>): string {
  return `${roleLabel(t, g.role)} · ${g.scopeLabel}`;
}

/** Grants sorted highest role first, for display. */
export function sortGrants<G extends Pick<GrantView, 'role'>>(grants: readonly G[]): G[] {
  return [...grants].sort((a, b) => ROLES.indexOf(b.role) - ROLES.indexOf(a.role));
}

/** The grids a 网格员 looks after: the nodes of their gridWorker grants (ids, each once). */
export function workerGridIds(grants: readonly Pick<GrantView, 'role' | 'nodeKind' | 'nodeRef'>[]): number[] {
  const ids = grants
    .filter((g) => g.role === 'gridWorker' && g.nodeKind === 'grid')
    .map((g) => Number(g.nodeRef))
    .filter((id) => Number.isInteger(id) && id > 0);
  return [...new Set(ids)];
}
