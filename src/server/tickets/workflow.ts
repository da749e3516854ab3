import {
  ACTION_LABELS,
  type DispatchStatus,
  type ExtensionStatus,
  OPEN_STATUSES,
  type Outcome,
  STATUS_LABELS,
  type TicketActionKind,
  type TicketStatus,
} from '../../contracts/tickets.ts';
import { AppError } from '../core/errors.ts';

/**
 * The ticket state machine, in one place. Pure: it gets the ticket's current state, the action and
 * who is acting, and returns what must change, or throws a clear refusal. The service applies the
 * decision under a row lock and with the old status in the UPDATE's WHERE, so two people acting at
 * once cannot both move the same ticket.
 */

export interface DispatchState {
  departmentId: number;
  status: DispatchStatus;
}

export interface TicketState {
  status: TicketStatus;
  reopenCount: number;
  /** The community handles (part of) it itself rather than only through departments. */
  handledBySelf: boolean;
  /** The reporter has an account and can rate in the app; otherwise staff record the follow-up call. */
  reporterHasAccount: boolean;
  dispatches: readonly DispatchState[];
  /** The matter's resolve limit may be extended once (complex matters). */
  extendable: boolean;
  extension: ExtensionStatus | null;
  /** The resolve limit has passed: too late to ask for more time. */
  resolveOverdue: boolean;
}

/** The parts the actor plays for this ticket, worked out by the service from grants and scope. */
export interface ActingAs {
  community: boolean;
  supervisor: boolean;
  departmentIds: readonly number[];
  reporter: boolean;
  system: boolean;
}

export type TicketAction =
  | { kind: 'accept' }
  | { kind: 'reject'; reason: string }
  | { kind: 'refer'; reason: string }
  | { kind: 'transfer'; reason: string }
  | { kind: 'handleSelf' }
  | { kind: 'whistle'; departmentIds: readonly number[] }
  | { kind: 'checkIn'; departmentId: number }
  | { kind: 'return'; departmentId: number; reason: string }
  | { kind: 'update'; note: string; departmentId?: number }
  | { kind: 'resolve'; note: string; photoCount: number; departmentId?: number }
  | { kind: 'confirm' }
  | { kind: 'sendBack'; reason: string }
  | { kind: 'rate'; rating: number; satisfied: boolean }
  | { kind: 'expireFollowUp' }
  | { kind: 'merge'; intoTicketId: number }
  | { kind: 'supervise'; note: string }
  | { kind: 'requestExtension'; reason: string; departmentId?: number }
  | { kind: 'approveExtension' }
  | { kind: 'refuseExtension'; reason: string };

export interface WorkflowRules {
  /** How many times an unsatisfied rating may reopen a ticket before it closes as unsatisfied. */
  maxReopens: number;
}

export const DEFAULT_RULES: WorkflowRules = { maxReopens: 2 };

export interface Decision {
  status: TicketStatus;
  /** New statuses for existing dispatches, by department. */
  dispatchUpdates: DispatchState[];
  /** Departments to whistle now (new pending dispatches). */
  newDispatches: number[];
  handledBySelf: boolean;
  reopened: boolean;
  outcome: Outcome | null;
  extension: ExtensionStatus | null;
}

type Party = 'community' | 'department' | 'reporter' | 'supervisor' | 'system';

const PARTY_LABELS: Record<Party, { zh: string; en: string }> = {
  community: { zh: '社区', en: 'the community' },
  department: { zh: '被吹哨的部门', en: 'a whistled department' },
  reporter: { zh: '诉求人', en: 'the person who reported it' },
  supervisor: { zh: '街道或区县督办人员', en: 'a township or county supervisor' },
  system: { zh: '系统', en: 'the system' },
};

