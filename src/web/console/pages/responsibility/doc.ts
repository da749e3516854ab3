import type { TFunction } from 'i18next';
import { isLimitCode, LIMIT_KINDS, type LimitKind, type Limits } from '../../../ui/limits.ts';

/**
 * The responsibility list as a document (the shape GET /responsibility/lists/:version returns
 * and POST publishes, contracts' ResponsibilityListDoc): reading an imported file, checking it
 * the way the server will, comparing two versions, and keeping a city administrator's draft in
 * localStorage. Plain functions, so the page stays about the screen.
 */

export type HandlerLevel = 'community' | 'township' | 'department';
export const HANDLER_LEVELS: readonly HandlerLevel[] = ['community', 'township', 'department'];

export interface DocCategory {
  code: string;
  name: string;
}

export interface DocItem {
  code: string;
  categoryCode: string;
  name: string;
  description: string;
  handlerLevel: HandlerLevel;
  /** A department type code (geo/department-types.ts) for department items, else null. */
  departmentType: string | null;
  urgent: boolean;
  limits: Limits;
  keywords: string[];
}

export interface Doc {
  version: string;
  note?: string;
  categories: DocCategory[];
  items: DocItem[];
}

/** A problem with the document and where it is: 'items.3.departmentType', as the server says. */
export interface Problem {
  path: string;
  message: string;
}

/** The contract's bounds (src/contracts/tickets.ts ResponsibilityListDoc). */
export const MAX = {
  version: 20,
  note: 500,
  categories: 100,
  categoryCode: 20,
  categoryName: 60,
  items: 1000,
  itemCode: 20,
  itemName: 80,
  description: 500,
  departmentType: 40,
  keywords: 50,
  keyword: 20,
} as const;

export const VERSION_RE = /^[0-9A-Za-z][0-9A-Za-z._-]{0,19}$/;

// --- reading a document ------------------------------------------------------------------------

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Reads an imported file's JSON as a document, trimming text and filling the defaults as the
 * server does. Any problem of shape (a missing name, a limit like '7x', a wrong handler level)
 * is reported in the user's language with where it is; the document is null then.
 */
