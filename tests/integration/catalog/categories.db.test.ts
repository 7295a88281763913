import { count, inArray, notInArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { categories, type NewProductRow, products } from "../../../db/schema/index.ts";
import { seedCategories } from "../../../db/seed/categories.ts";
import { seedCatalog } from "../../../db/seed/index.ts";
import { type CategoryNode, listCategoryTree } from "../../../src/domain/catalog/categories.ts";
import { createTestDatabase, type TestDatabase } from "../../support/database.ts";

let database: TestDatabase;
const seededIds = seedCategories.map((category) => category.id);
const roots = seedCategories.filter((category) => category.parentId === null);
const childrenOf = (id: number) => seedCategories.filter((category) => category.parentId === id);
const bySeedOrder = (a: { position: number; name: string }, b: { position: number; name: string }) =>
  a.position - b.position || a.name.localeCompare(b.name, "en");

// These tests count products they create themselves; the seed products are tested elsewhere.
const CATEGORIES_ONLY = { products: false };

beforeAll(async () => {
  database = await createTestDatabase();
  await seedCatalog(database.db, undefined, CATEGORIES_ONLY);
});

afterAll(async () => {
  await database?.cleanup();
});

beforeEach(async () => {
  await database.db.delete(products);
  await database.db.delete(categories).where(notInArray(categories.id, seededIds));
});

/** The driver's own error (node-postgres or PGlite), which Drizzle wraps as its cause. */
function driverError(error: unknown): { code?: unknown; constraint?: unknown } | undefined {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if ("code" in current) return current as { code?: unknown; constraint?: unknown };
  }
  return undefined;
}

const flatten = (nodes: CategoryNode[]): CategoryNode[] =>
  nodes.flatMap((node) => [node, ...flatten(node.children)]);

describe("seedCatalog", () => {
  it("builds the tree described by the seed data", async () => {
    const tree = await listCategoryTree(database.db);
    expect(tree.map((node) => node.slug)).toEqual([...roots].sort(bySeedOrder).map((root) => root.slug));
    for (const node of flatten(tree)) {
      const expected = childrenOf(node.id).sort(bySeedOrder);
      expect(node.children.map((child) => child.slug)).toEqual(expected.map((child) => child.slug));
    }
    expect(flatten(tree)).toHaveLength(seedCategories.length);
    expect(tree.some((node) => node.children.length > 0)).toBe(true);
  });

  it("is idempotent: a second run leaves the same rows", async () => {
    const before = await database.db.select().from(categories).orderBy(categories.id);
    const result = await seedCatalog(database.db, undefined, CATEGORIES_ONLY);
    const after = await database.db.select().from(categories).orderBy(categories.id);
    expect(result).toEqual({ categories: seedCategories.length, products: 0 });
    expect(after).toEqual(before);
    const [total] = await database.db.select({ n: count() }).from(categories);
    expect(total?.n).toBe(seedCategories.length);
  });

  it("restores changed seed rows on a re-run", async () => {
    const [first] = seedCategories;
    if (!first) throw new Error("seed has no categories");
    await database.db
      .update(categories)
      .set({ name: "Renamed", position: 99 })
      .where(inArray(categories.id, [first.id]));
    await seedCatalog(database.db, undefined, CATEGORIES_ONLY);
    const [row] = await database.db
      .select()
      .from(categories)
      .where(inArray(categories.id, [first.id]));
    expect(row).toMatchObject({ name: first.name, position: first.position, slug: first.slug });
  });

  it("moves the identity past the seeded ids", async () => {
    const [created] = await database.db
      .insert(categories)
      .values({ slug: "made-by-admin", name: "Made by admin" })
      .returning({ id: categories.id });
    expect(created?.id).toBeGreaterThan(Math.max(...seededIds));
  });
});

describe("listCategoryTree product counts", () => {
  const leaf = seedCategories.find(
    (category) => category.parentId !== null && childrenOf(category.id).length === 0,
  );
  if (!leaf?.parentId) throw new Error("seed needs a child category");
  const parentId = leaf.parentId;
  const emptyRoot = roots.find((root) => root.id !== parentId);
  if (!emptyRoot) throw new Error("seed needs two roots");

  const product = (slug: string, over: Partial<NewProductRow> = {}): NewProductRow => ({
    slug,
    name: slug,
    categoryId: leaf.id,
    priceCents: 1000,
    status: "active",
    ...over,
  });

  beforeEach(async () => {
    await database.db
      .insert(products)
      .values([
        product("visible-in-leaf-1"),
        product("visible-in-leaf-2"),
        product("visible-in-parent", { categoryId: parentId }),
        product("draft", { status: "draft" }),
        product("archived", { status: "archived" }),
        product("soft-deleted", { deletedAt: new Date() }),
      ]);
  });

  it("counts active, not deleted products and rolls them up to ancestors", async () => {
    const nodes = flatten(await listCategoryTree(database.db));
    const countOf = (id: number) => nodes.find((node) => node.id === id)?.productCount;
    expect(countOf(leaf.id)).toBe(2);
    expect(countOf(parentId)).toBe(3);
    expect(countOf(emptyRoot.id)).toBe(0);
  });

  it("keeps rolled-up counts when cut at depth 1", async () => {
    const tree = await listCategoryTree(database.db, { depth: 1 });
    expect(tree).toHaveLength(roots.length);
    expect(tree.every((node) => node.children.length === 0)).toBe(true);
    expect(tree.find((node) => node.id === parentId)?.productCount).toBe(3);
  });

  it("drops empty categories when includeEmpty is false", async () => {
    const nodes = flatten(await listCategoryTree(database.db, { includeEmpty: false }));
    expect(nodes.map((node) => node.id).sort((a, b) => a - b)).toEqual(
      [parentId, leaf.id].sort((a, b) => a - b),
    );
  });

  it("rejects a product status outside the allowed set", async () => {
    // Complete but for the status, so the only thing that can refuse it is products_status_check.
    const insert = (status: string) =>
      database.db.execute(
        sql`insert into products (slug, name, category_id, price_cents, status)
            values (${`status-${status}`}, 'Status probe', ${leaf.id}, 1000, ${status})`,
      );
    await expect(insert("active")).resolves.toBeDefined();
    const refusal = await insert("sold").then(
      () => undefined,
      (error: unknown) => driverError(error),
    );
    expect(refusal).toMatchObject({ code: "23514", constraint: "products_status_check" });
  });
});
