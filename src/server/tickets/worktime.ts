// The official table is read from the package's JSON rather than through its isWorkday(): in 1.5.7
// that function builds and queries its table with the process's local-time Date methods, so on a
// machine west of UTC it shifts days (2026-10-12, a Monday, comes back as a holiday under
// TZ=America/New_York). The JSON is the same table, documented in the package's README, and keyed by
// plain dates, so this module answers the same whatever TZ the server runs in.
import official from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

/**
 * Ticket deadlines in working time (工作时间), for limits like the 12345 hotline's "accept within 2
 * working hours" or "resolve within 15 days".
 *
 * All wall-clock reasoning is in Asia/Shanghai, which is a fixed UTC+8 (no DST since 1991), so the
 * arithmetic is done on UTC milliseconds shifted by 8 h and never touches the host's time zone.
 *
 * Semantics, by unit:
 * - minutes / hours / days: plain elapsed time; a day is 24 h, holidays do not matter. `fraction`
 *   scales the duration (0.8 gives the warning point).
 * - workingMinutes / workingHours: only time inside the schedule's periods on workdays counts. The
 *   result is the earliest instant by which that much working time has passed since `start`. So a
 *   start outside working time starts counting at the next period start, and a limit used up exactly
 *   at a period end gives that period end (18:00), not the next period start (08:30 next workday).
 *   A zero amount gives `start` itself.
 * - workingDays: n working days are n × (working minutes of one full schedule day) of working time,
 *   counted as above. With the default 7-hour day: received Friday 10:00, 1 working day is due on the
 *   next workday at 10:00; received Saturday, counting starts Monday 08:30 and ends Monday 18:00.
 *   `fraction` scales the working minutes.
 *
 * Workdays follow the State Council's holiday and make-up-workday (调休) calendar as shipped by
 * chinese-days, with weekends as the fallback for years it does not know yet (see `covers`), and
 * admin overrides winning over both.
 */

export type LimitUnit = 'minutes' | 'hours' | 'days' | 'workingMinutes' | 'workingHours' | 'workingDays';
export interface Limit {
  amount: number;
  unit: LimitUnit;
}
/** An admin's correction of the official calendar for one Shanghai date (YYYY-MM-DD). */
export interface DayOverride {
  date: string;
  workday: boolean;
  note?: string;
}
/** Working periods of a workday, Shanghai wall clock 'HH:MM'; '24:00' may end the last one. */
export interface WorkSchedule {
  periods: [start: string, end: string][];
}
export interface WorkCalendar {
  isWorkday(date: string): boolean;
  /** Whether the official holidays of that year are known, so a UI can warn before relying on it. */
  covers(year: number): boolean;
  schedule: WorkSchedule;
}

export const DEFAULT_SCHEDULE: WorkSchedule = {
  periods: [
    ['08:30', '12:00'],
    ['14:30', '18:00'],
  ],
};

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;
/** A calendar with no workdays (or an absurd limit) must fail rather than spin. */
const MAX_SCAN_DAYS = 3 * 366;

const OFFICIAL_HOLIDAYS: Readonly<Record<string, string>> = official.holidays;
const OFFICIAL_WORKDAYS: Readonly<Record<string, string>> = official.workdays;
// Years are taken from holidays only: a year's make-up workday can fall late in the year before
// (e.g. 2011-12-31 for New Year 2012), which says nothing about that earlier year's own holidays.
const OFFICIAL_YEARS: ReadonlySet<number> = new Set(
  Object.keys(OFFICIAL_HOLIDAYS).map((d) => Number(d.slice(0, 4))),
);

const UNITS: Record<LimitUnit, { code: string; ms: number; working: boolean }> = {
  minutes: { code: 'm', ms: MINUTE_MS, working: false },
  hours: { code: 'h', ms: HOUR_MS, working: false },
  days: { code: 'd', ms: DAY_MS, working: false },
  workingMinutes: { code: 'wm', ms: MINUTE_MS, working: true },
  workingHours: { code: 'wh', ms: HOUR_MS, working: true },
  // Its length depends on the schedule; see workingMs.
  workingDays: { code: 'wd', ms: 0, working: true },
};
const UNIT_BY_CODE = new Map(Object.entries(UNITS).map(([unit, u]) => [u.code, unit as LimitUnit]));

/** 'YYYY-MM-DD' of the instant in Asia/Shanghai. */
export function shanghaiDate(t: Date): string {
  return dateOfDay(dayIndex(instantMs(t, 'date')));
}

/**
 * A calendar: overrides first, then the official table, then Monday–Friday. Validates everything up
 * front so that a bad override or schedule from the database fails loudly when loaded, not when a
 * deadline is first computed.
 */
