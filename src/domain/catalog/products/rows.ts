import { asc, eq, inArray } from "drizzle-orm";
import { categories, productImages, products } from "../../../../db/schema/index.ts";
import type { Db } from "../../../platform/db.ts";
import type { ImageUrlOf, Product, ProductImage, VersionedProduct } from "./model.ts";

/** The columns every product read selects: the product, its category, and its version. */
export const productColumns = {
  id: products.id,
  slug: products.slug,
  name: products.name,
  description: products.description,
  priceCents: products.priceCents,
  currency: products.currency,
  compareAtCents: products.compareAtCents,
  stock: products.stock,
  tags: products.tags,
  status: products.status,
  version: products.version,
  createdAt: products.createdAt,
  updatedAt: products.updatedAt,
  categoryId: categories.id,
  categorySlug: categories.slug,
  categoryName: categories.name,
};

/** `select(productColumns).from(products)` with the category joined in. */
export function selectProducts(db: Db) {
  return db
    .select(productColumns)
    .from(products)
    .innerJoin(categories, eq(products.categoryId, categories.id));
}

export type ProductRecord = Awaited<ReturnType<typeof selectProducts>>[number];

/** Photos of the given products, in display order, grouped by product. */
export async function imagesOf(
  db: Db,
  productIds: number[],
  urlOf: ImageUrlOf,
): Promise<Map<number, ProductImage[]>> {
  const byProduct = new Map<number, ProductImage[]>();
  if (productIds.length === 0) return byProduct;
  const rows = await db
    .select()
    .from(productImages)
    .where(inArray(productImages.productId, productIds))
    .orderBy(asc(productImages.productId), asc(productImages.position), asc(productImages.createdAt));
  for (const row of rows) {
    const list = byProduct.get(row.productId) ?? [];
    list.push({
      id: row.id,
      alt: row.alt,
      position: list.length,
      width: row.width,
      height: row.height,
      urls: {
        thumbnail: urlOf(row.id, "thumbnail"),
        card: urlOf(row.id, "card"),
        full: urlOf(row.id, "full"),
      },
    });
    byProduct.set(row.productId, list);
  }
  return byProduct;
}

export function toProduct(record: ProductRecord, images: ProductImage[]): Product {
  return {
    id: record.id,
    slug: record.slug,
    name: record.name,
    description: record.description,
    price: { amount: record.priceCents, currency: record.currency },
    compareAtPrice:
      record.compareAtCents === null ? null : { amount: record.compareAtCents, currency: record.currency },
    stockLevel: record.stock,
    inStock: record.stock > 0,
    category: { id: record.categoryId, slug: record.categorySlug, name: record.categoryName },
    tags: record.tags,
    images,
    status: record.status,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

/** Records to products, with their photos read in one query. */
export async function withImages(db: Db, records: ProductRecord[], urlOf: ImageUrlOf): Promise<Product[]> {
  const images = await imagesOf(
    db,
    records.map((record) => record.id),
    urlOf,
  );
  return records.map((record) => toProduct(record, images.get(record.id) ?? []));
}

export async function versioned(db: Db, record: ProductRecord, urlOf: ImageUrlOf): Promise<VersionedProduct> {
  const [product] = await withImages(db, [record], urlOf);
  if (!product) throw new Error("unreachable: one record gives one product");
  return { product, version: record.version };
}
