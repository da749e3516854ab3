import { describe, expect, it } from 'vitest';
import { DEPARTMENT_TYPES, departmentTypeName } from '../geo/department-types.ts';
import { RESPONSIBILITY_CATEGORIES, RESPONSIBILITY_ITEMS, RESPONSIBILITY_LIST_VERSION } from './catalogue.ts';
import { LABELLED_TICKETS } from './labelled-tickets.ts';

const LIMIT = /^\d+(m|h|d|wm|wh|wd)$/;

const KEPT_TYPES: readonly (readonly [string, string])[] = [
  ['cityManagement', '城市管理局'],
  ['housing', '住房和城乡建设局'],
  ['market', '市场监督管理局'],
  ['environment', '生态环境分局'],
  ['naturalResources', '自然资源分局'],
  ['agriculture', '农业农村局'],
  ['water', '水务局'],
  ['heating', '供热公司'],
  ['power', '供电公司'],
  ['gas', '燃气公司'],
  ['police', '公安分局'],
  ['civilAffairs', '民政局'],
  ['health', '卫生健康局'],
  ['education', '教育局'],
  ['cultureTourism', '文化和旅游局'],
  ['transport', '交通运输局'],
  ['emergency', '应急管理局'],
];

describe('department types', () => {
  it('has at least 40 types with unique codes and names', () => {
    expect(DEPARTMENT_TYPES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(DEPARTMENT_TYPES.map((d) => d.type)).size).toBe(DEPARTMENT_TYPES.length);
    expect(new Set(DEPARTMENT_TYPES.map((d) => d.name)).size).toBe(DEPARTMENT_TYPES.length);
    for (const d of DEPARTMENT_TYPES) {
      expect(d.type).toMatch(/^[a-z][a-zA-Z]*$/);
      expect(['department', 'utility', 'agency']).toContain(d.kind);
    }
  });

  it('keeps the codes and names other code relies on', () => {
    for (const [type, name] of KEPT_TYPES) expect(departmentTypeName(type), type).toBe(name);
    expect(departmentTypeName('noSuchType')).toBeUndefined();
  });
});

describe('responsibility list', () => {
  const categoryCodes = new Set(RESPONSIBILITY_CATEGORIES.map((c) => c.code));
  const itemCodes = new Set(RESPONSIBILITY_ITEMS.map((i) => i.code));

  it('has a version, 13 categories and 81 items with unique codes', () => {
    expect(RESPONSIBILITY_LIST_VERSION).toBe('2026-1');
    expect(RESPONSIBILITY_CATEGORIES).toHaveLength(13);
    expect(categoryCodes.size).toBe(13);
    expect(RESPONSIBILITY_ITEMS).toHaveLength(81);
    expect(itemCodes.size).toBe(81);
    expect(new Set(RESPONSIBILITY_ITEMS.map((i) => i.name)).size).toBe(81);
  });

  it('codes each item under an existing category', () => {
    for (const item of RESPONSIBILITY_ITEMS) {
      expect(categoryCodes.has(item.categoryCode), item.code).toBe(true);
      expect(item.code.startsWith(`${item.categoryCode}-`), item.code).toBe(true);
      expect(item.code).toMatch(/^C\d{2}-\d{2}$/);
    }
  });

  it('names a department type exactly for department items', () => {
    for (const item of RESPONSIBILITY_ITEMS) {
      if (item.handlerLevel === 'department') {
        expect(item.departmentType, item.code).not.toBeNull();
        expect(departmentTypeName(item.departmentType ?? ''), item.code).toBeDefined();
      } else {
        expect(['community', 'township'], item.code).toContain(item.handlerLevel);
        expect(item.departmentType, item.code).toBeNull();
      }
    }
  });

  it('has limits in the compact syntax, names, descriptions and 8 to 20 unique keywords', () => {
    for (const item of RESPONSIBILITY_ITEMS) {
      for (const limit of [item.limits.accept, item.limits.checkIn, item.limits.resolve]) {
        expect(limit, item.code).toMatch(LIMIT);
      }
      expect(item.name.length, item.code).toBeGreaterThan(0);
      expect(item.description.length, item.code).toBeGreaterThan(0);
      expect(item.keywords.length, item.code).toBeGreaterThanOrEqual(8);
      expect(item.keywords.length, item.code).toBeLessThanOrEqual(20);
      expect(new Set(item.keywords).size, item.code).toBe(item.keywords.length);
    }
  });

  it('gives urgent items the urgent limits', () => {
    for (const item of RESPONSIBILITY_ITEMS.filter((i) => i.urgent)) {
      expect(item.limits, item.code).toEqual({ accept: '30m', checkIn: '30m', resolve: '2h' });
    }
  });
});

describe('labelled tickets', () => {
  const itemCodes = new Set(RESPONSIBILITY_ITEMS.map((i) => i.code));

  it('has at least 320 distinct texts, each naming an existing item', () => {
    expect(LABELLED_TICKETS.length).toBeGreaterThanOrEqual(320);
    expect(new Set(LABELLED_TICKETS.map((t) => t.text)).size).toBe(LABELLED_TICKETS.length);
    for (const t of LABELLED_TICKETS) {
      expect(itemCodes.has(t.itemCode), t.text).toBe(true);
      expect(t.text.trim()).toBe(t.text);
      expect(t.text.length).toBeGreaterThan(0);
    }
  });

  it('covers every item at least twice', () => {
    const counts = new Map<string, number>();
    for (const t of LABELLED_TICKETS) counts.set(t.itemCode, (counts.get(t.itemCode) ?? 0) + 1);
    for (const code of itemCodes) expect(counts.get(code) ?? 0, code).toBeGreaterThanOrEqual(2);
  });

  it('does not give routing away: many texts contain none of their item keywords', () => {
    const keywords = new Map(RESPONSIBILITY_ITEMS.map((i) => [i.code, i.keywords]));
    const without = LABELLED_TICKETS.filter(
      (t) => !(keywords.get(t.itemCode) ?? []).some((k) => t.text.includes(k)),
    ).length;
    expect(without / LABELLED_TICKETS.length).toBeGreaterThanOrEqual(0.4);
  });
});