export function workCalendar(
  overrides: DayOverride[] = [],
  schedule: WorkSchedule = DEFAULT_SCHEDULE,
): WorkCalendar {
  parseSchedule(schedule);
  const byDate = new Map<string, boolean>();
  for (const o of overrides) {
    checkDate(o.date, 'override date');
    if (typeof o.workday !== 'boolean')
      throw new TypeError(`Override ${o.date}: workday must be true or false`);
    const seen = byDate.get(o.date);
    if (seen !== undefined && seen !== o.workday) {
      throw new RangeError(`Overrides contradict each other for ${o.date}`);
    }
    byDate.set(o.date, o.workday);
  }
  const overrideYears = new Set([...byDate.keys()].map((d) => Number(d.slice(0, 4))));
  return {
    isWorkday(date: string): boolean {
      checkDate(date, 'date');
      const override = byDate.get(date);
      if (override !== undefined) return override;
      if (OFFICIAL_WORKDAYS[date] !== undefined) return true;
      if (OFFICIAL_HOLIDAYS[date] !== undefined) return false;
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
      return weekday >= 1 && weekday <= 5;
    },
    // Any override in a year counts: before the State Council publishes, admins enter that year's
    // holidays by hand, and the warning should go once they have started doing so.
    covers: (year: number) => OFFICIAL_YEARS.has(year) || overrideYears.has(year),
    schedule: { periods: schedule.periods.map(([s, e]) => [s, e]) },
  };
}

/**
 * The instant at which `limit` (times `fraction`) runs out for something started at `start`; see the
 * module comment for each unit. Throws if the working time cannot be found within 3 years of calendar
 * days, which only a calendar without workdays or an unreasonable limit can cause.
 */
export function addLimit(cal: WorkCalendar, start: Date, limit: Limit, fraction = 1): Date {
  const from = instantMs(start, 'start');
  checkLimit(limit);
  if (!Number.isFinite(fraction) || fraction < 0) {
    throw new RangeError(`Fraction must be a finite number >= 0, got ${fraction}`);
  }
  const unit = UNITS[limit.unit];
  if (!unit.working) return new Date(from + Math.round(limit.amount * unit.ms * fraction));
  const periods = parseSchedule(cal.schedule);
  return new Date(addWorkingMs(cal, periods, from, workingMs(limit, periods) * fraction));
}

/**
 * Working minutes between two instants under the calendar: the inverse of addLimit for working
 * units. Fractional when the instants carry seconds; negative when b is before a, so "time used" is
 * still meaningful if clocks disagree.
 */
export function workingMinutesBetween(cal: WorkCalendar, a: Date, b: Date): number {
  const from = instantMs(a, 'a');
  const to = instantMs(b, 'b');
  if (to < from) return -workingMinutesBetween(cal, b, a);
  const periods = parseSchedule(cal.schedule);
  let total = 0;
  // One step per calendar day: spans are at most months in practice, so there is no bound here.
  for (let day = dayIndex(from); day <= dayIndex(to); day++) {
    if (!cal.isWorkday(dateOfDay(day))) continue;
    const base = day * DAY_MS - SHANGHAI_OFFSET_MS;
    for (const [s, e] of periods) {
      const overlap = Math.min(to, base + e) - Math.max(from, base + s);
      if (overlap > 0) total += overlap;
    }
  }
  return total / MINUTE_MS;
}

/** Parses the compact form stored with responsibility items: '2wh', '30m', '1wd', '24h', '7d', '90wm'. */
export function parseLimit(s: string): Limit {
  const m = /^(\d+)(wm|wh|wd|m|h|d)$/.exec(typeof s === 'string' ? s.trim() : '');
  const unit = m?.[2] === undefined ? undefined : UNIT_BY_CODE.get(m[2]);
  const amount = Number(m?.[1]);
  if (unit === undefined || !Number.isSafeInteger(amount)) {
    throw new RangeError(
      `Malformed limit ${JSON.stringify(s)}: expected a whole number and a unit ` +
        "m, h, d, wm, wh or wd (working minutes/hours/days), like '2wh' or '15d'",
    );
  }
  return { amount, unit };
}

/** The compact form parseLimit reads, for storing a limit built in code. */
export function limitCode(l: Limit): string {
  checkLimit(l);
  return `${l.amount}${UNITS[l.unit].code}`;
}

const LABELS: Record<LimitUnit, { zh: string; en: string }> = {
  minutes: { zh: '分钟', en: 'minute' },
  hours: { zh: '小时', en: 'hour' },
  days: { zh: '天', en: 'day' },
  workingMinutes: { zh: '个工作分钟', en: 'working minute' },
  workingHours: { zh: '个工作小时', en: 'working hour' },
  workingDays: { zh: '个工作日', en: 'working day' },
};

