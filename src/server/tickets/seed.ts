import { eq } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { RESPONSIBILITY_CATEGORIES, RESPONSIBILITY_ITEMS, RESPONSIBILITY_LIST_VERSION } from './catalogue.ts';
import { responsibilityCategories, responsibilityItems, responsibilityLists } from './tables.ts';

/**
 * Publishes the demo responsibility list as the current version, once. Later versions are
 * published beside it; tickets keep the item (and so the version) they were routed under.
 */
export async function seedResponsibilityList(
  db: Db,
  at: Date,
): Promise<{ listId: number; created: boolean }> {
  const [existing] = await db
    .select({ id: responsibilityLists.id })
    .from(responsibilityLists)
    .where(eq(responsibilityLists.version, RESPONSIBILITY_LIST_VERSION));
  if (existing) return { listId: existing.id, created: false };
  const [list] = await db
    .insert(responsibilityLists)
    .values({
      version: RESPONSIBILITY_LIST_VERSION,
      current: true,
      publishedAt: at,
      note: '演示用责任清单（虚构，非官方文本）',
    })
    .returning({ id: responsibilityLists.id });
  if (!list) throw new Error('no list');
  const cats = await db
    .insert(responsibilityCategories)
    .values(
      RESPONSIBILITY_CATEGORIES.map((c, i) => ({ listId: list.id, code: c.code, name: c.name, sort: i })),
    )
    .returning({ id: responsibilityCategories.id, code: responsibilityCategories.code });
  const catId = new Map(cats.map((c) => [c.code, c.id]));
  await db.insert(responsibilityItems).values(
    RESPONSIBILITY_ITEMS.map((it, i) => {
      const categoryId = catId.get(it.categoryCode);
      if (!categoryId) throw new Error(`item ${it.code}: no category ${it.categoryCode}`);
      return {
        listId: list.id,
        categoryId,
        code: it.code,
        name: it.name,
        description: it.description,
        handlerLevel: it.handlerLevel,
        departmentType: it.departmentType,
        urgent: it.urgent,
        acceptLimit: it.limits.accept,
        checkInLimit: it.limits.checkIn,
        resolveLimit: it.limits.resolve,
        keywords: [...it.keywords],
        sort: i,
      };
    }),
  );
  return { listId: list.id, created: true };
}
