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

/** A product with its version, which every write to it bumps. */
export interface VersionedProduct {
  product: Product;
  version: number;
}

/**
 * The versions an editor accepts to overwrite (the one it read, usually), or `"any"` when it
 * accepts whatever is there; an empty list accepts nothing.
 */
export type ExpectedVersions = "any" | readonly number[];

/** Where a product's photos can be downloaded; the HTTP layer knows the public address. */
export type ImageUrlOf = (imageId: string, size: ImageSize) => string;
