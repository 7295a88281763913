import { count, sql } from "drizzle-orm";
import type { Db } from "../../src/platform/db.ts";
import { categories, products } from "../schema/index.ts";
import { type SeedCategory, seedCategories } from "./categories.ts";
import { advanceIdentity, seedProductRows } from "./products.ts";

export interface SeedResult {
  categories: number;
  /** Products added by this run; existing ones are never rewritten. */
  products: number;
}

/** Seeding only an empty catalog keeps a restart from undoing what staff changed. */
export async function isCatalogEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ value: count() }).from(categories);
  return (row?.value ?? 0) === 0;
}

/**
 * Loads the shop's catalog: the category tree and the seed products. Safe to run any number of
 * times: categories are matched by their stable id and only rewritten when the seed data differs
 * from what is stored; missing products are added and existing ones left alone.
 */
export async function seedCatalog(
  db: Db,
  onProgress: (msg: string) => void = () => {},
  options: { products?: boolean } = {},
): Promise<SeedResult> {
  await db.transaction(async (tx) => {
    for (const level of byDepth(seedCategories)) {
      await tx
        .insert(categories)
        .values(level)
        .onConflictDoUpdate({
          target: categories.id,
          set: {
            slug: sql`excluded.slug`,
            name: sql`excluded.name`,
            parentId: sql`excluded.parent_id`,
            position: sql`excluded.position`,
            updatedAt: sql`now()`,
          },
          // Leaves unchanged rows (and their updated_at) alone on a re-run.
          setWhere: sql`(${categories.slug}, ${categories.name}, ${categories.parentId}, ${categories.position})
            is distinct from (excluded.slug, excluded.name, excluded.parent_id, excluded.position)`,
        });
    }
    await advanceIdentity(tx, "categories");
  });
  onProgress(`categories: ${seedCategories.length} upserted`);
  const added = options.products === false ? 0 : await seedProductRows(db, onProgress);
  // A bulk load leaves the planner guessing (a few rows per table) until autovacuum analyses the
  // tables, which may be never where it is off: it then sorts the whole catalog for every page
  // instead of walking the ordered index for the first twenty products.
  await db.execute(sql`analyze ${categories}, ${products}`);
  return { categories: seedCategories.length, products: added };
}

/** Groups categories by depth so each parent row exists before its children are written. */
export function byDepth(items: readonly SeedCategory[]): SeedCategory[][] {
  const byId = new Map(items.map((item) => [item.id, item]));
  const depthOf = (item: SeedCategory, seen: Set<number> = new Set()): number => {
    if (item.parentId === null) return 0;
    if (seen.has(item.id)) throw new Error(`seed category ${item.id} is part of a cycle`);
    seen.add(item.id);
    const parent = byId.get(item.parentId);
    // A parent outside the seed must already be in the database; the foreign key will tell.
    return parent ? depthOf(parent, seen) + 1 : 0;
  };
  const levels = new Map<number, SeedCategory[]>();
  for (const item of items) {
    const depth = depthOf(item);
    levels.set(depth, [...(levels.get(depth) ?? []), item]);
  }
  return [...levels.keys()].sort((a, b) => a - b).map((depth) => levels.get(depth) ?? []);
}
