import { describe, expect, it } from 'vitest';
import { ACTION_LABELS, STATUS_LABELS, TICKET_ACTIONS, TICKET_STATUSES } from '../../contracts/tickets.ts';
import { formatShort } from '../ui/format.ts';
import { en } from './en.ts';
import { zh } from './zh.ts';

type Tree = { [k: string]: string | Tree };
const keys = (t: Tree, prefix = ''): string[] =>
  Object.entries(t).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keys(v, `${prefix}${k}.`)));

describe('UI strings', () => {
  it('en has exactly the keys of zh', () => {
    expect(keys(en as Tree).sort()).toEqual(keys(zh as Tree).sort());
  });

  // The web mirrors the contracts' labels rather than importing them: contracts/tickets.ts
  // builds zod schemas at load time, which would put zod into the phone bundle.
  it('ticket status and action labels are those of the contracts', () => {
    for (const s of TICKET_STATUSES) {
      expect(zh.ticket.status[s]).toBe(STATUS_LABELS[s].zh);
      expect(en.ticket.status[s]).toBe(STATUS_LABELS[s].en);
    }
    for (const a of TICKET_ACTIONS) {
      expect(zh.ticket.action[a]).toBe(ACTION_LABELS[a].zh);
      expect(en.ticket.action[a].toLowerCase()).toBe(ACTION_LABELS[a].en);
    }
  });
});

describe('formatShort', () => {
  const now = new Date('2026-11-26T08:00:00Z');
  it('shows month, day and time in Asia/Shanghai', () => {
    expect(formatShort('2026-11-26T02:30:00Z', 'zh-CN', now)).toBe('11月26日 10:30');
    expect(formatShort('2026-11-26T02:30:00Z', 'en', now)).toBe('Nov 26 10:30');
    // 23:30 UTC is already the next day in Shanghai
    expect(formatShort('2026-11-25T23:30:00Z', 'zh-CN', now)).toBe('11月26日 07:30');
  });
  it('adds the year when it is not this year', () => {
    expect(formatShort('2025-01-02T01:05:00Z', 'zh-CN', now)).toBe('2025年1月2日 09:05');
    expect(formatShort('2025-01-02T01:05:00Z', 'en', now)).toBe('Jan 2, 2025 09:05');
  });
  it('is empty for nothing', () => {
    expect(formatShort(null, 'zh-CN')).toBe('');
    expect(formatShort('nonsense', 'zh-CN')).toBe('');
  });
});
