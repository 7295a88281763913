import { describe, expect, it, vi } from "vitest";
import { seedCategories } from "../../../db/seed/data/categories.ts";
import {
  buildSeedProducts,
  PUBLISHED_ID_RANGE,
  type SeedProduct,
  searchFixtures,
  seedProducts,
} from "../../../db/seed/data/products.ts";
import { tagVocabulary } from "../../../db/seed/data/tags.ts";
import { slugify, slugPattern } from "../../../src/domain/catalog/slug.ts";

const categoryBySlug = new Map(seedCategories.map((category) => [category.slug, category]));
const parentSlugs = new Set(seedCategories.map((category) => category.parentSlug));
const isLeaf = (slug: string): boolean => !parentSlugs.has(slug);

function depthOf(slug: string): number {
  const parent = categoryBySlug.get(slug)?.parentSlug;
  return parent ? depthOf(parent) + 1 : 1;
}

const share = (predicate: (product: SeedProduct) => boolean): number =>
  seedProducts.filter(predicate).length / seedProducts.length;

describe("slugify", () => {
  it("folds accents, apostrophes and ampersands into a clean slug", () => {
    expect(slugify("Jack-o'-Lantern Coasters")).toBe("jack-o-lantern-coasters");
    expect(slugify("Macramé-Style Wall Hanging")).toBe("macrame-style-wall-hanging");
    expect(slugify("Kids' First Crochet Kit")).toBe("kids-first-crochet-kit");
    expect(slugify("Key & Trinket Catchall Tray")).toBe("key-and-trinket-catchall-tray");
    expect(slugify("Round Cotton Placemats (Set of 2)")).toBe("round-cotton-placemats-set-of-2");
  });

  it("cuts an over-long slug at a word boundary", () => {
    const slug = slugify("word ".repeat(40));
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(slug).toMatch(slugPattern);
    expect(slug.endsWith("word")).toBe(true);
  });
});

