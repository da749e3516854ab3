import { describe, expect, it } from 'vitest';
import { TICKET_STATUSES, type TicketStatus } from '../../contracts/tickets.ts';
import { AppError, errorMessage } from '../core/errors.ts';
import {
  type ActingAs,
  type Decision,
  type DispatchState,
  decide,
  type TicketAction,
  type TicketState,
} from './workflow.ts';

const nobody: ActingAs = {
  community: false,
  supervisor: false,
  departmentIds: [],
  reporter: false,
  system: false,
};
const community: ActingAs = { ...nobody, community: true };
const supervisor: ActingAs = { ...nobody, supervisor: true };
const reporter: ActingAs = { ...nobody, reporter: true };
const system: ActingAs = { ...nobody, system: true };
const dept = (...ids: number[]): ActingAs => ({ ...nobody, departmentIds: ids });

const state = (status: TicketStatus, over: Partial<TicketState> = {}): TicketState => ({
  status,
  reopenCount: 0,
  handledBySelf: false,
  reporterHasAccount: true,
  dispatches: [],
  extendable: false,
  extension: null,
  resolveOverdue: false,
  ...over,
});
const d = (departmentId: number, status: DispatchState['status']): DispatchState => ({
  departmentId,
  status,
});

function refusal(fn: () => unknown): { code: string; detail: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, detail: errorMessage(e.code, 'zh-CN', e.params) };
    throw e;
  }
  throw new Error('expected a refusal');
}

