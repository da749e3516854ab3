import type { Db } from '../db/index.ts';
import { RESPONSIBILITY_CATEGORIES, RESPONSIBILITY_ITEMS, RESPONSIBILITY_LIST_VERSION } from './catalogue.ts';
import * as repo from './repo.ts';

/**
 * Publishes the demo responsibility list as the current version, once. Later versions are
 * published beside it; tickets keep the item (and so the version) they were routed under.
 */
export async function seedResponsibilityList(
  db: Db,
  at: Date,
): Promise<{ listId: number; created: boolean }> {
  const existing = await repo.listByVersion(db, RESPONSIBILITY_LIST_VERSION);
  if (existing) return { listId: existing.id, created: false };
  // A city that already published its own list keeps it current.
  const current = await repo.currentList(db);
  if (current) return { listId: current.id, created: false };
  const list = await repo.insertList(db, {
    version: RESPONSIBILITY_LIST_VERSION,
    note: '演示用责任清单（虚构，非官方文本）',
    by: null,
    at,
    categories: RESPONSIBILITY_CATEGORIES.map((c) => ({ code: c.code, name: c.name })),
    items: RESPONSIBILITY_ITEMS.map((it) => ({
      categoryCode: it.categoryCode,
      code: it.code,
      name: it.name,
      description: it.description,
      handlerLevel: it.handlerLevel,
      departmentType: it.departmentType,
      urgent: it.urgent,
      acceptLimit: it.limits.accept,
      checkInLimit: it.limits.checkIn,
      resolveLimit: it.limits.resolve,
      extensionLimit: it.limits.extension ?? null,
      keywords: [...it.keywords],
    })),
  });
  return { listId: list.id, created: true };
}