export function parseDoc(raw: unknown, t: TFunction): { doc: Doc | null; problems: Problem[] } {
  const problems: Problem[] = [];
  if (!isObj(raw) || !Array.isArray(raw.categories) || !Array.isArray(raw.items))
    return { doc: null, problems: [{ path: '', message: t('responsibility.check.notDoc') }] };
  const add = (path: string, where: string, what: string) =>
    problems.push({ path, message: t('responsibility.check.at', { where, what }) });
  const field = (f: string) => t(`responsibility.field.${f}` as 'responsibility.field.name');

  /** Text with a maximum length; undefined (reported) when it is not text or is out of bounds. */
  const text = (
    v: unknown,
    path: string,
    where: string,
    f: string,
    max: number,
    opts: { optional?: boolean } = {},
  ): string | undefined => {
    if (v === undefined || v === null) {
      if (opts.optional) return '';
      add(path, where, t('responsibility.check.required', { field: field(f) }));
      return undefined;
    }
    if (typeof v !== 'string') {
      add(path, where, t('responsibility.check.notText', { field: field(f) }));
      return undefined;
    }
    const s = v.trim();
    if (!s && !opts.optional) {
      add(path, where, t('responsibility.check.required', { field: field(f) }));
      return undefined;
    }
    if (s.length > max) {
      add(path, where, t('responsibility.check.tooLong', { field: field(f), max }));
      return undefined;
    }
    return s;
  };

  const docWhere = t('responsibility.check.docWhere');
  let version = '';
  if (raw.version !== undefined && raw.version !== null && raw.version !== '') {
    if (typeof raw.version !== 'string' || !VERSION_RE.test(raw.version.trim()))
      add('version', docWhere, t('responsibility.check.badVersion'));
    else version = raw.version.trim();
  }
  const note = text(raw.note, 'note', docWhere, 'note', MAX.note, { optional: true });

  const categories: DocCategory[] = [];
  if (raw.categories.length === 0)
    add(
      'categories',
      docWhere,
      t('responsibility.check.empty', { field: t('responsibility.field.categories') }),
    );
  if (raw.categories.length > MAX.categories)
    add(
      'categories',
      docWhere,
      t('responsibility.check.tooMany', { field: t('responsibility.field.categories'), max: MAX.categories }),
    );
  raw.categories.forEach((c: unknown, i: number) => {
    const at = `categories.${i}`;
    const where = t('responsibility.check.categoryWhere', {
      n: i + 1,
      label: isObj(c) ? (c.name ?? '') : '',
    });
    if (!isObj(c)) {
      add(at, where, t('responsibility.check.notObject'));
      return;
    }
    const code = text(c.code, `${at}.code`, where, 'code', MAX.categoryCode);
    const name = text(c.name, `${at}.name`, where, 'name', MAX.categoryName);
    if (code !== undefined && name !== undefined) categories.push({ code, name });
  });

  const items: DocItem[] = [];
  if (raw.items.length === 0)
    add('items', docWhere, t('responsibility.check.empty', { field: t('responsibility.field.items') }));
  if (raw.items.length > MAX.items)
    add(
      'items',
      docWhere,
      t('responsibility.check.tooMany', { field: t('responsibility.field.items'), max: MAX.items }),
    );
  raw.items.forEach((it: unknown, i: number) => {
    const at = `items.${i}`;
    const label = isObj(it) ? [it.code, it.name].filter((x) => typeof x === 'string').join(' ') : '';
    const where = t('responsibility.check.itemWhere', { n: i + 1, label });
    if (!isObj(it)) {
      add(at, where, t('responsibility.check.notObject'));
      return;
    }
    const before = problems.length;
    const code = text(it.code, `${at}.code`, where, 'code', MAX.itemCode) ?? '';
    const categoryCode =
      text(it.categoryCode, `${at}.categoryCode`, where, 'categoryCode', MAX.categoryCode) ?? '';
    const name = text(it.name, `${at}.name`, where, 'name', MAX.itemName) ?? '';
    const description =
      text(it.description, `${at}.description`, where, 'description', MAX.description, { optional: true }) ??
      '';
    const handlerLevel = it.handlerLevel as HandlerLevel;
    if (!HANDLER_LEVELS.includes(handlerLevel))
      add(`${at}.handlerLevel`, where, t('responsibility.check.badLevel'));
    const departmentType =
      it.departmentType === undefined || it.departmentType === null || it.departmentType === ''
        ? null
        : (text(it.departmentType, `${at}.departmentType`, where, 'departmentType', MAX.departmentType) ??
          null);
    let urgent = false;
    if (it.urgent !== undefined && it.urgent !== null) {
      if (typeof it.urgent !== 'boolean')
        add(`${at}.urgent`, where, t('responsibility.check.notBool', { field: field('urgent') }));
      else urgent = it.urgent;
    }
    const limits: Limits = { accept: '', checkIn: '', resolve: '', extension: null };
    if (!isObj(it.limits))
      add(`${at}.limits`, where, t('responsibility.check.required', { field: field('limits') }));
    else
      for (const k of LIMIT_KINDS) {
        const v = it.limits[k];
        const path = `${at}.limits.${k}`;
        if (k === 'extension' && (v === undefined || v === null || v === '')) continue;
        if (v === undefined || v === null || v === '')
          add(path, where, t('responsibility.check.required', { field: limitField(t, k) }));
        else if (!isLimitCode(v))
          add(path, where, t('responsibility.check.badLimit', { field: limitField(t, k), value: String(v) }));
        else limits[k] = v.trim();
      }
    const keywords: string[] = [];
    if (it.keywords !== undefined && it.keywords !== null) {
      if (!Array.isArray(it.keywords))
        add(`${at}.keywords`, where, t('responsibility.check.notList', { field: field('keywords') }));
      else {
        if (it.keywords.length > MAX.keywords)
          add(
            `${at}.keywords`,
            where,
            t('responsibility.check.tooMany', { field: field('keywords'), max: MAX.keywords }),
          );
        it.keywords.forEach((k: unknown, j: number) => {
          const s = text(k, `${at}.keywords.${j}`, where, 'keyword', MAX.keyword);
          if (s !== undefined) keywords.push(s);
        });
      }
    }
    if (problems.length === before)
      items.push({
        code,
        categoryCode,
        name,
        description,
        handlerLevel,
        departmentType,
        urgent,
        limits,
        keywords,
      });
  });

  if (problems.length) return { doc: null, problems };
  return { doc: { version, ...(note ? { note } : {}), categories, items }, problems };
}

function limitField(t: TFunction, k: LimitKind) {
  return t(`responsibility.limit.${k}`);
}

/**
 * What the server's checkListDoc would refuse in a well-shaped document, with the same paths:
 * repeated codes, a missing category, a department type where none belongs or none where one
 * must be, an urgent item that may be extended, an empty category. Whether a department type
 * exists is left to the server (the only complete list is there).
 */