/** Where each action may start from. */
const FROM: Record<TicketActionKind, readonly TicketStatus[]> = {
  accept: ['submitted'],
  reject: ['submitted', 'accepted'],
  refer: ['submitted', 'accepted'],
  transfer: ['submitted', 'accepted'],
  handleSelf: ['accepted'],
  whistle: ['accepted', 'whistled', 'inProgress'],
  checkIn: ['whistled', 'inProgress'],
  return: ['whistled', 'inProgress'],
  update: ['inProgress'],
  resolve: ['inProgress'],
  confirm: ['resolved'],
  sendBack: ['resolved'],
  rate: ['confirmed'],
  expireFollowUp: ['confirmed'],
  merge: ['submitted', 'accepted', 'whistled', 'inProgress'],
  supervise: OPEN_STATUSES,
  requestExtension: ['accepted', 'whistled', 'inProgress'],
  approveExtension: ['accepted', 'whistled', 'inProgress'],
  refuseExtension: ['accepted', 'whistled', 'inProgress'],
};

const illegal = (status: TicketStatus, action: TicketActionKind) =>
  new AppError('ticket.illegal_move', {
    status: STATUS_LABELS[status],
    action: ACTION_LABELS[action],
  });

const wrongParty = (action: TicketActionKind, party: Party) =>
  new AppError('ticket.wrong_party', { action: ACTION_LABELS[action], party: PARTY_LABELS[party] });

const FIELD_LABELS = {
  reason: { zh: '原因', en: 'a reason' },
  note: { zh: '说明', en: 'a note' },
};

function requireText(v: string, field: keyof typeof FIELD_LABELS) {
  if (!v || v.trim().length === 0) throw new AppError('ticket.text_required', { field: FIELD_LABELS[field] });
}

const active = (d: DispatchState) => d.status === 'pending' || d.status === 'checkedIn';

/** After a department's move: where the ticket stands, from all its dispatches. */
function statusFromDispatches(dispatches: readonly DispatchState[], handledBySelf: boolean): TicketStatus {
  if (dispatches.some((d) => d.status === 'checkedIn')) return 'inProgress';
  if (dispatches.some((d) => d.status === 'pending')) return handledBySelf ? 'inProgress' : 'whistled';
  if (handledBySelf) return 'inProgress';
  // Every department has finished: resolved; every one returned it: back to the community.
  if (dispatches.some((d) => d.status === 'done')) return 'resolved';
  return 'accepted';
}

