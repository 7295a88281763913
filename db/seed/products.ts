import { and, asc, eq, inArray, isNull, lte, notExists, sql } from "drizzle-orm";
import type { Db } from "../../src/platform/db.ts";
import { inventoryLedger, productImages, products } from "../schema/index.ts";
import { seedCategories } from "./categories.ts";
import { type SeedProduct, seedProducts } from "./data/products.ts";

const BATCH = 50;
const DAY_MS = 86_400_000;

/**
 * Adds the seed products that are missing, each with its opening balance in the inventory
 * ledger. Products already there are left as they are: staff may have edited them, and
 * rewriting stock would break the ledger. Returns how many were added.
 */
export async function seedProductRows(
  db: Db,
  onProgress: (message: string) => void,
  items: readonly SeedProduct[] = seedProducts,
  now: Date = new Date(),
): Promise<number> {
  const categoryIds = new Map(seedCategories.map((category) => [category.slug, category.id]));
  let added = 0;
  for (let start = 0; start < items.length; start += BATCH) {
    const batch = items.slice(start, start + BATCH);
    added += await db.transaction(async (tx) => {
      const inserted = await tx
        .insert(products)
        .values(batch.map((item) => toRow(item, categoryIds, now)))
        .onConflictDoNothing({ target: products.id })
        .returning({ id: products.id, stock: products.stock });
      if (inserted.length > 0) {
        await tx.insert(inventoryLedger).values(
          inserted.map((row) => ({
            productId: row.id,
            delta: row.stock,
            reason: "initial" as const,
            stockAfter: row.stock,
          })),
        );
      }
      return inserted.length;
    });
    onProgress(`products: ${Math.min(start + BATCH, items.length)}/${items.length} checked, ${added} added`);
  }
  await advanceIdentity(db, "products");
  return added;
}

function toRow(item: SeedProduct, categoryIds: Map<string, number>, now: Date) {
  const categoryId = categoryIds.get(item.categorySlug);
  if (categoryId === undefined)
    throw new Error(`seed product ${item.id} names unknown category '${item.categorySlug}'`);
  const createdAt = new Date(now.getTime() - item.createdDaysAgo * DAY_MS);
  return {
    id: item.id,
    slug: item.slug,
    name: item.name,
    description: item.description,
    priceCents: item.priceCents,
    compareAtCents: item.compareAtCents,
    stock: item.stock,
    tags: [...item.tags],
    categoryId,
    status: item.status,
    createdAt,
    updatedAt: createdAt,
  };
}

/** Seed product ids that have no photo yet. */
export async function seedProductsWithoutImages(db: Db): Promise<number[]> {
  const rows = await db
    .select({ id: products.id })
    .from(products)
    .where(
      and(
        lte(products.id, seedProducts.length),
        isNull(products.deletedAt),
        notExists(
          db.select({ one: sql`1` }).from(productImages).where(eq(productImages.productId, products.id)),
        ),
      ),
    )
    .orderBy(asc(products.id));
  return rows.map((row) => row.id);
}

export async function productNames(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: products.id, name: products.name })
    .from(products)
    .where(inArray(products.id, ids));
  return new Map(rows.map((row) => [row.id, row.name]));
}

/**
 * Rows inserted with explicit ids do not advance the identity sequence; without this the first
 * row created through the API would collide with id 1. Never moves it backwards.
 */
export async function advanceIdentity(
  db: Pick<Db, "execute">,
  table: "categories" | "products",
): Promise<void> {
  await db.execute(sql`
    select setval(
      pg_get_serial_sequence(${table}, 'id'),
      greatest(
        (select coalesce(max(id), 1) from ${sql.identifier(table)}),
        (select coalesce(last_value, 1) from pg_sequences
          where format('%I.%I', schemaname, sequencename) = pg_get_serial_sequence(${table}, 'id'))
      )
    )`);
}
