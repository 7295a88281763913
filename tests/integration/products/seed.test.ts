import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inventoryLedger, products } from "../../../db/schema/index.ts";
import { seedProducts } from "../../../db/seed/data/products.ts";
import { seedPlaceholderImages } from "../../../db/seed/images.ts";
import { seedCatalog } from "../../../db/seed/index.ts";
import { createTestApp, type TestApp } from "../../support/app";

describe("the catalog seed", () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await createTestApp({ seed: "catalog" });
  });
  afterAll(async () => {
    await api.close();
  });

  const total = async (table: typeof products | typeof inventoryLedger) =>
    (await api.database.db.select({ n: count() }).from(table))[0]?.n;

  it("holds every seed product with its stable id and an opening ledger line", async () => {
    expect(await total(products)).toBe(seedProducts.length);
    expect(await total(inventoryLedger)).toBe(seedProducts.length);
    const [first] = await api.database.db.select().from(products).where(eq(products.id, 1));
    expect(first?.slug).toBe(seedProducts[0]?.slug);
  });

  it("is idempotent and never rewrites a product staff changed", async () => {
    await api.database.db.update(products).set({ name: "Renamed by staff" }).where(eq(products.id, 1));
    const progress: string[] = [];
    const result = await seedCatalog(api.database.db, (message) => progress.push(message));
    expect(result.products).toBe(0);
    expect(
      progress.some((line) => line.startsWith(`products: ${seedProducts.length}/${seedProducts.length}`)),
    ).toBe(true);
    expect(await total(products)).toBe(seedProducts.length);
    expect(await total(inventoryLedger)).toBe(seedProducts.length);
    const [first] = await api.database.db.select().from(products).where(eq(products.id, 1));
    expect(first?.name).toBe("Renamed by staff");
  });

  it("draws placeholder photos locally, once, served in their three sizes", async () => {
    const { images } = api.services.catalog;
    expect(await seedPlaceholderImages(api.database.db, images, { only: [2, 3] })).toBe(2);
    expect(await seedPlaceholderImages(api.database.db, images, { only: [2, 3] })).toBe(0);
    const product = await api.request("/api/products/2");
    expect(product.body.images).toHaveLength(1);
    for (const url of Object.values(product.body.images[0].urls as Record<string, string>)) {
      const file = await api.request(new URL(url).pathname);
      expect(file.status).toBe(200);
      expect(file.headers.get("content-type")).toBe("image/webp");
    }
  });
});
