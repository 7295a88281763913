import { and, count, eq, isNull } from "drizzle-orm";
import { categories, products } from "../../../db/schema/index.ts";
import type { Db } from "../../platform/db.ts";
import {
  buildCategoryTree,
  type CategoryNode,
  type CategoryRecord,
  type CategoryTreeOptions,
} from "./category-tree.ts";

export type { CategoryNode, CategoryTreeOptions } from "./category-tree.ts";

/**
 * Every category and the number of products on sale directly in each. The catalog is small, so
 * two flat queries and an in-memory build are cheaper and simpler than a recursive CTE.
 */
export async function loadCategories(
  db: Db,
): Promise<{ records: CategoryRecord[]; productCounts: Map<number, number> }> {
  const [records, counts] = await Promise.all([
    db
      .select({
        id: categories.id,
        slug: categories.slug,
        name: categories.name,
        parentId: categories.parentId,
        position: categories.position,
      })
      .from(categories),
    db
      .select({ categoryId: products.categoryId, count: count() })
      .from(products)
      .where(and(eq(products.status, "active"), isNull(products.deletedAt)))
      .groupBy(products.categoryId),
  ]);
  return { records, productCounts: new Map(counts.map((row) => [row.categoryId, row.count])) };
}

/**
 * The category tree with visible-product counts rolled up to every ancestor, as the shop
 * shows it ("Amigurumi (42)").
 */
export async function listCategoryTree(db: Db, options: CategoryTreeOptions = {}): Promise<CategoryNode[]> {
  const { records, productCounts } = await loadCategories(db);
  return buildCategoryTree(records, productCounts, options);
}
