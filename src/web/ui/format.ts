/** Formatting shared by both apps. Times are shown in Asia/Shanghai whatever the device says. */

const parts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** 'YYYY-MM-DD HH:mm:ss' in Asia/Shanghai; '' for empty or invalid input. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p: Record<string, string> = {};
  for (const x of parts.formatToParts(d)) p[x.type] = x.value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** A short, readable device name from a User-Agent string. */
export function describeUserAgent(ua: string | null | undefined): string {
  if (!ua) return '—';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /MicroMessenger/i.test(ua)
      ? 'WeChat'
      : /Chrome\//.test(ua)
        ? 'Chrome'
        : /Firefox\//.test(ua)
          ? 'Firefox'
          : /Safari\//.test(ua)
            ? 'Safari'
            : '';
  const os = /iPhone|iPad/.test(ua)
    ? 'iOS'
    : /Android/.test(ua)
      ? 'Android'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : '';
  const s = [browser, os].filter(Boolean).join(' · ');
  return s || ua.slice(0, 40);
}

const shortParts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A short readable time in Asia/Shanghai: "11月26日 10:30" (en: "Nov 26 10:30"); the year is
 * added when it is not this year's ("2025年11月26日 10:30"). '' for empty or invalid input.
 */
export function formatShort(iso: string | null | undefined, lang: string, now: Date = new Date()): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p: Record<string, string> = {};
  for (const x of shortParts.formatToParts(d)) p[x.type] = x.value;
  let thisYear = '';
  for (const x of shortParts.formatToParts(now)) if (x.type === 'year') thisYear = x.value;
  const withYear = p.year !== thisYear;
  if (lang === 'en') {
    const m = MONTHS_EN[Number(p.month) - 1] ?? p.month;
    return `${m} ${p.day}${withYear ? `, ${p.year}` : ''} ${p.hour}:${p.minute}`;
  }
  return `${withYear ? `${p.year}年` : ''}${p.month}月${p.day}日 ${p.hour}:${p.minute}`;
}

/** Today's date in the city (YYYY-MM-DD), whatever the browser's time zone. */
export function todayInCity(now: Date = new Date()): string {
  return now.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
}