/** '2 个工作小时' / '2 working hours', '7 天' / '7 days'. */
export function formatLimit(l: Limit, locale: 'zh-CN' | 'en'): string {
  checkLimit(l);
  const label = LABELS[l.unit];
  if (locale === 'zh-CN') return `${l.amount} ${label.zh}`;
  return `${l.amount} ${label.en}${l.amount === 1 ? '' : 's'}`;
}

// --- internals ---

type Periods = readonly (readonly [startMs: number, endMs: number])[];

function addWorkingMs(cal: WorkCalendar, periods: Periods, from: number, amountMs: number): number {
  let remaining = Math.round(amountMs);
  if (remaining === 0) return from;
  const firstDay = dayIndex(from);
  // Steps a day (and within it a period) at a time, so 15 working days cost about 20 iterations.
  for (let day = firstDay; day <= firstDay + MAX_SCAN_DAYS; day++) {
    if (!cal.isWorkday(dateOfDay(day))) continue;
    const base = day * DAY_MS - SHANGHAI_OFFSET_MS;
    for (const [s, e] of periods) {
      const begin = Math.max(from, base + s);
      const available = base + e - begin;
      if (available <= 0) continue;
      // `<=` rather than `<`: time used up exactly at a period end stays at that period end.
      if (remaining <= available) return begin + remaining;
      remaining -= available;
    }
  }
  throw new RangeError(
    `Working time not found within ${MAX_SCAN_DAYS} days of ${shanghaiDate(new Date(from))}: ` +
      'does the calendar have workdays, and is the limit reasonable?',
  );
}

function workingMs(limit: Limit, periods: Periods): number {
  if (limit.unit !== 'workingDays') return limit.amount * UNITS[limit.unit].ms;
  return limit.amount * periods.reduce((sum, [s, e]) => sum + (e - s), 0);
}

function checkLimit(l: Limit): void {
  if (l === null || typeof l !== 'object' || !Object.hasOwn(UNITS, l.unit)) {
    throw new RangeError(
      `Unknown limit unit ${JSON.stringify(l?.unit)}; expected one of ${Object.keys(UNITS).join(', ')}`,
    );
  }
  if (typeof l.amount !== 'number' || !Number.isFinite(l.amount) || l.amount < 0) {
    throw new RangeError(`Limit amount must be a finite number >= 0, got ${String(l.amount)}`);
  }
}

/** Periods as offsets from Shanghai midnight, checked: well-formed, non-empty, ordered, disjoint. */
function parseSchedule(schedule: WorkSchedule): Periods {
  const periods = schedule?.periods;
  if (!Array.isArray(periods) || periods.length === 0) {
    throw new RangeError('A work schedule needs at least one period');
  }
  const out: [number, number][] = [];
  for (const p of periods) {
    const shown = JSON.stringify(p);
    if (!Array.isArray(p) || p.length !== 2)
      throw new RangeError(`Malformed period ${shown}: expected [start, end]`);
    const start = clockMs(p[0], false, shown);
    const end = clockMs(p[1], true, shown);
    if (end <= start) throw new RangeError(`Period ${shown} must end after it starts`);
    const previous = out.at(-1);
    // Touching periods are allowed; they simply behave as one.
    if (previous !== undefined && start < previous[1]) {
      throw new RangeError(`Period ${shown} overlaps or precedes the one before it; list periods in order`);
    }
    out.push([start, end]);
  }
  return out;
}

function clockMs(hhmm: unknown, isEnd: boolean, shown: string): number {
  const m = typeof hhmm === 'string' ? /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm) : null;
  if (m === null) {
    if (isEnd && hhmm === '24:00') return DAY_MS;
    throw new RangeError(
      `Malformed period ${shown}: times must be 'HH:MM' (00:00–23:59, or 24:00 as an end)`,
    );
  }
  return Number(m[1]) * HOUR_MS + Number(m[2]) * MINUTE_MS;
}

function checkDate(date: string, what: string): void {
  const ok =
    typeof date === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(date) &&
    // Round-tripping rejects dates like 2026-02-30 that Date would roll over.
    !Number.isNaN(Date.parse(date)) &&
    new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date;
  if (!ok)
    throw new RangeError(`Malformed ${what} ${JSON.stringify(date)}: expected an existing YYYY-MM-DD date`);
}

function instantMs(t: Date, what: string): number {
  const ms = t instanceof Date ? t.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`${what} must be a valid Date`);
  return ms;
}

/** Days since 1970-01-01 in Shanghai. */
function dayIndex(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS);
}

function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
