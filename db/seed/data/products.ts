import { slugify } from "../../../src/domain/catalog/slug.ts";
import type { ProductTable } from "./product-table.ts";
import { intBetween, mulberry32, shuffled } from "./random.ts";
import { amigurumiTables } from "./tables/amigurumi.ts";
import { babyTables } from "./tables/baby.ts";
import { homeTables } from "./tables/home.ts";
import { kitTables } from "./tables/kits.ts";
import { patternTables } from "./tables/patterns.ts";
import { wearablesTables } from "./tables/wearables.ts";

export type SeedProductStatus = "active" | "draft" | "archived";

export interface SeedProduct {
  id: number;
  slug: string;
  name: string;
  description: string;
  categorySlug: string;
  tags: readonly string[];
  priceCents: number;
  /** The "was" price of an item on sale; always above priceCents when set. */
  compareAtCents: number | null;
  stock: number;
  status: SeedProductStatus;
  /** Distinct per product, so "newest first" never has to break a tie. */
  createdDaysAgo: number;
}

/**
 * A product's id follows from its position in this list (see `idsWithPublishedFirst`), so links,
 * fixtures and load scenarios depend on the order: append new tables (or new rows to the last
 * table) at the end, never insert or reorder.
 */
const productTables: readonly ProductTable[] = [
  ...amigurumiTables,
  ...homeTables,
  ...wearablesTables,
  ...babyTables,
  ...patternTables,
  ...kitTables,
];

/**
 * Products the search tests expect as the top hit for their own name. They are always active
 * and in stock, whatever the generator rolls, or the public search could never return them.
 */
export const searchFixtureNames = {
  grannySquareBlanket: "Granny Square Blanket",
  sleepyFox: "Sleepy Fox Amigurumi",
  merinoSlouchyBeanie: "Merino Slouchy Beanie",
  sunflowerCoasterSet: "Sunflower Coaster Set",
  pocketHedgehogPattern: "Pocket Hedgehog Pattern",
  babyBunnyRattle: "Baby Bunny Rattle",
} as const;

// Any fixed value is deterministic; this one lands close to the intended mix of roughly 5% draft,
// 3% archived, 10% sold out and 15% on sale.
const PRODUCT_SEED = 0x4a0cd;
const CREATED_SEED = 0xc70c;
/** Creation dates are a permutation of 0..MAX_DAYS_AGO, which also caps the catalog size. */
const MAX_DAYS_AGO = 400;
const DIGITAL_STOCK = 40;
const MAX_PRICE_CENTS = 25000;

/** Rounds a "was" price up to whole euros, as a shop would print it. */
function compareAtFor(priceCents: number, markup: number): number {
  return Math.min(MAX_PRICE_CENTS, Math.ceil((priceCents * markup) / 100) * 100);
}

/** Ids 1 to this are published products, so that load scenarios and links can name any of them. */
export const PUBLISHED_ID_RANGE = 100;

/**
 * Expands the hand-written tables into the full catalog. Pure: the same tables always give
 * the same products. Each product draws from its own generator seeded by its position in the
 * list, so appending products never changes the stock, status or price of the ones already there.
 */
export function buildSeedProducts(tables: readonly ProductTable[] = productTables): SeedProduct[] {
  const pinned = new Set<string>(Object.values(searchFixtureNames));
  const days = shuffled(
    Array.from({ length: MAX_DAYS_AGO + 1 }, (_, day) => day),
    mulberry32(CREATED_SEED),
  );
  const rows = tables.flatMap((table) => table.products.map((spec) => ({ table, spec })));
  if (rows.length > days.length) {
    throw new Error(`seed catalog has ${rows.length} products; distinct dates allow ${days.length}`);
  }

  const listed = rows.map(({ table, spec: [name, description, tags, priceCents] }, index) => {
    const position = index + 1;
    const random = mulberry32(PRODUCT_SEED ^ Math.imul(position, 0x9e3779b1));
    // Always draw every value in the same order, so changing one rule leaves the others alone.
    const onSale = random() < 0.15 && priceCents < MAX_PRICE_CENTS;
    const markup = 1.15 + random() * 0.25;
    const soldOut = random() < 0.115;
    const statusRoll = random();
    const isPinned = pinned.has(name);

    let stock: number;
    if (table.stock === "digital") {
      stock = DIGITAL_STOCK;
    } else {
      const [min, max] = table.stock;
      const onShelf = intBetween(random, min, max);
      stock = soldOut && !isPinned ? 0 : onShelf;
    }

    let status: SeedProductStatus = "active";
    if (!isPinned && statusRoll < 0.05) status = "draft";
    else if (!isPinned && statusRoll < 0.08) status = "archived";

    return {
      id: position,
      slug: slugify(name),
      name,
      description,
      categorySlug: table.categorySlug,
      tags: [...tags],
      priceCents,
      compareAtCents: onSale ? compareAtFor(priceCents, markup) : null,
      stock,
      status,
      createdDaysAgo: days[index] as number,
    };
  });
  return idsWithPublishedFirst(listed);
}

/**
 * Ids are stable from here on: links, fixtures and load scenarios name products by id, so this
 * rule and the list order are fixed and no change may renumber a product again.
 *
 * A product's id is its position in the list, with one exception so that every id from 1 to
 * PUBLISHED_ID_RANGE is a product on sale: each draft or archived product within that range
 * trades ids with a published product from just above it (the first unpublished one with the
 * first published one past the range, the second with the second, and so on). Only the first few
 * products past the range ever trade, so appending products moves no id.
 */
function idsWithPublishedFirst(listed: SeedProduct[]): SeedProduct[] {
  const inRange = (product: SeedProduct) => product.id <= PUBLISHED_ID_RANGE;
  const unpublished = listed.filter((product) => inRange(product) && product.status !== "active");
  const replacements = listed.filter((product) => !inRange(product) && product.status === "active");
  if (replacements.length < unpublished.length) {
    throw new Error(`the seed has too few published products to fill ids 1-${PUBLISHED_ID_RANGE}`);
  }
  const newId = new Map<SeedProduct, number>();
  unpublished.forEach((product, index) => {
    const replacement = replacements[index] as SeedProduct;
    newId.set(product, replacement.id);
    newId.set(replacement, product.id);
  });
  return listed
    .map((product) => ({ ...product, id: newId.get(product) ?? product.id }))
    .sort((a, b) => a.id - b.id);
}

export const seedProducts: readonly SeedProduct[] = buildSeedProducts();

/** Looks fixtures up by name so their ids follow the data instead of being copied by hand. */
function idsByName<const T extends Record<string, string>>(
  products: readonly SeedProduct[],
  names: T,
): { [K in keyof T]: number } {
  const idOf = new Map(products.map((product) => [product.name, product.id]));
  const ids: Partial<Record<keyof T, number>> = {};
  for (const key of Object.keys(names) as (keyof T)[]) {
    const id = idOf.get(names[key] as string);
    if (id === undefined) throw new Error(`search fixture "${names[key]}" is missing from the seed`);
    ids[key] = id;
  }
  return ids as { [K in keyof T]: number };
}

export const searchFixtures = idsByName(seedProducts, searchFixtureNames);
