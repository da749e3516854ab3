import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ACTION_LABELS, STATUS_LABELS, TICKET_ACTIONS, TICKET_STATUSES } from '../../contracts/tickets.ts';
import { formatShort, todayInCity } from '../ui/format.ts';
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

describe('audit log labels', () => {
  // Every action the server writes to the audit log is named in words on the audit page.
  it('cover every audit action in the server code', () => {
    const root = fileURLToPath(new URL('../../server', import.meta.url));
    const files = fs
      .readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const actions = new Set<string>();
    for (const f of files) {
      const text = fs.readFileSync(path.join(root, f), 'utf8');
      for (const m of text.matchAll(/action: (?:\w+ \? )?'([a-z0-9_.]+)'(?: : '([a-z0-9_.]+)')?/gi))
        for (const a of [m[1], m[2]]) if (a) actions.add(a);
      // Ticket moves are audited as `ticket.<move>`.
      if (/action: `ticket\.\$\{body\.kind\}`/.test(text))
        for (const k of TICKET_ACTIONS) if (k !== 'expireFollowUp') actions.add(`ticket.${k}`);
      // Party organisations' steps are audited as `party.org.<event>`.
      // Service records' verification is audited as `service.record.<decision>`.
      if (/action: `service\.record\.\$\{input\.decision\}`/.test(text))
        for (const k of ['approve', 'adjust', 'decline']) actions.add(`service.record.${k}`);
      if (/action: `party\.org\.\$\{kind\}`/.test(text))
        for (const k of ['created', 'renamed', 'compoundsChanged', 'merged', 'absorbed', 'dissolved'])
          actions.add(`party.org.${k}`);
    }
    expect(actions.size).toBeGreaterThan(30);
    const missing = [...actions].filter((a) => !(a.replace(/\./g, '_') in zh.audit.actions));
    expect(missing).toEqual([]);
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

describe('todayInCity', () => {
  it('is the date in Asia/Shanghai, not the browser’s', () => {
    expect(todayInCity(new Date('2026-11-25T15:59:00Z'))).toBe('2026-11-25');
    expect(todayInCity(new Date('2026-11-25T16:00:00Z'))).toBe('2026-11-26');
  });
});
