/**
 * The limits of the responsibility list (受理, 报到, 办结, 延期) in their compact form: a whole
 * number and a unit, m / h / d (clock minutes, hours, days) or wm / wh / wd (working minutes,
 * hours, days): '2wh', '30m', '1wd', '24h', '7d', '15d'. The words mirror the server's
 * formatLimit (src/server/tickets/worktime.ts), so the console says what the API says.
 */

export type LimitUnit = 'm' | 'h' | 'd' | 'wm' | 'wh' | 'wd';
export type LimitKind = 'accept' | 'checkIn' | 'resolve' | 'extension';
export type LimitLang = 'zh-CN' | 'en';

export interface Limit {
  amount: number;
  unit: LimitUnit;
}

export interface Limits {
  accept: string;
  checkIn: string;
  resolve: string;
  extension: string | null;
}

/** Clock units, then working units, each from the smallest up: the order of the unit picker. */
export const CLOCK_UNITS: readonly LimitUnit[] = ['m', 'h', 'd'];
export const WORKING_UNITS: readonly LimitUnit[] = ['wm', 'wh', 'wd'];
export const LIMIT_KINDS: readonly LimitKind[] = ['accept', 'checkIn', 'resolve', 'extension'];
/** The contract's bounds (LimitCode): 1 to 9999. */
export const MAX_AMOUNT = 9999;

const CODE_RE = /^([1-9]\d{0,3})(wm|wh|wd|m|h|d)$/;

/** '2wh' → { amount: 2, unit: 'wh' }; null for anything the server would refuse. */
export function parseLimit(code: string | null | undefined): Limit | null {
  if (typeof code !== 'string') return null;
  const m = CODE_RE.exec(code.trim());
  if (!m) return null;
  return { amount: Number(m[1]), unit: m[2] as LimitUnit };
}

export const isLimitCode = (code: unknown): code is string =>
  typeof code === 'string' && parseLimit(code) !== null;

/** { amount: 2, unit: 'wh' } → '2wh'. */
export const limitCode = (l: Limit): string => `${l.amount}${l.unit}`;

const WORDS: Record<LimitUnit, { zh: string; pick: string; en: string }> = {
  m: { zh: '分钟', pick: '分钟', en: 'minute' },
  h: { zh: '小时', pick: '小时', en: 'hour' },
  d: { zh: '天', pick: '天', en: 'day' },
  wm: { zh: '个工作分钟', pick: '工作分钟', en: 'working minute' },
  wh: { zh: '个工作小时', pick: '工作小时', en: 'working hour' },
  wd: { zh: '个工作日', pick: '工作日', en: 'working day' },
};

/** The unit as a picker shows it: '工作小时' / 'working hours'. */
export function unitLabel(unit: LimitUnit, lang: LimitLang): string {
  return lang === 'en' ? `${WORDS[unit].en}s` : WORDS[unit].pick;
}

export const isWorkingUnit = (unit: LimitUnit) => WORKING_UNITS.includes(unit);

/** '2wh' → '2 个工作小时' / '2 working hours'; a code that cannot be read is shown as it is. */
export function formatLimit(code: string, lang: LimitLang): string {
  const l = parseLimit(code);
  if (!l) return code;
  const w = WORDS[l.unit];
  if (lang === 'en') return `${l.amount} ${w.en}${l.amount === 1 ? '' : 's'}`;
  return `${l.amount} ${w.zh}`;
}

const PHRASE: Record<LimitKind, { zh: string; en: string }> = {
  accept: { zh: '受理', en: 'accept within' },
  checkIn: { zh: '报到', en: 'check in within' },
  resolve: { zh: '办结', en: 'resolve within' },
  extension: { zh: '可延期', en: 'extendable by' },
};

/**
 * One limit in words: '受理 2 个工作小时', '可延期 15 天'; a missing extension is '不可延期'
 * ('not extendable').
 */
export function limitPhrase(kind: LimitKind, code: string | null, lang: LimitLang): string {
  if (code === null || code === '') {
    if (kind === 'extension') return lang === 'en' ? 'not extendable' : '不可延期';
    return lang === 'en' ? `${PHRASE[kind].en} —` : `${PHRASE[kind].zh} —`;
  }
  const p = PHRASE[kind];
  return `${lang === 'en' ? p.en : p.zh} ${formatLimit(code, lang)}`;
}

/** All four: '受理 2 个工作小时，报到 1 个工作日，办结 7 天，可延期 15 天'. */
export function describeLimits(limits: Limits, lang: LimitLang): string {
  return LIMIT_KINDS.map((k) => limitPhrase(k, limits[k], lang)).join(lang === 'en' ? ', ' : '，');
}