export function decide(
  state: TicketState,
  action: TicketAction,
  as: ActingAs,
  rules: WorkflowRules = DEFAULT_RULES,
): Decision {
  if (!FROM[action.kind].includes(state.status)) throw illegal(state.status, action.kind);
  const same: Decision = {
    status: state.status,
    dispatchUpdates: [],
    newDispatches: [],
    handledBySelf: state.handledBySelf,
    reopened: false,
    outcome: null,
    extension: state.extension,
  };
  const need = (party: Party, ok: boolean) => {
    if (!ok) throw wrongParty(action.kind, party);
  };
  const dispatchOf = (departmentId: number) => {
    if (!as.departmentIds.includes(departmentId)) throw wrongParty(action.kind, 'department');
    const d = state.dispatches.find((x) => x.departmentId === departmentId);
    if (!d) throw new AppError('ticket.dispatch_not_found');
    return d;
  };
  const withUpdate = (departmentId: number, status: DispatchStatus) =>
    state.dispatches.map((d) => (d.departmentId === departmentId ? { ...d, status } : d));

  switch (action.kind) {
    case 'accept':
      need('community', as.community);
      return { ...same, status: 'accepted' };
    case 'reject':
    case 'refer':
      need('community', as.community);
      requireText(action.reason, 'reason');
      return { ...same, status: action.kind === 'reject' ? 'rejected' : 'referred' };
    case 'transfer':
      need('community', as.community || as.supervisor);
      requireText(action.reason, 'reason');
      // The receiving community starts afresh.
      return { ...same, status: 'submitted', handledBySelf: false };
    case 'handleSelf':
      need('community', as.community);
      return { ...same, status: 'inProgress', handledBySelf: true };
    case 'whistle': {
      need('community', as.community);
      const ids = [...new Set(action.departmentIds)];
      if (ids.length === 0) throw new AppError('ticket.no_departments');
      const busy = ids.filter((id) => state.dispatches.some((d) => d.departmentId === id && active(d)));
      if (busy.length > 0) throw new AppError('ticket.already_whistled');
      // A department that returned it may be whistled again (e.g. with better information).
      const again = ids.filter((id) => state.dispatches.some((d) => d.departmentId === id));
      const fresh = ids.filter((id) => !again.includes(id));
      const dispatches = [
        ...state.dispatches.map((d) =>
          again.includes(d.departmentId) ? { ...d, status: 'pending' as const } : d,
        ),
        ...fresh.map((departmentId) => ({ departmentId, status: 'pending' as const })),
      ];
      return {
        ...same,
        status: statusFromDispatches(dispatches, state.handledBySelf),
        dispatchUpdates: again.map((departmentId) => ({ departmentId, status: 'pending' })),
        newDispatches: fresh,
      };
    }
    case 'checkIn': {
      const d = dispatchOf(action.departmentId);
      if (d.status !== 'pending') throw illegal(state.status, 'checkIn');
      return {
        ...same,
        status: 'inProgress',
        dispatchUpdates: [{ departmentId: d.departmentId, status: 'checkedIn' }],
      };
    }
    case 'return': {
      const d = dispatchOf(action.departmentId);
      if (d.status !== 'pending') throw illegal(state.status, 'return');
      requireText(action.reason, 'reason');
      const dispatches = withUpdate(d.departmentId, 'returned');
      return {
        ...same,
        status: statusFromDispatches(dispatches, state.handledBySelf),
        dispatchUpdates: [{ departmentId: d.departmentId, status: 'returned' }],
      };
    }
    case 'update': {
      requireText(action.note, 'note');
      if (action.departmentId !== undefined) {
        const d = dispatchOf(action.departmentId);
        if (d.status !== 'checkedIn') throw illegal(state.status, 'update');
      } else {
        need('community', as.community);
      }
      return same;
    }
    case 'resolve': {
      requireText(action.note, 'note');
      if (action.photoCount < 1) throw new AppError('ticket.evidence_required');
      if (action.departmentId !== undefined) {
        const d = dispatchOf(action.departmentId);
        if (d.status !== 'checkedIn') throw illegal(state.status, 'resolve');
        const dispatches = withUpdate(d.departmentId, 'done');
        return {
          ...same,
          status: statusFromDispatches(dispatches, state.handledBySelf),
          dispatchUpdates: [{ departmentId: d.departmentId, status: 'done' }],
        };
      }
      need('community', as.community);
      if (!state.handledBySelf) throw wrongParty('resolve', 'department');
      // The community's own part is done; it is resolved once no department is still at work.
      if (state.dispatches.some(active)) throw new AppError('ticket.departments_working');
      return { ...same, status: 'resolved' };
    }
    case 'confirm':
      need('community', as.community);
      return { ...same, status: 'confirmed' };
    case 'sendBack': {
      need('community', as.community);
      requireText(action.reason, 'reason');
      return {
        ...same,
        status: 'inProgress',
        dispatchUpdates: state.dispatches
          .filter((d) => d.status === 'done')
          .map((d) => ({ departmentId: d.departmentId, status: 'checkedIn' as const })),
      };
    }
    case 'rate': {
      // A hotline caller without an account is called back; staff record their answer.
      need('reporter', as.reporter || (!state.reporterHasAccount && as.community));
      if (!Number.isInteger(action.rating) || action.rating < 1 || action.rating > 5)
        throw new AppError('ticket.bad_rating');
      if (action.satisfied) return { ...same, status: 'closed', outcome: 'satisfied' };
      if (state.reopenCount >= rules.maxReopens) return { ...same, status: 'closed', outcome: 'unsatisfied' };
      return {
        ...same,
        status: 'inProgress',
        reopened: true,
        dispatchUpdates: state.dispatches
          .filter((d) => d.status === 'done')
          .map((d) => ({ departmentId: d.departmentId, status: 'checkedIn' as const })),
      };
    }
    case 'expireFollowUp':
      need('system', as.system);
      return { ...same, status: 'closed', outcome: 'noRating' };
    case 'merge':
      need('community', as.community);
      return {
        ...same,
        status: 'merged',
        dispatchUpdates: state.dispatches
          .filter(active)
          .map((d) => ({ departmentId: d.departmentId, status: 'cancelled' as const })),
      };
    case 'supervise':
      need('supervisor', as.supervisor);
      requireText(action.note, 'note');
      return same;
    case 'requestExtension': {
      // Whoever is handling it asks: a checked-in department, or the community handling it itself.
      if (action.departmentId !== undefined) {
        const d = dispatchOf(action.departmentId);
        if (d.status !== 'checkedIn') throw illegal(state.status, 'requestExtension');
      } else {
        need('community', as.community);
      }
      requireText(action.reason, 'reason');
      if (!state.extendable) throw new AppError('ticket.not_extendable');
      if (state.extension !== null) throw new AppError('ticket.extension_once');
      if (state.resolveOverdue) throw new AppError('ticket.extension_too_late');
      return { ...same, extension: 'requested' };
    }
    case 'approveExtension':
    case 'refuseExtension':
      need('supervisor', as.supervisor);
      if (action.kind === 'refuseExtension') requireText(action.reason, 'reason');
      if (state.extension !== 'requested') throw new AppError('ticket.no_extension_request');
      return { ...same, extension: action.kind === 'approveExtension' ? 'granted' : 'refused' };
  }
}