export function checkDoc(doc: Doc, t: TFunction): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, where: string, what: string) =>
    problems.push({ path, message: t('responsibility.check.at', { where, what }) });
  const codes = new Set<string>();
  doc.categories.forEach((c, i) => {
    if (codes.has(c.code))
      add(
        `categories.${i}.code`,
        t('responsibility.check.categoryWhere', { n: i + 1, label: `${c.code} ${c.name}` }),
        t('responsibility.check.dupCategory', { code: c.code }),
      );
    codes.add(c.code);
  });
  const used = new Set<string>();
  const itemCodes = new Set<string>();
  doc.items.forEach((it, i) => {
    const at = `items.${i}`;
    const where = t('responsibility.check.itemWhere', { n: i + 1, label: `${it.code} ${it.name}` });
    if (itemCodes.has(it.code))
      add(`${at}.code`, where, t('responsibility.check.dupItem', { code: it.code }));
    itemCodes.add(it.code);
    if (!codes.has(it.categoryCode))
      add(`${at}.categoryCode`, where, t('responsibility.check.noCategory', { code: it.categoryCode }));
    used.add(it.categoryCode);
    if (it.handlerLevel === 'department' && !it.departmentType)
      add(`${at}.departmentType`, where, t('responsibility.check.needDept'));
    if (it.handlerLevel !== 'department' && it.departmentType)
      add(`${at}.departmentType`, where, t('responsibility.check.noDeptHere'));
    if (it.urgent && it.limits.extension)
      add(`${at}.limits.extension`, where, t('responsibility.check.urgentExtension'));
  });
  doc.categories.forEach((c, i) => {
    if (!used.has(c.code))
      add(
        `categories.${i}.code`,
        t('responsibility.check.categoryWhere', { n: i + 1, label: `${c.code} ${c.name}` }),
        t('responsibility.check.emptyCategory'),
      );
  });
  return problems;
}

/** Where a problem's path points: an item or a category (by index in the document sent), or the document. */
export function problemTarget(
  path: string,
): { kind: 'item'; index: number; field: string } | { kind: 'category'; index: number } | { kind: 'doc' } {
  const m = /^(items|categories)\.(\d+)(?:\.(.+))?$/.exec(path);
  if (!m) return { kind: 'doc' };
  if (m[1] === 'items') return { kind: 'item', index: Number(m[2]), field: m[3] ?? '' };
  return { kind: 'category', index: Number(m[2]) };
}

// --- comparing versions ------------------------------------------------------------------------

/** The fields a change is reported in, as the server names them (responsibility.ts diffDocs). */
export type ChangeField =
  | 'categoryCode'
  | 'name'
  | 'description'
  | 'handlerLevel'
  | 'departmentType'
  | 'urgent'
  | 'limits.accept'
  | 'limits.checkIn'
  | 'limits.resolve'
  | 'limits.extension'
  | 'keywords';

const COMPARED = ['categoryCode', 'name', 'description', 'handlerLevel', 'departmentType', 'urgent'] as const;

/** The fields of `after` that differ from `before`, as the server compares them. */
export function changedFields(before: DocItem, after: DocItem): ChangeField[] {
  const fields: ChangeField[] = COMPARED.filter((k) => (before[k] ?? null) !== (after[k] ?? null));
  for (const k of LIMIT_KINDS)
    if ((before.limits[k] ?? null) !== (after.limits[k] ?? null)) fields.push(`limits.${k}`);
  if ([...before.keywords].sort().join('\n') !== [...after.keywords].sort().join('\n'))
    fields.push('keywords');
  return fields;
}

export interface DocDiff {
  added: DocItem[];
  removed: DocItem[];
  changed: { before: DocItem; after: DocItem; fields: ChangeField[] }[];
  categoriesAdded: DocCategory[];
  categoriesRemoved: DocCategory[];
  categoriesRenamed: { code: string; before: string; after: string }[];
}

/** What `to` changes against `from`, item by item (by code), categories included. */
export function diffDocs(from: Doc | undefined, to: Doc): DocDiff {
  const old = new Map((from?.items ?? []).map((i) => [i.code, i]));
  const now = new Set(to.items.map((i) => i.code));
  const changed: DocDiff['changed'] = [];
  for (const it of to.items) {
    const o = old.get(it.code);
    if (!o) continue;
    const fields = changedFields(o, it);
    if (fields.length) changed.push({ before: o, after: it, fields });
  }
  const oldCats = new Map((from?.categories ?? []).map((c) => [c.code, c]));
  const newCats = new Set(to.categories.map((c) => c.code));
  return {
    added: to.items.filter((i) => !old.has(i.code)),
    removed: (from?.items ?? []).filter((i) => !now.has(i.code)),
    changed,
    categoriesAdded: to.categories.filter((c) => !oldCats.has(c.code)),
    categoriesRemoved: (from?.categories ?? []).filter((c) => !newCats.has(c.code)),
    categoriesRenamed: to.categories.flatMap((c) => {
      const o = oldCats.get(c.code);
      return o && o.name !== c.name ? [{ code: c.code, before: o.name, after: c.name }] : [];
    }),
  };
}