// Every action with an actor and a state in which it is legal, and what it must lead to.
const legal: [string, TicketState, TicketAction, ActingAs, Partial<Decision>][] = [
  ['community accepts', state('submitted'), { kind: 'accept' }, community, { status: 'accepted' }],
  [
    'community rejects with a reason',
    state('submitted'),
    { kind: 'reject', reason: '不属于本社区' },
    community,
    { status: 'rejected' },
  ],
  [
    'community refers elsewhere',
    state('accepted'),
    { kind: 'refer', reason: '属司法程序' },
    community,
    { status: 'referred' },
  ],
  [
    'supervisor transfers to the right community',
    state('accepted'),
    { kind: 'transfer', reason: '位置有误' },
    supervisor,
    { status: 'submitted', handledBySelf: false },
  ],
  [
    'community handles it itself',
    state('accepted'),
    { kind: 'handleSelf' },
    community,
    { status: 'inProgress', handledBySelf: true },
  ],
  [
    'community whistles two departments',
    state('accepted'),
    { kind: 'whistle', departmentIds: [7, 8, 7] },
    community,
    { status: 'whistled', newDispatches: [7, 8], dispatchUpdates: [] },
  ],
  [
    'a returning department may be whistled again',
    state('accepted', { dispatches: [d(7, 'returned')] }),
    { kind: 'whistle', departmentIds: [7] },
    community,
    { status: 'whistled', newDispatches: [], dispatchUpdates: [d(7, 'pending')] },
  ],
  [
    'whistling more departments while one works keeps it in progress',
    state('inProgress', { dispatches: [d(7, 'checkedIn')] }),
    { kind: 'whistle', departmentIds: [9] },
    community,
    { status: 'inProgress', newDispatches: [9] },
  ],
  [
    'department checks in',
    state('whistled', { dispatches: [d(7, 'pending'), d(8, 'pending')] }),
    { kind: 'checkIn', departmentId: 7 },
    dept(7),
    { status: 'inProgress', dispatchUpdates: [d(7, 'checkedIn')] },
  ],
  [
    'one of two returns: still whistled',
    state('whistled', { dispatches: [d(7, 'pending'), d(8, 'pending')] }),
    { kind: 'return', departmentId: 7, reason: '不属本部门职责' },
    dept(7),
    { status: 'whistled', dispatchUpdates: [d(7, 'returned')] },
  ],
  [
    'the last one returns: back to the community',
    state('whistled', { dispatches: [d(7, 'returned'), d(8, 'pending')] }),
    { kind: 'return', departmentId: 8, reason: '不属本部门职责' },
    dept(8),
    { status: 'accepted' },
  ],
  [
    'department posts an update',
    state('inProgress', { dispatches: [d(7, 'checkedIn')] }),
    { kind: 'update', note: '已派人查看', departmentId: 7 },
    dept(7),
    { status: 'inProgress' },
  ],
  [
    'community posts an update',
    state('inProgress', { handledBySelf: true }),
    { kind: 'update', note: '已联系物业' },
    community,
    { status: 'inProgress' },
  ],
  [
    'the only department resolves: resolved',
    state('inProgress', { dispatches: [d(7, 'checkedIn')] }),
    { kind: 'resolve', departmentId: 7, note: '已修复', photoCount: 1 },
    dept(7),
    { status: 'resolved', dispatchUpdates: [d(7, 'done')] },
  ],
  [
    'one of two resolves: still in progress',
    state('inProgress', { dispatches: [d(7, 'checkedIn'), d(8, 'checkedIn')] }),
    { kind: 'resolve', departmentId: 7, note: '已修复', photoCount: 2 },
    dept(7),
    { status: 'inProgress' },
  ],
  [
    'community resolves its own ticket',
    state('inProgress', { handledBySelf: true, dispatches: [d(7, 'done')] }),
    { kind: 'resolve', note: '已清理', photoCount: 1 },
    community,
    { status: 'resolved' },
  ],
  ['community confirms', state('resolved'), { kind: 'confirm' }, community, { status: 'confirmed' }],
  [
    'community sends it back to the departments that finished',
    state('resolved', { dispatches: [d(7, 'done'), d(8, 'returned')] }),
    { kind: 'sendBack', reason: '现场未处理到位' },
    community,
    { status: 'inProgress', dispatchUpdates: [d(7, 'checkedIn')] },
  ],
  [
    'satisfied: closed',
    state('confirmed'),
    { kind: 'rate', rating: 5, satisfied: true },
    reporter,
    { status: 'closed', outcome: 'satisfied' },
  ],
  [
    'unsatisfied: reopened to the same departments',
    state('confirmed', { dispatches: [d(7, 'done')] }),
    { kind: 'rate', rating: 2, satisfied: false },
    reporter,
    { status: 'inProgress', reopened: true, dispatchUpdates: [d(7, 'checkedIn')] },
  ],
  [
    'unsatisfied after the last reopen: closed unsatisfied',
    state('confirmed', { reopenCount: 2 }),
    { kind: 'rate', rating: 1, satisfied: false },
    reporter,
    { status: 'closed', outcome: 'unsatisfied', reopened: false },
  ],
  [
    'staff record a hotline caller’s answer',
    state('confirmed', { reporterHasAccount: false }),
    { kind: 'rate', rating: 4, satisfied: true },
    community,
    { status: 'closed', outcome: 'satisfied' },
  ],
  [
    'no answer in time: closed without rating',
    state('confirmed'),
    { kind: 'expireFollowUp' },
    system,
    { status: 'closed', outcome: 'noRating' },
  ],
  [
    'merge cancels the departments still working',
    state('inProgress', { dispatches: [d(7, 'checkedIn'), d(8, 'returned')] }),
    { kind: 'merge', intoTicketId: 99 },
    community,
    { status: 'merged', dispatchUpdates: [d(7, 'cancelled')] },
  ],
  [
    'supervisor supervises without moving it',
    state('whistled', { dispatches: [d(7, 'pending')] }),
    { kind: 'supervise', note: '请尽快报到' },
    supervisor,
    { status: 'whistled' },
  ],
  [
    'a checked-in department asks for more time on a complex matter',
    state('inProgress', { extendable: true, dispatches: [d(7, 'checkedIn')] }),
    { kind: 'requestExtension', reason: '需协调产权单位', departmentId: 7 },
    dept(7),
    { status: 'inProgress', extension: 'requested' },
  ],
  [
    'the community handling it itself asks for more time',
    state('inProgress', { extendable: true, handledBySelf: true }),
    { kind: 'requestExtension', reason: '需业主大会表决' },
    community,
    { status: 'inProgress', extension: 'requested' },
  ],
  [
    'a supervisor approves the extension',
    state('inProgress', { extendable: true, extension: 'requested' }),
    { kind: 'approveExtension' },
    supervisor,
    { status: 'inProgress', extension: 'granted' },
  ],
  [
    'a supervisor refuses the extension with a reason',
    state('whistled', { extendable: true, extension: 'requested', dispatches: [d(7, 'pending')] }),
    { kind: 'refuseExtension', reason: '工作量不大，请按期办结' },
    supervisor,
    { status: 'whistled', extension: 'refused' },
  ],
];

