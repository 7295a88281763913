import { and, eq, isNull, sql } from "drizzle-orm";
import { categories, inventoryLedger, productImages, products } from "../../../../db/schema/index.ts";
import type { Db } from "../../../platform/db.ts";
import { DomainError } from "../../errors.ts";
import { violatedConstraint } from "../constraint-violation.ts";
import { slugify } from "../slug.ts";
import type { ExpectedVersions, ImageUrlOf, Money, ProductStatus, VersionedProduct } from "./model.ts";
import { getProduct } from "./reading.ts";

export interface EditingDeps {
  db: Db;
  imageUrlOf: ImageUrlOf;
  /** Removes a deleted product's photo files; called after the database change is committed. */
  deleteImageFiles(imageIds: string[]): Promise<void>;
}

export interface ProductDraft {
  name: string;
  slug?: string;
  description: string;
  price: Money;
  compareAtPrice?: Money | null;
  categoryId: number;
  tags: string[];
  status: ProductStatus;
  stockLevel: number;
}

/** Every editable field: stock changes only through adjustments, which the ledger records. */
export type ProductReplacement = Required<Omit<ProductDraft, "stockLevel">>;

export type ProductChanges = Partial<ProductReplacement>;

export async function createProduct(
  deps: EditingDeps,
  draft: ProductDraft,
  actorId: string,
): Promise<VersionedProduct> {
  checkPrices(draft.price.amount, draft.compareAtPrice?.amount ?? null);
  const id = await deps.db.transaction(async (tx) => {
    await requireCategory(tx, draft.categoryId);
    const [row] = await insertOrConflict(() =>
      tx
        .insert(products)
        .values({
          slug: draft.slug ?? slugify(draft.name),
          name: draft.name,
          description: draft.description,
          priceCents: draft.price.amount,
          compareAtCents: draft.compareAtPrice?.amount ?? null,
          categoryId: draft.categoryId,
          tags: uniqueTags(draft.tags),
          status: draft.status,
          stock: draft.stockLevel,
        })
        .returning({ id: products.id }),
    );
    if (!row) throw new Error("unreachable: insert returned no row");
    await tx.insert(inventoryLedger).values({
      productId: row.id,
      delta: draft.stockLevel,
      reason: "initial",
      stockAfter: draft.stockLevel,
      actorId,
    });
    return row.id;
  });
  return getProduct(deps, id, "staff");
}

/**
 * Applies the changes only if the product is still at a version the editor accepts (the one it
 * read), in one conditional UPDATE, so a concurrent edit can never be overwritten silently. An
 * editor that names no version is refused: a blind overwrite is how edits get lost.
 */
export async function updateProduct(
  deps: EditingDeps,
  id: number,
  expected: ExpectedVersions | undefined,
  changes: ProductChanges,
): Promise<VersionedProduct> {
  if (expected === undefined) {
    throw new DomainError(
      "precondition_required",
      "Name the version of the product you are changing, so that concurrent edits are not lost",
    );
  }
  const [current] = await deps.db
    .select({
      version: products.version,
      priceCents: products.priceCents,
      compareAtCents: products.compareAtCents,
    })
    .from(products)
    .where(and(eq(products.id, id), isNull(products.deletedAt)));
  if (!current) throw new DomainError("not_found", `No product with id ${id}`);
  if (!accepts(expected, current.version)) throw stale();
  const price = changes.price?.amount ?? current.priceCents;
  const compareAt =
    changes.compareAtPrice === undefined ? current.compareAtCents : (changes.compareAtPrice?.amount ?? null);
  checkPrices(price, compareAt);

  await deps.db.transaction(async (tx) => {
    if (changes.categoryId !== undefined) await requireCategory(tx, changes.categoryId);
    const updated = await insertOrConflict(() =>
      tx
        .update(products)
        .set({
          ...(changes.name !== undefined && { name: changes.name }),
          ...(changes.slug !== undefined && { slug: changes.slug }),
          ...(changes.description !== undefined && { description: changes.description }),
          ...(changes.price !== undefined && { priceCents: changes.price.amount }),
          ...(changes.compareAtPrice !== undefined && {
            compareAtCents: changes.compareAtPrice?.amount ?? null,
          }),
          ...(changes.categoryId !== undefined && { categoryId: changes.categoryId }),
          ...(changes.tags !== undefined && { tags: uniqueTags(changes.tags) }),
          ...(changes.status !== undefined && { status: changes.status }),
          version: sql`${products.version} + 1`,
          updatedAt: sql`now()`,
        })
        .where(and(eq(products.id, id), eq(products.version, current.version), isNull(products.deletedAt)))
        .returning({ id: products.id }),
    );
    if (updated.length === 0) throw stale();
  });
  return getProduct(deps, id, "staff");
}

/** A full replacement is a change of every editable field, under the same version guard. */
export async function replaceProduct(
  deps: EditingDeps,
  id: number,
  expected: ExpectedVersions | undefined,
  replacement: ProductReplacement,
): Promise<VersionedProduct> {
  return updateProduct(deps, id, expected, replacement);
}

/**
 * Soft delete: the row stays for the orders that refer to it, but it leaves every listing,
 * its slug becomes free, and its photos are removed.
 */
export async function deleteProduct(
  deps: EditingDeps,
  id: number,
  expected: ExpectedVersions | undefined,
): Promise<void> {
  const imageIds = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ version: products.version })
      .from(products)
      .where(and(eq(products.id, id), isNull(products.deletedAt)))
      .for("update");
    if (!row) throw new DomainError("not_found", `No product with id ${id}`);
    if (expected !== undefined && !accepts(expected, row.version)) throw stale();
    await tx
      .update(products)
      .set({ deletedAt: sql`now()`, version: sql`${products.version} + 1`, updatedAt: sql`now()` })
      .where(eq(products.id, id));
    const images = await tx
      .delete(productImages)
      .where(eq(productImages.productId, id))
      .returning({ id: productImages.id });
    return images.map((image) => image.id);
  });
  await deps.deleteImageFiles(imageIds);
}

function accepts(expected: ExpectedVersions, version: number): boolean {
  return expected === "any" || expected.includes(version);
}

function stale(): DomainError {
  return new DomainError(
    "precondition_failed",
    "The product changed since you read it; fetch it again and reapply your change",
  );
}

/** In cents; the shop sells in one currency, which the contract enforces. */
function checkPrices(price: number, compareAt: number | null): void {
  if (compareAt !== null && compareAt <= price) {
    throw new DomainError("unprocessable", "compareAtPrice must be higher than price, or null", {
      errors: [
        {
          location: "body",
          field: "compareAtPrice",
          pointer: "/compareAtPrice",
          message: "Must be higher than price",
        },
      ],
    });
  }
}

function uniqueTags(tags: string[]): string[] {
  return [...new Set(tags)];
}

async function requireCategory(db: Pick<Db, "select">, categoryId: number): Promise<void> {
  const [category] = await db
    .select({ id: categories.id })
    .from(categories)
    .where(eq(categories.id, categoryId));
  if (!category) {
    throw new DomainError("unprocessable", `No category with id ${categoryId}`, {
      errors: [
        { location: "body", field: "categoryId", pointer: "/categoryId", message: "No such category" },
      ],
    });
  }
}

async function insertOrConflict<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (violatedConstraint(error, ["23505"]) === "products_slug_live_key") {
      throw new DomainError("slug_taken", "Another product already uses this slug; choose another one");
    }
    throw error;
  }
}