describe("seed categories", () => {
  it("keeps the original ids 1-16 and their slugs, which links and fixtures name", () => {
    // Pinned on purpose: changing one of these breaks URLs already in the wild.
    const original = [
      "amigurumi",
      "amigurumi-animals",
      "amigurumi-food-and-plants",
      "amigurumi-fantasy-creatures",
      "home",
      "home-blankets",
      "home-cushions",
      "home-baskets-and-storage",
      "wearables",
      "wearables-hats",
      "wearables-scarves",
      "wearables-bags",
      "patterns",
      "yarn-kits",
      "yarn-kits-beginner",
      "yarn-kits-amigurumi",
    ];
    expect(seedCategories.filter((category) => category.id <= 16).map((category) => category.slug)).toEqual(
      original,
    );
  });

  it("has contiguous ids and unique, well-formed slugs", () => {
    expect(seedCategories.map((category) => category.id)).toEqual(
      seedCategories.map((_, index) => index + 1),
    );
    expect(categoryBySlug.size).toBe(seedCategories.length);
    for (const { slug } of seedCategories) {
      expect(slug).toMatch(slugPattern);
      expect(slug.length).toBeLessThanOrEqual(80);
    }
  });

  it("forms a tree whose parents exist and whose roots all have children", () => {
    for (const category of seedCategories) {
      if (category.parentSlug !== null) expect(categoryBySlug.has(category.parentSlug)).toBe(true);
    }
    const roots = seedCategories.filter((category) => category.parentSlug === null);
    for (const root of roots) {
      expect(seedCategories.filter((category) => category.parentSlug === root.slug).length).toBeGreaterThan(
        1,
      );
    }
    expect(Math.max(...seedCategories.map((category) => depthOf(category.slug)))).toBeGreaterThanOrEqual(2);
  });

  it("gives siblings distinct positions so their order is unambiguous", () => {
    const keys = seedCategories.map((category) => `${category.parentSlug}:${category.position}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe("seed products", () => {
  it("has at least 200 products with contiguous ids from 1", () => {
    expect(seedProducts.length).toBeGreaterThanOrEqual(200);
    expect(seedProducts.map((product) => product.id)).toEqual(seedProducts.map((_, index) => index + 1));
  });

  it("publishes every id from 1 to 100 and keeps drafts and archived products above", () => {
    expect(PUBLISHED_ID_RANGE).toBe(100);
    const inRange = seedProducts.filter((product) => product.id <= 100);
    expect(inRange).toHaveLength(100);
    for (const { id, status } of inRange) expect(status, `product ${id}`).toBe("active");
    const unpublished = seedProducts.filter((product) => product.status !== "active");
    expect(unpublished.length).toBeGreaterThan(0);
    for (const { id } of unpublished) expect(id).toBeGreaterThan(100);
  });

  it("keeps the ids of the products that traded places to free 1-100 for products on sale", () => {
    // Pinned on purpose: these were renumbered once, and links and load scenarios now use them.
    const traded: Record<number, string> = {
      7: "Moon Phase Cushion",
      101: "Highland Cow Amigurumi",
      94: "Hanging Wall Pocket Organiser",
      108: "Ocean Bobble Cushion Cover",
    };
    for (const [id, name] of Object.entries(traded)) {
      expect(seedProducts.find((product) => product.id === Number(id))?.name, `product ${id}`).toBe(name);
    }
  });

  it("has unique names and slugs, each slug derived from its name", () => {
    expect(new Set(seedProducts.map((product) => product.name)).size).toBe(seedProducts.length);
    expect(new Set(seedProducts.map((product) => product.slug)).size).toBe(seedProducts.length);
    // Names with punctuation a slug must fold, and the slugs links already use for them.
    const folded: Record<number, [name: string, slug: string]> = {
      42: ["Breakfast Egg & Toast Set", "breakfast-egg-and-toast-set"],
      110: ["Key & Trinket Catchall Tray", "key-and-trinket-catchall-tray"],
      124: ["Jack-o'-Lantern Coasters", "jack-o-lantern-coasters"],
      128: ["Round Cotton Placemats (Set of 2)", "round-cotton-placemats-set-of-2"],
      130: ["Macramé-Style Wall Hanging", "macrame-style-wall-hanging"],
      136: ["Moon & Stars Mobile", "moon-and-stars-mobile"],
      166: ["Kids' Dinosaur Scarf", "kids-dinosaur-scarf"],
      187: ["Kids' Polar Bear Mittens", "kids-polar-bear-mittens"],
      201: ["Cotton Produce Bags (Set of 3)", "cotton-produce-bags-set-of-3"],
      275: ["Kids' First Crochet Kit", "kids-first-crochet-kit"],
    };
    for (const { id, name, slug } of seedProducts) {
      expect(slug, name).toMatch(slugPattern);
      expect(slug.length, name).toBeLessThanOrEqual(80);
      const pinned = folded[id];
      if (pinned) {
        expect([name, slug]).toEqual(pinned);
      } else {
        // Any other name is plain words, and its slug is those words, lowercased, hyphen-joined.
        expect(name).toMatch(/^[A-Za-z0-9]+(?:[ -][A-Za-z0-9]+)*$/);
        expect(slug, name).toBe(name.toLowerCase().split(/[ -]/).join("-"));
      }
    }
  });

  it("uses 2-5 unique, well-formed tags from the shared vocabulary", () => {
    const vocabulary = new Set<string>(tagVocabulary);
    for (const { tags, name } of seedProducts) {
      expect(tags.length, name).toBeGreaterThanOrEqual(2);
      expect(tags.length, name).toBeLessThanOrEqual(5);
      expect(new Set(tags).size, name).toBe(tags.length);
      for (const tag of tags) {
        expect(tag).toMatch(slugPattern);
        expect(tag.length).toBeLessThanOrEqual(40);
        expect(vocabulary.has(tag)).toBe(true);
      }
    }
  });

  it("files every product under an existing leaf category", () => {
    for (const { categorySlug, name } of seedProducts) {
      expect(categoryBySlug.has(categorySlug), name).toBe(true);
      expect(isLeaf(categorySlug), name).toBe(true);
    }
  });

  it("prices everything between 3 and 250 euros, with sale prices above the price", () => {
    for (const { priceCents, compareAtCents, name } of seedProducts) {
      expect(Number.isInteger(priceCents), name).toBe(true);
      expect(priceCents, name).toBeGreaterThanOrEqual(300);
      expect(priceCents, name).toBeLessThanOrEqual(25000);
      if (compareAtCents !== null) expect(compareAtCents, name).toBeGreaterThan(priceCents);
    }
    expect(share((product) => product.compareAtCents !== null)).toBeGreaterThan(0.08);
  });

  it("prices patterns, kits and blankets as the shop would", () => {
    const pricesIn = (slugs: string[]) =>
      seedProducts.filter((product) => slugs.includes(product.categorySlug)).map((p) => p.priceCents);
    for (const price of pricesIn(["patterns-amigurumi", "patterns-wearables", "patterns-home"])) {
      expect(price).toBeGreaterThanOrEqual(300);
      expect(price).toBeLessThanOrEqual(900);
    }
    for (const price of pricesIn(["yarn-kits-beginner", "yarn-kits-amigurumi", "yarn-kits-wearables"])) {
      expect(price).toBeGreaterThanOrEqual(1900);
      expect(price).toBeLessThanOrEqual(4500);
    }
    for (const price of pricesIn(["home-blankets"])) expect(price).toBeGreaterThanOrEqual(6000);
  });

  it("mixes stock levels and statuses: some sold out, some drafts, some archived", () => {
    for (const { stock } of seedProducts) {
      expect(Number.isInteger(stock)).toBe(true);
      expect(stock).toBeGreaterThanOrEqual(0);
      expect(stock).toBeLessThanOrEqual(40);
    }
    expect(share((product) => product.stock === 0)).toBeGreaterThan(0.04);
    expect(share((product) => product.status === "draft")).toBeGreaterThan(0.02);
    expect(share((product) => product.status === "archived")).toBeGreaterThan(0.01);
    expect(share((product) => product.status === "active")).toBeGreaterThan(0.85);
  });

  it("gives every product a distinct creation day within the last 400 days", () => {
    const days = seedProducts.map((product) => product.createdDaysAgo);
    expect(new Set(days).size).toBe(days.length);
    for (const day of days) {
      expect(Number.isInteger(day)).toBe(true);
      expect(day).toBeGreaterThanOrEqual(0);
      expect(day).toBeLessThanOrEqual(400);
    }
  });

  it("is deterministic across a rebuild and a fresh module load", async () => {
    expect(buildSeedProducts()).toEqual(seedProducts);
    vi.resetModules();
    const reloaded = await import("../../../db/seed/data/products.ts");
    expect(reloaded.seedProducts).not.toBe(seedProducts);
    expect(reloaded.seedProducts).toEqual(seedProducts);
    expect(reloaded.searchFixtures).toEqual(searchFixtures);
  });
});

describe("search fixtures", () => {
  const byId = new Map(seedProducts.map((product) => [product.id, product]));
  const fixture = (id: number): SeedProduct => {
    const product = byId.get(id);
    if (!product) throw new Error(`no product ${id}`);
    return product;
  };

  it("keeps their ids stable, since products are only ever appended", () => {
    expect(searchFixtures).toEqual({
      grannySquareBlanket: 74,
      sleepyFox: 1,
      merinoSlouchyBeanie: 140,
      sunflowerCoasterSet: 116,
      pocketHedgehogPattern: 234,
      babyBunnyRattle: 205,
    });
  });

  it("points at active, in-stock products with the expected names, categories and tags", () => {
    // Stated by id, not looked up by name: the product at each pinned id must be this one.
    const expected: [id: number, name: string, category: string, tags: string[]][] = [
      [74, "Granny Square Blanket", "home-blankets", ["blanket", "granny-square"]],
      [1, "Sleepy Fox Amigurumi", "amigurumi-animals", ["amigurumi", "animal", "fox"]],
      [140, "Merino Slouchy Beanie", "wearables-hats", ["merino", "winter", "hat"]],
      [116, "Sunflower Coaster Set", "home-coasters", ["coaster"]],
      [234, "Pocket Hedgehog Pattern", "patterns-amigurumi", ["pdf", "pattern"]],
      [205, "Baby Bunny Rattle", "baby-rattles", ["baby", "rattle"]],
    ];
    for (const [id, name, category, tags] of expected) {
      const product = fixture(id);
      expect(product.name, `product ${id}`).toBe(name);
      expect(product.categorySlug, name).toBe(category);
      expect(product.tags, name).toEqual(expect.arrayContaining(tags));
      expect(product.status, name).toBe("active");
      expect(product.stock, name).toBeGreaterThan(0);
    }
  });

  it("leaves no other product that could outrank them on their distinctive words", () => {
    const others = seedProducts.filter((product) => !Object.values(searchFixtures).includes(product.id));
    for (const product of others) {
      const text = `${product.name} ${product.description} ${product.tags.join(" ")}`.toLowerCase();
      expect(text, product.name).not.toMatch(/fox|hedgehog|sunflower/);
      const name = product.name.toLowerCase();
      expect(name.includes("bunny") && name.includes("rattle"), product.name).toBe(false);
      expect(name, product.name).not.toBe("granny square blanket");
      expect(name, product.name).not.toBe("merino slouchy beanie");
    }
  });
});
