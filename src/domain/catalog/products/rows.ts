import { asc, eq, inArray, sql } from "drizzle-orm";
import { categories, productImages, products } from "../../../../db/schema/index.ts";
import type { Db } from "../../../platform/db.ts";
import type { ImageUrlOf, Product, ProductImage, VersionedProduct } from "./model.ts";

/** A photo as the product read returns it; its position and URLs are filled in afterwards. */
export interface ImageRecord {
  id: string;
  alt: string;
  width: number;
  height: number;
}

// The photos come with their product, in display order, so that a product or a whole page of
// them is one round trip; the index on (product_id, position) serves the lookup.
const imagesJson = sql<ImageRecord[]>`coalesce((
  select json_agg(json_build_object(
    'id', ${productImages.id}, 'alt', ${productImages.alt},
    'width', ${productImages.width}, 'height', ${productImages.height}
  ) order by ${productImages.position}, ${productImages.createdAt})
  from ${productImages} where ${productImages.productId} = ${products.id}
), '[]'::json)`;

/** The columns every product read selects: the product, its category, its photos and its version. */
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
  images: imagesJson,
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
  const byProduct = new Map<number, ImageRecord[]>();
  if (productIds.length === 0) return new Map();
  const rows = await db
    .select()
    .from(productImages)
    .where(inArray(productImages.productId, productIds))
    .orderBy(asc(productImages.productId), asc(productImages.position), asc(productImages.createdAt));
  for (const row of rows) {
    const list = byProduct.get(row.productId) ?? [];
    list.push(row);
    byProduct.set(row.productId, list);
  }
  return new Map([...byProduct].map(([productId, images]) => [productId, toImages(images, urlOf)]));
}

function toImages(records: ImageRecord[], urlOf: ImageUrlOf): ProductImage[] {
  return records.map((image, position) => ({
    id: image.id,
    alt: image.alt,
    position,
    width: image.width,
    height: image.height,
    urls: {
      thumbnail: urlOf(image.id, "thumbnail"),
      card: urlOf(image.id, "card"),
      full: urlOf(image.id, "full"),
    },
  }));
}

export function toProduct(record: ProductRecord, urlOf: ImageUrlOf): Product {
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
    images: toImages(record.images, urlOf),
    status: record.status,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

export function versioned(record: ProductRecord, urlOf: ImageUrlOf): VersionedProduct {
  return { product: toProduct(record, urlOf), version: record.version };
}
