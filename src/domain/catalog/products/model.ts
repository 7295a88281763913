import type { ProductStatus } from "../../../../db/schema/index.ts";

export type { ProductStatus } from "../../../../db/schema/index.ts";

export interface Money {
  amount: number;
  currency: string;
}

export type ImageSize = "thumbnail" | "card" | "full";

export interface ProductImage {
  id: string;
  alt: string;
  position: number;
  width: number;
  height: number;
  urls: Record<ImageSize, string>;
}

export interface Product {
  id: number;
  slug: string;
  name: string;
  description: string;
  price: Money;
  compareAtPrice: Money | null;
  stockLevel: number;
  inStock: boolean;
  category: { id: number; slug: string; name: string };
  tags: string[];
  images: ProductImage[];
  status: ProductStatus;
  createdAt: string;
  updatedAt: string;
}

/** A product with the version its ETag is built from. */
export interface VersionedProduct {
  product: Product;
  etag: string;
}

/** Where a product's photos can be downloaded; the HTTP layer knows the public address. */
export type ImageUrlOf = (imageId: string, size: ImageSize) => string;

/**
 * Strong, and changes with every write (the version is bumped by each), so it serves both
 * revalidation (If-None-Match) and optimistic locking (If-Match).
 */
export function productEtag(id: number, version: number): string {
  return `"${id}-${version}"`;
}
