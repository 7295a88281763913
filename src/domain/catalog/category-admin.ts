import { count, eq, sql } from "drizzle-orm";
import { categories, products } from "../../../db/schema/index.ts";
import type { Db } from "../../platform/db.ts";
import { DomainError } from "../errors.ts";
import { loadCategories } from "./categories.ts";
import { buildCategoryTree, type CategoryNode, type CategoryRecord } from "./category-tree.ts";
import { violatedConstraint } from "./constraint-violation.ts";
import { slugify } from "./slug.ts";

/** Deep enough for Amigurumi > Animals > Woodland > Foxes, shallow enough for a menu. */
export const MAX_CATEGORY_DEPTH = 5;

export interface CategoryDetail {
  id: number;
  slug: string;
  name: string;
  parentId: number | null;
  position: number;
  productCount: number;
  breadcrumbs: { id: number; slug: string; name: string }[];
  children: { id: number; slug: string; name: string; productCount: number }[];
}

export interface CategoryAdminDeps {
  db: Db;
}

interface Catalog {
  records: Map<number, CategoryRecord>;
  bySlug: Map<string, CategoryRecord>;
  tree: CategoryNode[];
}

/** The whole tree: the catalog has tens of categories, so one read beats recursive queries. */
async function loadCatalog(db: Db): Promise<Catalog> {
  const { records, productCounts } = await loadCategories(db);
  return {
    records: new Map(records.map((row) => [row.id, row])),
    bySlug: new Map(records.map((row) => [row.slug, row])),
    tree: buildCategoryTree(records, productCounts),
  };
}

export async function getCategory(db: Db, slug: string): Promise<CategoryDetail> {
  const catalog = await loadCatalog(db);
  const record = catalog.bySlug.get(slug);
  if (!record) throw new DomainError("not_found", `No category with slug '${slug}'`);
  return detailOf(catalog, record);
}

function detailOf(catalog: Catalog, record: CategoryRecord): CategoryDetail {
  const trail = ancestorsOf(catalog, record.id).reverse();
  let level = catalog.tree;
  let node: CategoryNode | undefined;
  for (const step of [...trail, record]) {
    node = level.find((candidate) => candidate.id === step.id);
    level = node?.children ?? [];
  }
  return {
    id: record.id,
    slug: record.slug,
    name: record.name,
    parentId: record.parentId,
    position: record.position,
    productCount: node?.productCount ?? 0,
    breadcrumbs: [...trail, record].map(({ id, slug, name }) => ({ id, slug, name })),
    children: (node?.children ?? []).map(({ id, slug, name, productCount }) => ({
      id,
      slug,
      name,
      productCount,
    })),
  };
}

/** From the parent up to the top level. */
function ancestorsOf(catalog: Catalog, id: number): CategoryRecord[] {
  const ancestors: CategoryRecord[] = [];
  let parentId = catalog.records.get(id)?.parentId ?? null;
  while (parentId !== null) {
    const parent = catalog.records.get(parentId);
    if (!parent) break;
    ancestors.push(parent);
    parentId = parent.parentId;
  }
  return ancestors;
}

/** Levels below the category, itself included: a leaf has height 1. */
function heightOf(catalog: Catalog, id: number): number {
  const children = [...catalog.records.values()].filter((record) => record.parentId === id);
  return 1 + Math.max(0, ...children.map((child) => heightOf(catalog, child.id)));
}

function requireSlug(catalog: Catalog, slug: string): CategoryRecord {
  const record = catalog.bySlug.get(slug);
  if (!record) throw new DomainError("not_found", `No category with slug '${slug}'`);
  return record;
}

function requireParent(catalog: Catalog, parentId: number): CategoryRecord {
  const parent = catalog.records.get(parentId);
  if (!parent) {
    throw new DomainError("unprocessable", `No category with id ${parentId}`, {
      errors: [{ location: "body", field: "parentId", pointer: "/parentId", message: "No such category" }],
    });
  }
  return parent;
}

export interface CategoryInput {
  name: string;
  slug?: string;
  parentId: number | null;
  position: number;
}

export async function createCategory(deps: CategoryAdminDeps, input: CategoryInput): Promise<CategoryDetail> {
  const catalog = await loadCatalog(deps.db);
  if (input.parentId !== null) {
    const parent = requireParent(catalog, input.parentId);
    if (ancestorsOf(catalog, parent.id).length + 2 > MAX_CATEGORY_DEPTH) throw tooDeep();
  }
  const [row] = await slugGuard(() =>
    deps.db
      .insert(categories)
      .values({
        name: input.name,
        slug: input.slug ?? slugify(input.name),
        parentId: input.parentId,
        position: input.position,
      })
      .returning(),
  );
  if (!row) throw new Error("unreachable: insert returned no row");
  return getCategory(deps.db, row.slug);
}

