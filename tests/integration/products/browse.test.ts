import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { searchFixtures, seedProducts } from "../../../db/seed/data/products.ts";
import { createTestApp, type TestApp } from "../../support/app";

// The seeded catalog: 290 products, drafts and archived ones among them.
const visible = seedProducts.filter((product) => product.status === "active");
const hidden = seedProducts.filter((product) => product.status !== "active");

interface ProductBody {
  id: number;
  name: string;
  price: { amount: number };
  stockLevel: number;
  tags: string[];
  category: { slug: string };
  status: string;
  createdAt: string;
}

describe("browsing the catalog", () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await createTestApp({ seed: "catalog" });
  });
  afterAll(async () => {
    await api.close();
  });

  async function everyPage(query: string): Promise<ProductBody[]> {
    const seen: ProductBody[] = [];
    let cursor: string | null = null;
    do {
      const path: string = cursor ? `/api/products?cursor=${cursor}` : `/api/products?${query}`;
      const page = await api.request(path);
      expect(page.status).toBe(200);
      seen.push(...page.body.data);
      cursor = page.body.nextCursor;
    } while (cursor);
    return seen;
  }

  it("pages through every product on sale exactly once, newest first, and never shows a draft", async () => {
    const all = await everyPage("limit=37");
    expect(all.map((p) => p.id).sort((a, b) => a - b)).toEqual(
      visible.map((p) => p.id).sort((a, b) => a - b),
    );
    expect(all.every((p) => p.status === "active")).toBe(true);
    const created = all.map((p) => Date.parse(p.createdAt));
    expect(created).toEqual([...created].sort((a, b) => b - a));
  });

  it("answers 404 for drafts and archived products, by id and by slug", async () => {
    for (const product of hidden.slice(0, 4)) {
      expect((await api.request(`/api/products/${product.id}`)).status).toBe(404);
      expect((await api.request(`/api/products/by-slug/${product.slug}`)).status).toBe(404);
    }
    const shown = visible[0];
    const bySlug = await api.request(`/api/products/by-slug/${shown?.slug}`);
    expect(bySlug.body.id).toBe(shown?.id);
  });

  it.each([
    ["price_asc", (a: ProductBody, b: ProductBody) => a.price.amount - b.price.amount || a.id - b.id],
    ["price_desc", (a: ProductBody, b: ProductBody) => b.price.amount - a.price.amount || b.id - a.id],
    ["name", (a: ProductBody, b: ProductBody) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id)],
  ] as const)("sorts by %s across pages", async (sort, compare) => {
    const all = await everyPage(`sort=${sort}&limit=50`);
    expect(all).toHaveLength(visible.length);
    expect(all.map((p) => p.id)).toEqual([...all].sort(compare).map((p) => p.id));
  });

  it("filters by category including its sub-categories, by price, by stock and by tags", async () => {
    const amigurumi = await everyPage("category=amigurumi&limit=100");
    expect(amigurumi.length).toBeGreaterThan(0);
    expect(amigurumi.every((p) => p.category.slug.startsWith("amigurumi"))).toBe(true);
    expect(amigurumi.length).toBe(visible.filter((p) => p.categorySlug.startsWith("amigurumi")).length);

    const cheap = await everyPage("minPrice=1000&maxPrice=2000&limit=100");
    expect(cheap.length).toBe(visible.filter((p) => p.priceCents >= 1000 && p.priceCents <= 2000).length);

    const soldOut = await everyPage("inStock=false&limit=100");
    expect(soldOut.length).toBe(visible.filter((p) => p.stock === 0).length);
    expect(soldOut.every((p) => p.stockLevel === 0)).toBe(true);
    const inStock = await everyPage("inStock=true&limit=100");
    expect(inStock.length + soldOut.length).toBe(visible.length);

    const giftsForBabies = await everyPage("tag=gift&tag=baby&limit=100");
    const expected = visible.filter((p) => p.tags.includes("gift") && p.tags.includes("baby"));
    expect(giftsForBabies.map((p) => p.id).sort()).toEqual(expected.map((p) => p.id).sort());
  });

  it.each([
    ["granny square blanket", searchFixtures.grannySquareBlanket],
    ["sleepy fox", searchFixtures.sleepyFox],
    ["merino slouchy", searchFixtures.merinoSlouchyBeanie],
    ["sunflower coaster", searchFixtures.sunflowerCoasterSet],
    ["hedgehog pattern", searchFixtures.pocketHedgehogPattern],
    ["bunny rattle", searchFixtures.babyBunnyRattle],
    ["sleepy fxo amigurumi", searchFixtures.sleepyFox],
    ["hedgehgo", searchFixtures.pocketHedgehogPattern],
  ])("search '%s' ranks the product meant first", async (q, expectedId) => {
    const found = await api.request(`/api/products?q=${encodeURIComponent(q)}&limit=5`);
    expect(found.status).toBe(200);
    expect(found.body.data[0]?.id).toBe(expectedId);
  });

  it.each([
    ["blankt", "blanket"],
    ["amigurumy", "amigurumi"],
  ])("tolerates the typo '%s'", async (q, meant) => {
    const found = await api.request(`/api/products?q=${q}&limit=10`);
    expect(found.body.data.length).toBeGreaterThan(0);
    for (const product of found.body.data as ProductBody[]) {
      expect(`${product.name} ${product.tags.join(" ")}`.toLowerCase()).toContain(meant);
    }
  });

  it("refuses an over-long query, a tampered cursor, and a cursor sent with other filters", async () => {
    expect((await api.request(`/api/products?q=${"a".repeat(201)}`)).status).toBe(400);
    const first = await api.request("/api/products?limit=5&sort=price_asc");
    const cursor = first.body.nextCursor as string;
    const flipped = cursor.slice(0, 10) + (cursor[10] === "A" ? "B" : "A") + cursor.slice(11);
    const tampered = await api.request(`/api/products?cursor=${flipped}`);
    expect(tampered.status).toBe(400);
    expect(tampered.body.code).toBe("invalid_cursor");
    const mixed = await api.request(`/api/products?cursor=${cursor}&sort=price_desc`);
    expect(mixed.body.code).toBe("invalid_cursor");
    const same = await api.request(`/api/products?cursor=${cursor}&sort=price_asc&limit=5`);
    expect(same.status).toBe(200);
  });

  it("sends ETag and Cache-Control on public reads and answers 304 to If-None-Match", async () => {
    // The lifetimes of the shop's plan, as the contract's x-cache declares them.
    for (const [path, maxAge] of [
      ["/api/products?limit=3", 3600],
      ["/api/products/1", 3600],
      ["/api/categories", 86400],
      ["/api/categories/home", 86400],
    ] as const) {
      const first = await api.request(path);
      expect(first.headers.get("cache-control")).toBe(
        `public, max-age=${maxAge}, stale-while-revalidate=300`,
      );
      const etag = first.headers.get("etag");
      expect(etag).toBeTruthy();
      const again = await api.request(path, { headers: { "if-none-match": etag ?? "" } });
      expect(again.status).toBe(304);
      expect(again.text).toBe("");
    }
  });

  it("shows a category with its breadcrumbs and sub-categories", async () => {
    const hats = await api.request("/api/categories/wearables-hats");
    expect(hats.body.breadcrumbs.map((c: { slug: string }) => c.slug)).toEqual([
      "wearables",
      "wearables-hats",
    ]);
    const wearables = await api.request("/api/categories/wearables");
    expect(wearables.body.children.map((c: { slug: string }) => c.slug)).toContain("wearables-hats");
    expect((await api.request("/api/categories/no-such-thing")).status).toBe(404);
  });
});
