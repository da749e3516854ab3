/**
 * Administration of the 属地管理事项责任清单: versions are published whole and never edited, so a
 * ticket keeps the rules (handler level, deadlines) of the version it was routed under. The admin
 * works on a document (export, edit, dry run, publish): the console and the CLI send the same one.
 */
import type { Locale } from '../../contracts/common.ts';
import { STAFF_ROLES } from '../../contracts/roles.ts';
import type {
  ResponsibilityListDoc,
  ResponsibilityListSummary,
  ResponsibilityPublishResult,
} from '../../contracts/tickets.ts';
import { hasAnyRole } from '../core/access.ts';
import { audit } from '../core/audit.ts';
import type { Ctx } from '../core/context.ts';
import { AppError } from '../core/errors.ts';
import { DEPARTMENT_TYPES } from '../geo/department-types.ts';
import * as repo from './repo.ts';
import { parseLimit } from './worktime.ts';

type Problem = { path: string; message: string };

const say = (locale: Locale, zh: string, en: string) => (locale === 'en' ? en : zh);

/** Everything that would make a published list wrong, each with where it is, in the reader's language. */
export function checkListDoc(doc: ResponsibilityListDoc, locale: Locale): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, zh: string, en: string) => problems.push({ path, message: say(locale, zh, en) });
  const categoryCodes = new Set<string>();
  doc.categories.forEach((c, i) => {
    if (categoryCodes.has(c.code))
      add(`categories.${i}.code`, `类别编码“${c.code}”重复。`, `Category code "${c.code}" is repeated.`);
    categoryCodes.add(c.code);
  });
  const used = new Set<string>();
  const itemCodes = new Set<string>();
  const types = new Set(DEPARTMENT_TYPES.map((t) => t.type));
  doc.items.forEach((it, i) => {
    const at = `items.${i}`;
    const label = `${it.code} ${it.name}`;
    if (itemCodes.has(it.code))
      add(`${at}.code`, `事项编码“${it.code}”重复。`, `Item code "${it.code}" is repeated.`);
    itemCodes.add(it.code);
    if (!categoryCodes.has(it.categoryCode))
      add(
        `${at}.categoryCode`,
        `事项“${label}”所属类别“${it.categoryCode}”不存在。`,
        `Item "${label}": there is no category "${it.categoryCode}".`,
      );
    used.add(it.categoryCode);
    if (it.handlerLevel === 'department') {
      if (!it.departmentType)
        add(
          `${at}.departmentType`,
          `事项“${label}”由部门办理，请写明部门类型。`,
          `Item "${label}" is handled by a department: name the department type.`,
        );
      else if (!types.has(it.departmentType))
        add(
          `${at}.departmentType`,
          `事项“${label}”的部门类型“${it.departmentType}”不存在。`,
          `Item "${label}": there is no department type "${it.departmentType}".`,
        );
    } else if (it.departmentType)
      add(
        `${at}.departmentType`,
        `事项“${label}”由社区或街道办理，不应填写部门类型。`,
        `Item "${label}" is handled by the community or township: leave the department type empty.`,
      );
    for (const key of ['accept', 'checkIn', 'resolve', 'extension'] as const) {
      const v = it.limits[key];
      if (v === null || v === undefined) continue;
      try {
        parseLimit(v);
      } catch {
        add(
          `${at}.limits.${key}`,
          `事项“${label}”的时限“${v}”无法识别（示例：2wh、30m、1wd、24h、15d）。`,
          `Item "${label}": limit "${v}" is not understood (e.g. 2wh, 30m, 1wd, 24h, 15d).`,
        );
      }
    }
    if (it.urgent && it.limits.extension)
      add(
        `${at}.limits.extension`,
        `紧急事项“${label}”不能延期。`,
        `Urgent item "${label}" cannot be extendable.`,
      );
  });
  doc.categories.forEach((c, i) => {
    if (!used.has(c.code))
      add(
        `categories.${i}.code`,
        `类别“${c.code} ${c.name}”下没有事项。`,
        `Category "${c.code} ${c.name}" has no items.`,
      );
  });
  return problems;
}

async function summaries(ctx: Ctx): Promise<ResponsibilityListSummary[]> {
  const rows = await repo.listVersions(ctx.db);
  return rows.map((r) => ({
    version: r.list.version,
    current: r.list.current,
    publishedAt: r.list.publishedAt.toISOString(),
    publishedByName: r.publishedByName,
    note: r.list.note,
    categoryCount: r.categoryCount,
    itemCount: r.itemCount,
    ticketCount: r.ticketCount,
  }));
}

function requireStaff(ctx: Ctx) {
  // The CLI runs without an actor, as the operator of the machine.
  if (ctx.actor && !hasAnyRole(ctx.actor, STAFF_ROLES)) throw new AppError('access.forbidden');
}

