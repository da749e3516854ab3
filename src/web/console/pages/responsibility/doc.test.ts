import i18next, { type TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { zh } from '../../../i18n/zh.ts';
import {
  checkDoc,
  type Doc,
  type DocItem,
  diffDocs,
  matchItem,
  nextCategoryCode,
  nextItemCode,
  parseDoc,
  problemTarget,
  suggestVersion,
} from './doc.ts';

const t = ((key: string, o?: Record<string, unknown>) =>
  `${key}${o ? JSON.stringify(o) : ''}`) as unknown as TFunction;

const words = i18next.createInstance();
await words.init({
  lng: 'zh-CN',
  resources: { 'zh-CN': { translation: zh } },
  interpolation: { escapeValue: false },
});

const item = (code: string, over: Partial<DocItem> = {}): DocItem => ({
  code,
  categoryCode: code.slice(0, 3),
  name: `事项${code}`,
  description: '',
  handlerLevel: 'community',
  departmentType: null,
  urgent: false,
  limits: { accept: '2wh', checkIn: '1wd', resolve: '7d', extension: null },
  keywords: [],
  ...over,
});

const doc = (items: DocItem[], categories = [{ code: 'C01', name: '市容' }]): Doc => ({
  version: '2026-1',
  categories,
  items,
});

describe('responsibility document', () => {
  it('reads an exported document, trimming and filling defaults', () => {
    const { doc: d, problems } = parseDoc(
      {
        version: '2026-1',
        categories: [{ code: ' C01 ', name: '市容' }],
        items: [
          {
            code: 'C01-01',
            categoryCode: 'C01',
            name: ' 路灯 ',
            handlerLevel: 'department',
            departmentType: 'streetLighting',
            limits: { accept: '2wh', checkIn: '1wd', resolve: '7d' },
          },
        ],
      },
      t,
    );
    expect(problems).toEqual([]);
    expect(d?.categories[0]?.code).toBe('C01');
    expect(d?.items[0]).toMatchObject({
      name: '路灯',
      description: '',
      urgent: false,
      keywords: [],
      limits: { extension: null },
    });
  });

  it('says where each problem of an imported file is', () => {
    expect(parseDoc([1, 2], t).problems.map((p) => p.message)).toEqual(['responsibility.check.notDoc']);
    const { doc: d, problems } = parseDoc(
      {
        categories: [{ code: 'C01' }],
        items: [
          {
            code: 'C01-01',
            categoryCode: 'C01',
            name: '路灯',
            handlerLevel: 'city',
            urgent: 'yes',
            limits: { accept: '2wh', checkIn: '1wd', resolve: '7x' },
            keywords: ['ok', 3],
          },
        ],
      },
      t,
    );
    expect(d).toBeNull();
    expect(problems.map((p) => p.path)).toEqual([
      'categories.0.name',
      'items.0.handlerLevel',
      'items.0.urgent',
      'items.0.limits.resolve',
      'items.0.keywords.1',
    ]);
    expect(problems[3]?.message).toContain('7x');
    expect(problems[3]?.message).toContain('C01-01 路灯');
    // In words, in the real strings.
    expect(parseDoc({ categories: [], items: [] }, words.t).problems.map((p) => p.message)).toEqual([
      '清单：类别至少要有 1 个',
      '清单：事项至少要有 1 个',
    ]);
  });

  it('checks what the server checks, with the same paths', () => {
    const d = doc(
      [
        item('C01-01'),
        item('C01-01'),
        item('C01-02', { handlerLevel: 'department' }),
        item('C01-03', { departmentType: 'sanitation' }),
        item('C01-04', {
          urgent: true,
          limits: { accept: '30m', checkIn: '30m', resolve: '2h', extension: '15d' },
        }),
        item('C09-01', { categoryCode: 'C09' }),
      ],
      [
        { code: 'C01', name: '市容' },
        { code: 'C02', name: '空的' },
      ],
    );
    expect(checkDoc(d, t).map((p) => p.path)).toEqual([
      'items.1.code',
      'items.2.departmentType',
      'items.3.departmentType',
      'items.4.limits.extension',
      'items.5.categoryCode',
      'categories.1.code',
    ]);
    expect(problemTarget('items.4.limits.extension')).toEqual({
      kind: 'item',
      index: 4,
      field: 'limits.extension',
    });
    expect(problemTarget('categories.1.code')).toEqual({ kind: 'category', index: 1 });
    expect(problemTarget('version')).toEqual({ kind: 'doc' });
  });

  it('compares versions by item code, as the server does, and categories too', () => {
    const before = doc([item('C01-01', { keywords: ['a', 'b'] }), item('C01-02'), item('C01-03')]);
    const after = doc(
      [
        item('C01-01', { keywords: ['b', 'a'] }),
        item('C01-02', {
          limits: { accept: '2wh', checkIn: '1wd', resolve: '3d', extension: null },
          keywords: ['c'],
        }),
        item('C01-04'),
      ],
      [
        { code: 'C01', name: '市容环境' },
        { code: 'C02', name: '新类别' },
      ],
    );
    const d = diffDocs(before, after);
    expect(d.added.map((i) => i.code)).toEqual(['C01-04']);
    expect(d.removed.map((i) => i.code)).toEqual(['C01-03']);
    expect(d.changed.map((c) => [c.after.code, c.fields])).toEqual([
      ['C01-02', ['limits.resolve', 'keywords']],
    ]);
    expect(d.categoriesAdded.map((c) => c.code)).toEqual(['C02']);
    expect(d.categoriesRenamed).toEqual([{ code: 'C01', before: '市容', after: '市容环境' }]);
  });

  it('suggests the next version and codes', () => {
    expect(suggestVersion('2026-1', ['2026-1'], 2026)).toBe('2026-2');
    expect(suggestVersion('2026-1', ['2026-1', '2026-2'], 2026)).toBe('2026-3');
    expect(suggestVersion('2025-4', ['2025-4'], 2026)).toBe('2026-1');
    expect(suggestVersion('v7', ['v7'], 2026)).toBe('v8');
    expect(suggestVersion('initial', ['initial'], 2026)).toBe('2026-1');
    expect(suggestVersion(undefined, [], 2026)).toBe('2026-1');
    const d = doc([item('C01-01'), item('C01-09')], [{ code: 'C13', name: 'x' }]);
    expect(nextItemCode(d, 'C01')).toBe('C01-10');
    expect(nextItemCode(d, 'C02')).toBe('C02-01');
    expect(nextCategoryCode(d)).toBe('C14');
  });

  it('finds items by code, name, description or keyword', () => {
    const it1 = item('C07-01', { name: '供水管网漏水', keywords: ['爆管', '漏水'] });
    expect(matchItem(it1, '爆管')).toEqual({ match: true, keywords: ['爆管'] });
    expect(matchItem(it1, 'c07').match).toBe(true);
    expect(matchItem(it1, '路灯').match).toBe(false);
    expect(matchItem(it1, '  ')).toEqual({ match: true, keywords: [] });
  });
});
