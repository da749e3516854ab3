/** The service domain's fixed vocabularies (plain constants, safe for the web bundle). */

/** 服务岗位类别: environment, care for the elderly and children, safety patrols, civility, policy outreach, health, mediation, youth, other. */
export const SERVICE_KINDS = [
  'environment',
  'care',
  'safety',
  'civility',
  'policy',
  'health',
  'mediation',
  'youth',
  'other',
] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** A post takes claims while open; closing it keeps its slots and records. */
export const POST_STATUSES = ['open', 'closed'] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

/** A slot can be called off (its claims are then cancelled; nothing already recorded is touched). */
export const SLOT_STATUSES = ['open', 'cancelled'] as const;
export type SlotStatus = (typeof SLOT_STATUSES)[number];

/** A claim holds a place, or waits for one (in order) when the slot is full. */
export const CLAIM_STATUSES = ['claimed', 'waitlisted', 'cancelled'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/**
 * How attendance was taken: the organiser's rotating QR (scanned, or its digits typed), a
 * single-use hour code printed for the event, or entered by the organiser.
 */
export const RECORD_METHODS = ['qr', 'code', 'organiser'] as const;
export type RecordMethod = (typeof RECORD_METHODS)[number];

/** A service record: on post (checked in), awaiting the organiser, approved (points posted), declined. */
export const RECORD_STATUSES = ['onDuty', 'pending', 'approved', 'declined'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

/** Who an annual target applies to (default: in-service cadres at section level and below). */
export const TARGET_GROUPS = ['inServiceCadre', 'inService', 'all'] as const;
export type TargetGroup = (typeof TARGET_GROUPS)[number];

/** The default annual target: at least 4 times and 20 hours a year. */
export const DEFAULT_TARGET = { minTimes: 4, minHours: 20 } as const;

/** Claims may be cancelled until this many hours before the slot starts, unless the post says otherwise. */
export const DEFAULT_CANCEL_HOURS = 12;

/** The organiser's QR changes this often; a code is accepted in its own window and the one before. */
export const QR_WINDOW_SECONDS = 30;
/** Check-in opens this long before a slot starts; check-out closes this long after it ends. */
export const CHECK_IN_EARLY_MINUTES = 30;
export const CHECK_OUT_LATE_MINUTES = 60;