export async function listVersions(ctx: Ctx) {
  requireStaff(ctx);
  return summaries(ctx);
}

/** A version as a document, to edit and publish again as a new version. */
export async function exportList(ctx: Ctx, version?: string): Promise<ResponsibilityListDoc> {
  requireStaff(ctx);
  const list = version ? await repo.listByVersion(ctx.db, version) : await repo.currentList(ctx.db);
  if (!list) throw new AppError('responsibility.version_not_found');
  const [cats, items] = [
    await repo.categoriesOfList(ctx.db, list.id),
    await repo.itemsOfList(ctx.db, list.id),
  ];
  return {
    version: list.version,
    ...(list.note ? { note: list.note } : {}),
    categories: cats.map((c) => ({ code: c.code, name: c.name })),
    items: items.map(({ item: i, categoryCode }) => ({
      code: i.code,
      categoryCode,
      name: i.name,
      description: i.description,
      handlerLevel: i.handlerLevel,
      departmentType: i.departmentType,
      urgent: i.urgent,
      limits: {
        accept: i.acceptLimit,
        checkIn: i.checkInLimit,
        resolve: i.resolveLimit,
        extension: i.extensionLimit,
      },
      keywords: i.keywords,
    })),
  };
}

const COMPARED = ['categoryCode', 'name', 'description', 'handlerLevel', 'departmentType', 'urgent'] as const;

function diffDocs(from: ResponsibilityListDoc | undefined, to: ResponsibilityListDoc) {
  const old = new Map((from?.items ?? []).map((i) => [i.code, i]));
  const now = new Map(to.items.map((i) => [i.code, i]));
  const changed: { code: string; fields: string[] }[] = [];
  for (const it of to.items) {
    const o = old.get(it.code);
    if (!o) continue;
    const fields: string[] = COMPARED.filter((k) => (o[k] ?? null) !== (it[k] ?? null));
    for (const k of ['accept', 'checkIn', 'resolve', 'extension'] as const)
      if ((o.limits[k] ?? null) !== (it.limits[k] ?? null)) fields.push(`limits.${k}`);
    if ([...o.keywords].sort().join('\n') !== [...it.keywords].sort().join('\n')) fields.push('keywords');
    if (fields.length) changed.push({ code: it.code, fields });
  }
  return {
    added: to.items.filter((i) => !old.has(i.code)).map((i) => i.code),
    removed: [...old.keys()].filter((c) => !now.has(c)),
    changed,
  };
}

/**
 * Checks a document, says what it changes against the current list, and (unless a dry run)
 * publishes it as the new current version. City administrators only; the CLI as the operator.
 */
export async function publishList(
  ctx: Ctx,
  doc: ResponsibilityListDoc,
  opts: { dryRun: boolean },
): Promise<ResponsibilityPublishResult> {
  if (ctx.actor && !hasAnyRole(ctx.actor, ['cityAdmin'])) throw new AppError('access.forbidden');
  const problems = checkListDoc(doc, ctx.locale);
  if (problems.length) throw new AppError('responsibility.invalid', { count: problems.length }, problems);
  if (await repo.listByVersion(ctx.db, doc.version))
    throw new AppError('responsibility.version_exists', { version: doc.version });
  const current = await repo.currentList(ctx.db);
  const diff = diffDocs(current ? await exportList(ctx, current.version) : undefined, doc);
  if (opts.dryRun) return { list: null, diff, dryRun: true };
  const list = await repo.insertList(ctx.db, {
    version: doc.version,
    note: doc.note ?? null,
    by: ctx.actor?.userId ?? null,
    at: ctx.clock.now(),
    categories: doc.categories,
    items: doc.items.map((it) => ({
      categoryCode: it.categoryCode,
      code: it.code,
      name: it.name,
      description: it.description,
      handlerLevel: it.handlerLevel,
      departmentType: it.handlerLevel === 'department' ? it.departmentType : null,
      urgent: it.urgent,
      acceptLimit: it.limits.accept,
      checkInLimit: it.limits.checkIn,
      resolveLimit: it.limits.resolve,
      extensionLimit: it.limits.extension ?? null,
      keywords: [...new Set(it.keywords)],
    })),
  });
  // The database announces the new list to every instance; this one need not wait for that.
  ctx.cache?.forget('current_items');
  await audit(ctx, {
    action: 'responsibility.publish',
    entity: 'responsibilityList',
    entityId: list.id,
    detail: {
      version: doc.version,
      previous: current?.version ?? null,
      added: diff.added.length,
      removed: diff.removed.length,
      changed: diff.changed.length,
      via: ctx.actor ? 'api' : 'cli',
    },
  });
  const published = (await summaries(ctx)).find((s) => s.version === doc.version) ?? null;
  return { list: published, diff, dryRun: false };
}
