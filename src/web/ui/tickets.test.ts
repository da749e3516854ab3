import i18next, { type TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import type { DispatchView, ResponsibilityItemView, TicketEventView } from '../api/index.ts';
import { zh } from '../i18n/zh.ts';
import {
  dueOf,
  eventLabel,
  groupItems,
  newIdempotencyKey,
  photoProblem,
  whistledDepartments,
} from './tickets.ts';

const t = ((key: string, o?: Record<string, unknown>) =>
  `${key}${o ? JSON.stringify(o) : ''}`) as unknown as TFunction;

const item = (id: number, name: string, categoryCode: string, categoryName: string) =>
  ({
    id,
    name,
    categoryCode,
    categoryName,
    description: `${name}的说明`,
    keywords: id === 3 ? ['坑洼'] : [],
  }) as ResponsibilityItemView;

describe('ticket helpers', () => {
  it('groups items by category in list order and filters by words', () => {
    const items = [
      item(1, '路灯不亮', 'C02', '市政'),
      item(2, '楼道杂物', 'C01', '环境'),
      item(3, '道路破损', 'C02', '市政'),
    ];
    expect(groupItems(items).map((g) => [g.code, g.items.map((i) => i.id)])).toEqual([
      ['C02', [1, 3]],
      ['C01', [2]],
    ]);
    expect(groupItems(items, ' 路灯 ').map((g) => g.items.map((i) => i.id))).toEqual([[1]]);
    expect(groupItems(items, '环境').map((g) => g.items.map((i) => i.id))).toEqual([[2]]);
    // Residents' own words find the item too.
    expect(groupItems(items, '坑洼').map((g) => g.items.map((i) => i.id))).toEqual([[3]]);
  });

  it('names the deadline that matters now', () => {
    const base = { acceptDueAt: 'A', resolveDueAt: 'R' };
    expect(dueOf({ ...base, status: 'submitted' })).toBe('A');
    expect(dueOf({ ...base, status: 'inProgress' })).toBe('R');
    expect(dueOf({ ...base, status: 'closed' })).toBeNull();
  });

  it('finds the departments a whistle called on by its time', () => {
    const at = '2026-11-27T03:50:00.000Z';
    const d = (departmentName: string, whistledAt: string) =>
      ({ departmentName, whistledAt }) as DispatchView;
    const e = { kind: 'whistle', at } as TicketEventView;
    expect(whistledDepartments(e, [d('城管局', at), d('住建局', '2026-11-28T00:00:00.000Z')])).toEqual([
      '城管局',
    ]);
    expect(whistledDepartments({ ...e, kind: 'accept' }, [d('城管局', at)])).toEqual([]);
    // When the event names them, those names win (a re-whistled department shows at each whistle).
    const named = { ...e, details: { departmentNames: ['住建局'] } } as TicketEventView;
    expect(whistledDepartments(named, [d('城管局', at)])).toEqual(['住建局']);
  });

  it('refuses what is not a photo or too large, before uploading', () => {
    expect(photoProblem(t, { name: 'a.jpg', type: 'image/jpeg', size: 1000 })).toBeNull();
    expect(photoProblem(t, { name: 'a.heic', type: 'image/heic', size: 1000 })).toContain('ticket.photoType');
    expect(photoProblem(t, { name: 'b.png', type: 'image/png', size: 11 * 1024 * 1024 })).toContain(
      'ticket.photoSize',
    );
  });

  it('makes a new idempotency key each time', () => {
    const a = newIdempotencyKey();
    expect(a.length).toBeGreaterThanOrEqual(8);
    expect(newIdempotencyKey()).not.toBe(a);
  });
});

describe('eventLabel', () => {
  const zhT = (() => {
    const i = i18next.createInstance();
    void i.init({
      resources: { 'zh-CN': { translation: zh } },
      lng: 'zh-CN',
      initAsync: false,
      interpolation: { escapeValue: false },
    });
    return i.t.bind(i) as TFunction;
  })();
  it('names moves, "+1" and the deadline sweep marks in words, never by code', () => {
    expect(eventLabel(zhT, { kind: 'accept' })).toBe('社区已受理');
    expect(eventLabel(zhT, { kind: 'plusOne' })).toBe('又有居民反映了同一问题（+1）');
    expect(eventLabel(zhT, { kind: 'approveExtension' })).toBe('延期已批准，办理时限已延长');
    expect(eventLabel(zhT, { kind: 'warn', details: { deadline: 'resolve' } })).toBe('办结时限即将到期');
    expect(eventLabel(zhT, { kind: 'overdue', details: { deadline: 'checkIn' } })).toBe('部门报到时限已超时');
    expect(
      eventLabel(zhT, { kind: 'overdue', details: { deadline: 'accept', escalatedTo: 'township' } }),
    ).toBe('受理时限已超时，已提请街道（乡镇）督办');
    expect(eventLabel(zhT, { kind: 'escalate', details: { escalatedTo: 'county' } })).toBe(
      '仍未办结，已提请县（区）督办',
    );
  });
});