export const diffSize = (d: DocDiff) =>
  d.added.length +
  d.removed.length +
  d.changed.length +
  d.categoriesAdded.length +
  d.categoriesRemoved.length +
  d.categoriesRenamed.length;

// --- new versions, codes -----------------------------------------------------------------------

/**
 * A version name for the next list: '2026-1' → '2026-2'; a year-prefixed name starts again at 1
 * in a new year ('2025-3' in 2026 → '2026-1'); never one already used.
 */
export function suggestVersion(current: string | undefined, used: readonly string[], year: number): string {
  const taken = new Set(used);
  let prefix = `${year}-`;
  let n = 1;
  const m = current ? /^(.*?)(\d+)$/.exec(current) : null;
  if (m) {
    const yearPrefix = /^(\d{4})-$/.exec(m[1] ?? '');
    if (!(yearPrefix && Number(yearPrefix[1]) < year)) {
      prefix = m[1] ?? '';
      n = Number(m[2]) + 1;
    }
  }
  while (taken.has(`${prefix}${n}`)) n += 1;
  const v = `${prefix}${n}`;
  return VERSION_RE.test(v) ? v : `${year}-${n}`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The next free item code of a category: C01-09 → C01-10. */
export function nextItemCode(doc: Doc, categoryCode: string): string {
  const taken = new Set(doc.items.map((i) => i.code));
  let n = 0;
  for (const it of doc.items) {
    const m = new RegExp(`^${categoryCode.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)$`).exec(it.code);
    if (m) n = Math.max(n, Number(m[1]));
  }
  let code = `${categoryCode}-${pad2(n + 1)}`;
  while (taken.has(code)) {
    n += 1;
    code = `${categoryCode}-${pad2(n + 1)}`;
  }
  return code;
}

/** The next free category code: C13 → C14. */
export function nextCategoryCode(doc: Doc): string {
  const taken = new Set(doc.categories.map((c) => c.code));
  let n = 0;
  for (const c of doc.categories) {
    const m = /^C(\d+)$/.exec(c.code);
    if (m) n = Math.max(n, Number(m[1]));
  }
  let code = `C${pad2(n + 1)}`;
  while (taken.has(code)) {
    n += 1;
    code = `C${pad2(n + 1)}`;
  }
  return code;
}

// --- searching ---------------------------------------------------------------------------------

/** Whether an item matches the words typed (code, name, description or a keyword), and which keywords did. */
export function matchItem(item: DocItem, query: string): { match: boolean; keywords: string[] } {
  const q = query.trim().toLowerCase();
  if (!q) return { match: true, keywords: [] };
  const keywords = item.keywords.filter((k) => k.toLowerCase().includes(q) || q.includes(k.toLowerCase()));
  const match =
    keywords.length > 0 ||
    item.code.toLowerCase().includes(q) ||
    item.name.toLowerCase().includes(q) ||
    item.description.toLowerCase().includes(q);
  return { match, keywords };
}

// --- the draft ---------------------------------------------------------------------------------

export interface Draft {
  /** The version it was copied from. */
  base: string;
  doc: Doc;
  savedAt: string;
}

const draftKey = (userId: number) => `gz_responsibility_draft_${userId}`;

/** The user's draft as saved in this browser, or null (none, or unreadable). */
export function loadDraft(userId: number, t: TFunction): Draft | null {
  try {
    const raw = localStorage.getItem(draftKey(userId));
    if (!raw) return null;
    const d = JSON.parse(raw) as Partial<Draft>;
    if (typeof d.base !== 'string' || typeof d.savedAt !== 'string') return null;
    const { doc } = parseDoc(d.doc, t);
    // An unfinished item may fail the checks: keep the raw draft then rather than lose it.
    const kept = doc ?? (isObj(d.doc) ? (d.doc as unknown as Doc) : null);
    if (!kept || !Array.isArray(kept.items) || !Array.isArray(kept.categories)) return null;
    return { base: d.base, doc: kept, savedAt: d.savedAt };
  } catch {
    return null;
  }
}

/** Saves the draft in this browser; false when storage is refused (private mode, full). */
export function saveDraft(userId: number, draft: Draft): boolean {
  try {
    localStorage.setItem(draftKey(userId), JSON.stringify(draft));
    return true;
  } catch {
    return false;
  }
}

export function clearDraft(userId: number) {
  try {
    localStorage.removeItem(draftKey(userId));
  } catch {
    // nothing was stored then
  }
}
