import type { Tag } from "./tags.ts";

/** One hand-written product: [name, description, tags, price in EUR cents]. */
export type ProductSpec = readonly [
  name: string,
  description: string,
  tags: readonly Tag[],
  priceCents: number,
];

/** A run of products that share a category and a stock profile. */
export interface ProductTable {
  categorySlug: string;
  /**
   * How many a maker keeps on the shelf when it is in stock: one-off blankets come in ones and
   * twos, kits by the box. "digital" (PDF patterns) never runs out.
   */
  stock: readonly [min: number, max: number] | "digital";
  products: readonly ProductSpec[];
}

/** The same piece in several colourways, each its own product (own slug, own stock). */
export function colourways(colours: readonly string[], make: (colour: string) => ProductSpec): ProductSpec[] {
  return colours.map(make);
}
