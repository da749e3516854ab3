/**
 * Resident identity card numbers (公民身份号码, GB 11643-1999): 6 digits of the place of first
 * registration, 8 of the birth date, 3 of sequence (odd for men, even for women) and a check
 * character from ISO 7064 MOD 11-2 ('X' stands for 10).
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = '10X98765432';

/** Province-level codes (GB/T 2260), the first two digits of every valid number. */
const PROVINCES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
]);

export type IdNumberProblem = 'length' | 'legacy15' | 'chars' | 'region' | 'birthDate' | 'checksum';

export type IdNumberResult =
  | { ok: true; value: string; birthDate: string; sex: 'male' | 'female' }
  | { ok: false; problem: IdNumberProblem };

/** The check character of the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] as number);
  return CHECK[sum % 11] as string;
}

/**
 * Validates a number as typed (spaces dropped, a lower-case x accepted) and reads the birth date
 * and sex it encodes. `today` (YYYY-MM-DD) bounds the birth date.
 */
export function parseIdNumber(input: string, today: string): IdNumberResult {
  const v = input.replace(/\s+/g, '').toUpperCase();
  if (v.length === 15 && /^\d{15}$/.test(v)) return { ok: false, problem: 'legacy15' };
  if (v.length !== 18) return { ok: false, problem: 'length' };
  if (!/^\d{17}[\dX]$/.test(v)) return { ok: false, problem: 'chars' };
  if (!PROVINCES.has(v.slice(0, 2))) return { ok: false, problem: 'region' };
  const y = Number(v.slice(6, 10));
  const m = Number(v.slice(10, 12));
  const d = Number(v.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  const birthDate = `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`;
  if (
    y < 1900 ||
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== m - 1 ||
    date.getUTCDate() !== d ||
    birthDate > today
  )
    return { ok: false, problem: 'birthDate' };
  if (idCheckChar(v) !== v[17]) return { ok: false, problem: 'checksum' };
  return { ok: true, value: v, birthDate, sex: Number(v[16]) % 2 === 1 ? 'male' : 'female' };
}

/** 14020219800101123X → 1402**********123X: the place and the last four, as on printed lists. */
export function maskIdNumber(v: string): string {
  if (v.length < 8) return '*'.repeat(v.length);
  return `${v.slice(0, 4)}${'*'.repeat(v.length - 8)}${v.slice(-4)}`;
}

/** A valid number for invented people (demo data, tests): place, birth date, sequence, check. */
export function makeIdNumber(place6: string, birth: string, seq: number, sex: 'male' | 'female'): string {
  // The sequence's last digit carries the sex: odd for men, even for women.
  const s = seq % 1000;
  const n = sex === 'male' ? (s % 2 === 1 ? s : (s + 1) % 1000) : s % 2 === 0 ? s : (s + 1) % 1000;
  const first17 = `${place6}${birth.replaceAll('-', '')}${String(n).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}
