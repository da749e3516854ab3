/**
 * Ticket (诉求) states, moves, channels and outcomes as plain constants, shared by the server's
 * workflow and the web. Without zod, so the web apps can import them as values
 * (contracts/tickets.ts builds zod schemas at load time, which would put zod into the phone
 * bundle); contracts/tickets.ts re-exports all of this. The workflow in
 * src/server/tickets/workflow.ts is the one place that decides which move is legal.
 */
export const TICKET_STATUSES = [
  'submitted',
  'accepted',
  'whistled',
  'inProgress',
  'resolved',
  'confirmed',
  'closed',
  'rejected',
  'referred',
  'merged',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** States in which a ticket still needs someone to act. */
export const OPEN_STATUSES: readonly TicketStatus[] = [
  'submitted',
  'accepted',
  'whistled',
  'inProgress',
  'resolved',
  'confirmed',
];

export const STATUS_LABELS: Record<TicketStatus, { zh: string; en: string }> = {
  submitted: { zh: '待受理', en: 'Awaiting acceptance' },
  accepted: { zh: '已受理', en: 'Accepted' },
  whistled: { zh: '已吹哨，待部门报到', en: 'Whistled, awaiting check-in' },
  inProgress: { zh: '处理中', en: 'In progress' },
  resolved: { zh: '已办结，待社区确认', en: 'Resolved, awaiting confirmation' },
  confirmed: { zh: '待回访评价', en: 'Awaiting your rating' },
  closed: { zh: '已关闭', en: 'Closed' },
  rejected: { zh: '不予受理', en: 'Rejected' },
  referred: { zh: '已转其他渠道', en: 'Referred elsewhere' },
  merged: { zh: '已合并', en: 'Merged' },
};

/** A department's part in a whistled ticket; `cancelled` when the ticket was merged away. */
export const DISPATCH_STATUSES = ['pending', 'checkedIn', 'returned', 'done', 'cancelled'] as const;
export type DispatchStatus = (typeof DISPATCH_STATUSES)[number];

export const TICKET_ACTIONS = [
  'accept',
  'reject',
  'refer',
  'transfer',
  'handleSelf',
  'whistle',
  'checkIn',
  'return',
  'update',
  'resolve',
  'confirm',
  'sendBack',
  'rate',
  'expireFollowUp',
  'merge',
  'supervise',
  'requestExtension',
  'approveExtension',
  'refuseExtension',
] as const;
export type TicketActionKind = (typeof TICKET_ACTIONS)[number];

export const ACTION_LABELS: Record<TicketActionKind, { zh: string; en: string }> = {
  accept: { zh: '受理', en: 'accept' },
  reject: { zh: '不予受理', en: 'reject' },
  refer: { zh: '转其他渠道', en: 'refer elsewhere' },
  transfer: { zh: '转交其他社区', en: 'transfer to another community' },
  handleSelf: { zh: '社区自办', en: 'handle in the community' },
  whistle: { zh: '吹哨', en: 'whistle' },
  checkIn: { zh: '部门报到', en: 'check in' },
  return: { zh: '退回', en: 'return' },
  update: { zh: '进展反馈', en: 'post an update' },
  resolve: { zh: '办结', en: 'resolve' },
  confirm: { zh: '确认办结', en: 'confirm' },
  sendBack: { zh: '退回重办', en: 'send back' },
  rate: { zh: '回访评价', en: 'rate' },
  expireFollowUp: { zh: '超时未评价', en: 'close without rating' },
  merge: { zh: '合并', en: 'merge' },
  supervise: { zh: '督办', en: 'supervise' },
  requestExtension: { zh: '申请延期', en: 'request an extension' },
  approveExtension: { zh: '批准延期', en: 'approve the extension' },
  refuseExtension: { zh: '不批准延期', en: 'refuse the extension' },
};

/** A complex matter's resolve limit may be extended once, with a supervisor's approval. */
export const EXTENSION_STATUSES = ['requested', 'granted', 'refused'] as const;
export type ExtensionStatus = (typeof EXTENSION_STATUSES)[number];

export const CHANNELS = ['app', 'hotline', 'patrol', 'staff', 'open311', 'kiosk'] as const;
export type Channel = (typeof CHANNELS)[number];

/** How a closed ticket ended, for the satisfaction rate. */
export const OUTCOMES = ['satisfied', 'unsatisfied', 'noRating'] as const;
export type Outcome = (typeof OUTCOMES)[number];