/**
 * The moves this actor could make now (with the details filled in), so the UI offers exactly
 * these; the server still decides again when the move arrives.
 */
export function availableActions(
  state: TicketState,
  as: ActingAs,
  rules: WorkflowRules = DEFAULT_RULES,
): TicketActionKind[] {
  const samples = (dept: number | undefined): TicketAction[] => [
    { kind: 'accept' },
    { kind: 'reject', reason: '-' },
    { kind: 'refer', reason: '-' },
    { kind: 'transfer', reason: '-' },
    { kind: 'handleSelf' },
    { kind: 'whistle', departmentIds: [-1] },
    ...(dept === undefined
      ? []
      : ([
          { kind: 'checkIn', departmentId: dept },
          { kind: 'return', departmentId: dept, reason: '-' },
          { kind: 'update', note: '-', departmentId: dept },
          { kind: 'resolve', note: '-', photoCount: 1, departmentId: dept },
        ] as TicketAction[])),
    { kind: 'update', note: '-' },
    { kind: 'resolve', note: '-', photoCount: 1 },
    { kind: 'confirm' },
    { kind: 'sendBack', reason: '-' },
    { kind: 'rate', rating: 5, satisfied: true },
    { kind: 'merge', intoTicketId: -1 },
    { kind: 'supervise', note: '-' },
    { kind: 'requestExtension', reason: '-' },
    ...(dept === undefined
      ? []
      : ([{ kind: 'requestExtension', reason: '-', departmentId: dept }] as TicketAction[])),
    { kind: 'approveExtension' },
    { kind: 'refuseExtension', reason: '-' },
  ];
  const ok = new Set<TicketActionKind>();
  // A refusal here is an answer, not a fault: no stack trace to capture (every ticket detail asks
  // this, and capturing them was a visible part of its CPU). Synchronous, so nothing else runs
  // while the limit is off.
  const stackLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    for (const dept of [undefined, ...as.departmentIds]) {
      for (const action of samples(dept)) {
        // Most moves cannot start from this status: skip them without building a refusal.
        if (ok.has(action.kind) || !FROM[action.kind].includes(state.status)) continue;
        try {
          decide(state, action, as, rules);
          ok.add(action.kind);
        } catch {
          // not available to this actor now
        }
      }
    }
  } finally {
    Error.stackTraceLimit = stackLimit;
  }
  return [...ok];
}
