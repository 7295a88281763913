import { asc, eq, inArray, sql } from "drizzle-orm";
import { categories, productImages, products } from "../../../../db/schema/index.ts";
import type { Db } from "../../../platform/db.ts";
import type { ImageUrlOf, Product, ProductImage, ProductStatus, VersionedProduct } from "./model.ts";

/** A photo as the product read returns it; its position and URLs are filled in afterwards. */
export interface ImageRecord {
  id: string;
  alt: string;
  width: number;
  height: number;
}

/** A product's fields as the read returns them, in this order (see `productFields`). */
type ProductFields = [
  id: number,
  slug: string,
  name: string,
  description: string,
  priceCents: number,
  currency: string,
  compareAtCents: number | null,
  stock: number,
  tags: string[],
  status: ProductStatus,
  categoryId: number,
  categorySlug: string,
  categoryName: string,
  images: ImageRecord[],
];

// The product's fields travel as one JSON array: one string and one JSON.parse per product, where
// separate columns cost a text decode and a type parse each (a page of twenty is four hundred),
// which made decoding the main cost of a listing. Building the array costs PostgreSQL little; a
// JSON object with named fields, or timestamps formatted in SQL, cost it more than they save here.
// The photos come with their product, in display order (the index on (product_id, position)
// serves the lookup), so a product or a whole page of them is one round trip.
const productFields = sql<ProductFields>`json_build_array(
  ${products.id}, ${products.slug}, ${products.name}, ${products.description},
  ${products.priceCents}, ${products.currency}, ${products.compareAtCents}, ${products.stock},
  ${products.tags}, ${products.status}, ${categories.id}, ${categories.slug}, ${categories.name},
  coalesce((
    select json_agg(json_build_object(
      'id', ${productImages.id}, 'alt', ${productImages.alt},
      'width', ${productImages.width}, 'height', ${productImages.height}
    ) order by ${productImages.position}, ${productImages.createdAt})
    from ${productImages} where ${productImages.productId} = ${products.id}
  ), '[]'::json)
)`;

/** What every product read selects: the product with its category and photos, and its version. */
export const productColumns = {
  fields: productFields,
  version: products.version,
  createdAt: products.createdAt,
  updatedAt: products.updatedAt,
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
  const [
    id,
    slug,
    name,
    description,
    priceCents,
    currency,
    compareAtCents,
    stock,
    tags,
    status,
    categoryId,
    categorySlug,
    categoryName,
    images,
  ] = record.fields;
  return {
    id,
    slug,
    name,
    description,
    price: { amount: priceCents, currency },
    compareAtPrice: compareAtCents === null ? null : { amount: compareAtCents, currency },
    stockLevel: stock,
    inStock: stock > 0,
    category: { id: categoryId, slug: categorySlug, name: categoryName },
    tags,
    images: toImages(images, urlOf),
    status,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

export function versioned(record: ProductRecord, urlOf: ImageUrlOf): VersionedProduct {
  return { product: toProduct(record, urlOf), version: record.version };
}
