import { type SQL, sql } from 'drizzle-orm';
import {
  type Role,
  TICKET_AREA_ROLES,
  TICKET_COMMUNITY_ROLES,
  TICKET_SUPERVISOR_ROLES,
} from '../../contracts/roles.ts';
import type { TicketStatus } from '../../contracts/tickets.ts';
import { type Actor, coversPath, scopesFor, scopeWhere } from '../core/access.ts';
import { outer } from '../db/sql.ts';
import { statusLiteral } from './repo.ts';
import { ticketDispatches, ticketFollowers, tickets } from './tables.ts';
import type { ActingAs } from './workflow.ts';

/** Staff who see every ticket placed in their area. */
export const AREA_ROLES = TICKET_AREA_ROLES;
export const COMMUNITY_ROLES = TICKET_COMMUNITY_ROLES;
export const SUPERVISOR_ROLES = TICKET_SUPERVISOR_ROLES;
/** Who may key in a report for someone else (hotline, on behalf of a resident). */
export const INTAKE_ROLES: readonly Role[] = AREA_ROLES;

export const departmentIdsOf = (a: Actor): number[] =>
  a.grants
    .filter((g) => g.role === 'departmentOfficer' && g.departmentId !== null)
    .map((g) => g.departmentId as number);

/**
 * Tickets in the actor's working area, or whistled to one of their departments. `list`: the
 * predicate of a list (an IN over the department's dispatches, a semi-join PostgreSQL runs from
 * the index); otherwise a check of one ticket, where EXISTS probes just its dispatches (the IN
 * form hashed all of a department's ten thousand dispatches to check one ticket).
 */
/** An officer of a department with no area of their own: their work is what was whistled to them. */
export const departmentOnly = (a: Actor): boolean =>
  departmentIdsOf(a).length > 0 && scopesFor(a, AREA_ROLES).length === 0;

export function workVisible(a: Actor, use: 'list' | 'one' = 'one', status?: TicketStatus): SQL {
  const scopes = scopesFor(a, AREA_ROLES);
  const area =
    use === 'list'
      ? withCommunities(scopeWhere(tickets.path, scopes), scopes)
      : scopeWhere(tickets.path, scopes);
  const depts = departmentIdsOf(a);
  if (depts.length === 0) return area;
  const ids = sql.join(
    depts.map((d) => sql`${d}`),
    sql`, `,
  );
  // A list for an officer with no area: `false or exists (…)` was planned as a subquery per ticket.
  // A stage's list reads the dispatches' copy of the ticket status: a few index entries, not a hash
  // of the department's ten thousand dispatches against every ticket at that stage.
  if (scopes.length === 0 && use === 'list') {
    const stage = status ? sql` and d.ticket_status = ${statusLiteral(status)}` : sql``;
    return sql`${tickets.id} in (select d.ticket_id from ${ticketDispatches} d where d.department_id in (${ids})${stage})`;
  }
  return sql`(${area} or exists (select 1 from ${ticketDispatches} d where d.ticket_id = ${outer(tickets.id)} and d.department_id in (${ids})))`;
}

/**
 * A list over scopes that all lie within communities (community staff, grid workers, compound
 * secretaries) is written by community: a whole community as `community_code = …` (a ticket's path
 * starts with its community's), a grid or compound as its community and its path. The index on
 * (community_code, id) then gives the newest tickets at once. By the path prefix alone PostgreSQL
 * walked every ticket backwards until it had a page (11 ms, 15,000 rows, at 1.4 M tickets), and
 * with both it could not tell they agree and sorted the whole community (12 ms).
 */
function withCommunities(area: SQL, scopes: readonly string[]): SQL {
  // Region paths: city.county.township.community. — then grid and compound below it.
  const parts = scopes.map((p) => ({ segments: p.split('.').filter(Boolean), path: p }));
  if (parts.length === 0 || parts.some((x) => x.segments.length < 4 || !/^\d{12}$/.test(x.segments[3] ?? '')))
    return area;
  return sql`(${sql.join(
    parts.map((x) =>
      x.segments.length === 4
        ? sql`${tickets.communityCode} = ${x.segments[3]}`
        : sql`(${tickets.communityCode} = ${x.segments[3]} and ${scopeWhere(tickets.path, [x.path])})`,
    ),
    sql` or `,
  )})`;
}

/** Tickets the actor reported or follows. */
export function mineVisible(a: Actor): SQL {
  // Also what they keyed in for someone else (a grid worker's patrol reports, an operator's calls).
  return sql`(${tickets.reporterUserId} = ${a.userId} or ${tickets.createdBy} = ${a.userId} or exists (select 1 from ${ticketFollowers} f where f.ticket_id = ${outer(tickets.id)} and f.user_id = ${a.userId}))`;
}

/** Compound paths where the actor lives (resident or member grants). */
export const homePaths = (a: Actor): string[] => scopesFor(a, ['resident', 'member']);

/** Neighbours' public tickets: same compound, not private. Personal data is removed when shown. */
export function neighbourVisible(a: Actor): SQL {
  const homes = homePaths(a);
  if (homes.length === 0) return sql`false`;
  return sql`(${tickets.private} = false and ${scopeWhere(tickets.path, homes)})`;
}

export function anyVisible(a: Actor): SQL {
  return sql`(${workVisible(a)} or ${mineVisible(a)} or ${neighbourVisible(a)})`;
}

/** `anyVisible` for one ticket already read: the same rules, checked in memory. */
export function canSee(
  a: Actor,
  t: { path: string; private: boolean; reporterUserId: number | null; createdBy: number | null },
  dispatchDepartmentIds: readonly number[],
  following: boolean,
): boolean {
  if (coversPath(a, AREA_ROLES, t.path)) return true;
  if (departmentIdsOf(a).some((d) => dispatchDepartmentIds.includes(d))) return true;
  if (t.reporterUserId === a.userId || t.createdBy === a.userId || following) return true;
  return !t.private && homePaths(a).some((h) => t.path.startsWith(h));
}

/** How the actor relates to one ticket, for what they may see of it. */
export function relation(
  a: Actor,
  t: { path: string; reporterUserId: number | null },
  dispatchDepartmentIds: readonly number[],
  following: boolean,
): 'staff' | 'department' | 'reporter' | 'neighbour' {
  if (coversPath(a, AREA_ROLES, t.path)) return 'staff';
  if (departmentIdsOf(a).some((d) => dispatchDepartmentIds.includes(d))) return 'department';
  if (t.reporterUserId === a.userId || following) return 'reporter';
  return 'neighbour';
}

export function actingAs(
  a: Actor,
  t: { path: string; reporterUserId: number | null },
  dispatchDepartmentIds: readonly number[],
): ActingAs {
  const mine = departmentIdsOf(a);
  return {
    community: coversPath(a, COMMUNITY_ROLES, t.path),
    supervisor: coversPath(a, SUPERVISOR_ROLES, t.path),
    departmentIds: mine.filter((d) => dispatchDepartmentIds.includes(d)),
    reporter: t.reporterUserId === a.userId,
    system: false,
  };
}