export type CategoryChanges = Partial<CategoryInput>;

/** Renames, re-slugs, reorders or moves a category; its products and sub-categories go with it. */
export async function updateCategory(
  deps: CategoryAdminDeps,
  slug: string,
  changes: CategoryChanges,
): Promise<CategoryDetail> {
  const catalog = await loadCatalog(deps.db);
  const record = requireSlug(catalog, slug);
  if (changes.parentId !== undefined && changes.parentId !== null) {
    const parent = requireParent(catalog, changes.parentId);
    if (parent.id === record.id || ancestorsOf(catalog, parent.id).some((a) => a.id === record.id)) {
      throw new DomainError(
        "category_cycle",
        `'${record.slug}' cannot move under itself or one of its sub-categories`,
      );
    }
    if (ancestorsOf(catalog, parent.id).length + 1 + heightOf(catalog, record.id) > MAX_CATEGORY_DEPTH)
      throw tooDeep();
  }
  const row = await deps.db.transaction(async (tx) => {
    const [updated] = await slugGuard(() =>
      tx
        .update(categories)
        .set({
          ...(changes.name !== undefined && { name: changes.name }),
          ...(changes.slug !== undefined && { slug: changes.slug }),
          ...(changes.parentId !== undefined && { parentId: changes.parentId }),
          ...(changes.position !== undefined && { position: changes.position }),
          updatedAt: sql`now()`,
        })
        .where(eq(categories.id, record.id))
        .returning(),
    );
    if (!updated) throw new DomainError("not_found", `No category with slug '${slug}'`);
    // Products show their category's name and slug, so their ETags must change with them.
    if (changes.name !== undefined || changes.slug !== undefined) await bumpProductVersions(tx, record.id);
    return updated;
  });
  return getCategory(deps.db, row.slug);
}

/**
 * Deletes an empty category, or hands its products (deleted ones too: past orders refer to them)
 * and sub-categories to `moveTo` first, all in one transaction.
 */
export async function deleteCategory(
  deps: CategoryAdminDeps,
  slug: string,
  moveTo: string | undefined,
): Promise<void> {
  const catalog = await loadCatalog(deps.db);
  const record = requireSlug(catalog, slug);
  const target = moveTo === undefined ? undefined : requireSlug(catalog, moveTo);
  if (
    target &&
    (target.id === record.id || ancestorsOf(catalog, target.id).some((a) => a.id === record.id))
  ) {
    throw new DomainError(
      "category_cycle",
      "moveTo cannot be the category itself or one of its sub-categories",
    );
  }
  await deps.db.transaction(async (tx) => {
    const [{ value: productCount } = { value: 0 }] = await tx
      .select({ value: count() })
      .from(products)
      .where(eq(products.categoryId, record.id));
    const childCount = [...catalog.records.values()].filter((r) => r.parentId === record.id).length;
    if (!target && (productCount > 0 || childCount > 0)) {
      throw new DomainError(
        "category_not_empty",
        `'${slug}' holds ${productCount} product(s) and ${childCount} sub-categories; name a category in moveTo to take them over`,
        { productCount, childCount },
      );
    }
    if (target) {
      if (
        childCount > 0 &&
        ancestorsOf(catalog, target.id).length + heightOf(catalog, record.id) > MAX_CATEGORY_DEPTH
      ) {
        throw tooDeep();
      }
      await bumpProductVersions(tx, record.id, target.id);
      await tx
        .update(categories)
        .set({ parentId: target.id, updatedAt: sql`now()` })
        .where(eq(categories.parentId, record.id));
    }
    await tx.delete(categories).where(eq(categories.id, record.id));
  });
}

/** Marks the category's products as changed (new ETags), optionally moving them elsewhere. */
async function bumpProductVersions(
  tx: Pick<Db, "update">,
  categoryId: number,
  moveTo?: number,
): Promise<void> {
  await tx
    .update(products)
    .set({
      version: sql`${products.version} + 1`,
      updatedAt: sql`now()`,
      ...(moveTo !== undefined && { categoryId: moveTo }),
    })
    .where(eq(products.categoryId, categoryId));
}

function tooDeep(): DomainError {
  return new DomainError(
    "category_too_deep",
    `Categories can be nested at most ${MAX_CATEGORY_DEPTH} levels deep`,
  );
}

async function slugGuard<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (violatedConstraint(error, ["23505"]) === "categories_slug_unique") {
      throw new DomainError("slug_taken", "Another category already uses this slug; choose another one");
    }
    throw error;
  }
}