describe('ticket workflow', () => {
  it.each(legal)('%s', (_name, s, action, as, expected) => {
    expect(decide(s, action, as)).toMatchObject(expected);
  });

  // Every action is refused from every state it does not start from, whoever asks.
  const samples = new Map(legal.map(([, s, action, as]) => [action.kind, { s, action, as }]));
  const fromStates = new Map<string, Set<TicketStatus>>();
  for (const [, s, action] of legal) {
    const set = fromStates.get(action.kind) ?? new Set();
    set.add(s.status);
    fromStates.set(action.kind, set);
  }
  const illegalCases = [...samples.entries()].flatMap(([kind, { s, action, as }]) =>
    TICKET_STATUSES.filter((st) => !fromStates.get(kind)?.has(st)).map(
      (st) => [kind, st, { ...s, status: st }, action, as] as const,
    ),
  );

  it('refuses every move from a state it does not start from', () => {
    let legalElsewhere = 0;
    for (const [kind, st, s, action, as] of illegalCases) {
      let result: Decision | { code: string };
      try {
        result = decide(s, action, as);
      } catch (e) {
        result = { code: (e as AppError).code };
      }
      if ('status' in result) {
        // A few actions are legal from states the table above does not sample; they must be the
        // documented ones.
        legalElsewhere++;
        expect(
          [
            'reject:accepted',
            'refer:submitted',
            'transfer:submitted',
            'whistle:whistled',
            'checkIn:inProgress',
            'return:inProgress',
            'merge:submitted',
            'merge:accepted',
            'merge:whistled',
            'supervise:submitted',
            'supervise:accepted',
            'supervise:inProgress',
            'supervise:resolved',
            'supervise:confirmed',
            'requestExtension:accepted',
            'requestExtension:whistled',
            'approveExtension:accepted',
            'approveExtension:whistled',
            'refuseExtension:accepted',
            'refuseExtension:inProgress',
          ],
          `${kind} from ${st}`,
        ).toContain(`${kind}:${st}`);
      } else {
        expect(result.code, `${kind} from ${st}`).toBe('ticket.illegal_move');
      }
    }
    expect(legalElsewhere).toBeGreaterThan(0);
    // Closed, rejected, referred and merged tickets accept nothing at all.
    for (const st of ['closed', 'rejected', 'referred', 'merged'] as const) {
      for (const { s, action, as } of samples.values()) {
        expect(() => decide({ ...s, status: st }, action, as)).toThrow(AppError);
      }
    }
  });

  it('names the state and the move in the refusal', () => {
    expect(refusal(() => decide(state('closed'), { kind: 'accept' }, community))).toEqual({
      code: 'ticket.illegal_move',
      detail: '该诉求当前为“已关闭”，不能受理。',
    });
  });

  it('refuses the wrong party for each move', () => {
    const cases: [TicketState, TicketAction, ActingAs, string][] = [
      [state('submitted'), { kind: 'accept' }, dept(7), '“受理”应由社区操作。'],
      [state('submitted'), { kind: 'accept' }, reporter, '“受理”应由社区操作。'],
      [state('accepted'), { kind: 'whistle', departmentIds: [7] }, supervisor, '“吹哨”应由社区操作。'],
      [
        state('whistled', { dispatches: [d(7, 'pending')] }),
        { kind: 'checkIn', departmentId: 7 },
        dept(8),
        '“部门报到”应由被吹哨的部门操作。',
      ],
      [
        state('whistled', { dispatches: [d(7, 'pending')] }),
        { kind: 'checkIn', departmentId: 7 },
        community,
        '“部门报到”应由被吹哨的部门操作。',
      ],
      [
        state('inProgress', { dispatches: [d(7, 'checkedIn')] }),
        { kind: 'resolve', note: '好了', photoCount: 1 },
        community,
        '“办结”应由被吹哨的部门操作。',
      ],
      [
        state('confirmed'),
        { kind: 'rate', rating: 5, satisfied: true },
        community,
        '“回访评价”应由诉求人操作。',
      ],
      [state('confirmed'), { kind: 'expireFollowUp' }, community, '“超时未评价”应由系统操作。'],
      [
        state('inProgress'),
        { kind: 'supervise', note: '快' },
        community,
        '“督办”应由街道或区县督办人员操作。',
      ],
      [
        state('inProgress', { extendable: true, extension: 'requested', dispatches: [d(7, 'checkedIn')] }),
        { kind: 'approveExtension' },
        dept(7),
        '“批准延期”应由街道或区县督办人员操作。',
      ],
      [
        state('inProgress', { extendable: true, extension: 'requested', handledBySelf: true }),
        { kind: 'approveExtension' },
        community,
        '“批准延期”应由街道或区县督办人员操作。',
      ],
      [
        state('inProgress', { extendable: true, dispatches: [d(7, 'checkedIn')] }),
        { kind: 'requestExtension', reason: '复杂' },
        dept(7),
        '“申请延期”应由社区操作。',
      ],
    ];
    for (const [s, action, as, detail] of cases) {
      expect(refusal(() => decide(s, action, as))).toEqual({ code: 'ticket.wrong_party', detail });
    }
  });

  it('needs reasons, notes, evidence, departments and a sane rating', () => {
    const cases: [TicketState, TicketAction, ActingAs, string][] = [
      [state('submitted'), { kind: 'reject', reason: '  ' }, community, 'ticket.text_required'],
      [state('resolved'), { kind: 'sendBack', reason: '' }, community, 'ticket.text_required'],
      [
        state('whistled', { dispatches: [d(7, 'pending')] }),
        { kind: 'return', departmentId: 7, reason: '' },
        dept(7),
        'ticket.text_required',
      ],
      [
        state('inProgress', { dispatches: [d(7, 'checkedIn')] }),
        { kind: 'resolve', departmentId: 7, note: '已修复', photoCount: 0 },
        dept(7),
        'ticket.evidence_required',
      ],
      [state('accepted'), { kind: 'whistle', departmentIds: [] }, community, 'ticket.no_departments'],
      [
        state('inProgress', { dispatches: [d(7, 'checkedIn')] }),
        { kind: 'whistle', departmentIds: [7] },
        community,
        'ticket.already_whistled',
      ],
      [
        state('whistled', { dispatches: [d(7, 'pending')] }),
        { kind: 'checkIn', departmentId: 8 },
        dept(8),
        'ticket.dispatch_not_found',
      ],
      [
        state('inProgress', { dispatches: [d(7, 'checkedIn')] }),
        { kind: 'checkIn', departmentId: 7 },
        dept(7),
        'ticket.illegal_move',
      ],
      [
        state('inProgress', { handledBySelf: true, dispatches: [d(7, 'checkedIn')] }),
        { kind: 'resolve', note: '社区部分已完成', photoCount: 1 },
        community,
        'ticket.departments_working',
      ],
      [state('confirmed'), { kind: 'rate', rating: 6, satisfied: true }, reporter, 'ticket.bad_rating'],
      [state('confirmed'), { kind: 'rate', rating: 0, satisfied: false }, reporter, 'ticket.bad_rating'],
      [
        state('inProgress', { handledBySelf: true }),
        { kind: 'requestExtension', reason: '复杂' },
        community,
        'ticket.not_extendable',
      ],
      [
        state('inProgress', { handledBySelf: true, extendable: true, extension: 'refused' }),
        { kind: 'requestExtension', reason: '再申请一次' },
        community,
        'ticket.extension_once',
      ],
      [
        state('inProgress', { extendable: true, extension: 'granted', dispatches: [d(7, 'checkedIn')] }),
        { kind: 'requestExtension', reason: '再申请一次', departmentId: 7 },
        dept(7),
        'ticket.extension_once',
      ],
      [
        state('inProgress', { extendable: true, resolveOverdue: true, dispatches: [d(7, 'checkedIn')] }),
        { kind: 'requestExtension', reason: '来不及了', departmentId: 7 },
        dept(7),
        'ticket.extension_too_late',
      ],
      [
        state('whistled', { extendable: true, dispatches: [d(7, 'pending')] }),
        { kind: 'requestExtension', reason: '还没报到', departmentId: 7 },
        dept(7),
        'ticket.illegal_move',
      ],
      [
        state('inProgress', { extendable: true, dispatches: [d(7, 'checkedIn')] }),
        { kind: 'requestExtension', reason: '  ', departmentId: 7 },
        dept(7),
        'ticket.text_required',
      ],
      [
        state('inProgress', { extendable: true }),
        { kind: 'approveExtension' },
        supervisor,
        'ticket.no_extension_request',
      ],
      [
        state('inProgress', { extendable: true, extension: 'granted' }),
        { kind: 'refuseExtension', reason: '不批' },
        supervisor,
        'ticket.no_extension_request',
      ],
      [
        state('inProgress', { extension: 'requested' }),
        { kind: 'refuseExtension', reason: '' },
        supervisor,
        'ticket.text_required',
      ],
    ];
    for (const [s, action, as, code] of cases) {
      expect(refusal(() => decide(s, action, as)).code, JSON.stringify(action)).toBe(code);
    }
    expect(refusal(() => decide(state('submitted'), { kind: 'reject', reason: '' }, community)).detail).toBe(
      '请填写原因。',
    );
  });
});
