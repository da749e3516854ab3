import type { TFunction } from 'i18next';
import { TICKET_AREA_ROLES as AREA_ROLES, TICKET_SUPERVISOR_ROLES } from '../../contracts/roles.ts';
import { TICKET_ACTIONS } from '../../contracts/ticket-states.ts';
import type {
  DispatchView,
  Me,
  ResponsibilityItemView,
  Role,
  TicketEventView,
  TicketStatus,
  TicketSummary,
} from '../api/index.ts';

/**
 * Ticket (诉求) helpers shared by the phone app and the console: labels, colours, the plain-words
 * timeline, the photo checks made before uploading, and idempotency keys for report forms.
 */

const holds = (me: Me, roles: readonly Role[]) => me.grants.some((g) => roles.includes(g.role));

/** The console's 诉求办理 page: area staff and department officers. */
export const canWorkTickets = (me: Me) => holds(me, [...AREA_ROLES, 'departmentOfficer']);
/** 新建诉求 (hotline, on behalf of a resident, patrol): area staff only. */
export const canIntake = (me: Me) => holds(me, AREA_ROLES);
/** 网格巡查上报 from the phone: grid workers, for places in their grid (server: channel 'patrol'). */
export const canPatrol = (me: Me) => holds(me, ['gridWorker']);
/** 督办 and extension approvals: township, county and city. */
export const canSupervise = (me: Me) => holds(me, TICKET_SUPERVISOR_ROLES);
/** A department officer and nothing else: their queue starts at "awaiting check-in". */
export const isDepartmentOnly = (me: Me) => holds(me, ['departmentOfficer']) && !canIntake(me);

/** The tone of a status, mapped by each app onto its own tag colours. */
export type Tone = 'waiting' | 'working' | 'done' | 'ended' | 'attention';

export const STATUS_TONE: Record<TicketStatus, Tone> = {
  submitted: 'attention',
  accepted: 'working',
  whistled: 'attention',
  inProgress: 'working',
  resolved: 'waiting',
  confirmed: 'waiting',
  closed: 'done',
  rejected: 'ended',
  referred: 'ended',
  merged: 'ended',
};

export const statusLabel = (t: TFunction, s: TicketStatus) => t(`ticket.status.${s}`);

/** The deadline that matters now: acceptance while waiting for it, else the resolve deadline. */
export function dueOf(x: Pick<TicketSummary, 'status' | 'acceptDueAt' | 'resolveDueAt'>): string | null {
  if (x.status === 'submitted') return x.acceptDueAt;
  if (x.status === 'accepted' || x.status === 'whistled' || x.status === 'inProgress') return x.resolveDueAt;
  return null;
}

/** Timeline events: the moves, plus those that are not moves (a report, a merged duplicate, a "+1"). */
const EVENT_KINDS = ['submit', 'mergedIn', 'plusOne', ...TICKET_ACTIONS] as const;
type EventKind = (typeof EVENT_KINDS)[number];
const isEventKind = (k: string): k is EventKind => (EVENT_KINDS as readonly string[]).includes(k);

/**
 * What happened, in plain words: "社区已受理", "部门已报到，开始处理" …; the deadline sweep's marks
 * ('warn', 'overdue') name the deadline and any escalation from the event's details.
 */
export function eventLabel(
  t: TFunction,
  e: Pick<TicketEventView, 'kind'> & { details?: TicketEventView['details'] },
): string {
  if (isEventKind(e.kind)) return t(`ticket.event.${e.kind}`);
  const d = e.details;
  if ((e.kind === 'warn' || e.kind === 'overdue') && d?.deadline) {
    const deadline = t(`ticket.event.deadline.${d.deadline}`);
    if (e.kind === 'overdue' && d.escalatedTo)
      return t('ticket.event.escalated', { deadline, level: t(`level.${d.escalatedTo}`) });
    return t(`ticket.event.${e.kind}`, { deadline });
  }
  if (e.kind === 'escalate' && d?.escalatedTo)
    return t('ticket.event.escalate', { level: t(`level.${d.escalatedTo}`) });
  return e.kind;
}

/**
 * The departments a whistle event called on: named by the event; for events recorded before
 * events carried details, read from the dispatches whistled at that moment.
 */
export function whistledDepartments(e: TicketEventView, dispatches: readonly DispatchView[]): string[] {
  if (e.kind !== 'whistle') return [];
  if (e.details?.departmentNames?.length) return e.details.departmentNames;
  const at = new Date(e.at).getTime();
  return dispatches.filter((d) => new Date(d.whistledAt).getTime() === at).map((d) => d.departmentName);
}

/** Items grouped by category (list order kept), filtered by words in name, description, category or keywords. */
export function groupItems(
  items: readonly ResponsibilityItemView[],
  query = '',
): { code: string; name: string; items: ResponsibilityItemView[] }[] {
  const q = query.trim().toLowerCase();
  const groups: { code: string; name: string; items: ResponsibilityItemView[] }[] = [];
  for (const it of items) {
    if (
      q &&
      !`${it.name} ${it.description} ${it.categoryName} ${(it.keywords ?? []).join(' ')}`
        .toLowerCase()
        .includes(q)
    )
      continue;
    let g = groups.find((x) => x.code === it.categoryCode);
    if (!g) {
      g = { code: it.categoryCode, name: it.categoryName, items: [] };
      groups.push(g);
    }
    g.items.push(it);
  }
  return groups;
}

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const PHOTO_ACCEPT = PHOTO_TYPES.join(',');
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
export const PHOTO_MAX_COUNT = 9;

/** Why a file cannot be uploaded as a ticket photo (in the user's language), or null if it can. */
export function photoProblem(
  t: TFunction,
  file: { name: string; type: string; size: number },
): string | null {
  if (!(PHOTO_TYPES as readonly string[]).includes(file.type))
    return t('ticket.photoType', { name: file.name });
  if (file.size > PHOTO_MAX_BYTES) return t('ticket.photoSize', { name: file.name });
  return null;
}

/**
 * A fresh key for one report form: the same key on a retry makes the server return the ticket
 * the first attempt created. `crypto.randomUUID` needs a secure context (https or localhost),
 * so plain-http intranet deployments fall back to `getRandomValues`.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
