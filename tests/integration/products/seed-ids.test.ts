import { gt, lte, ne } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { products } from "../../../db/schema/index.ts";
import { seedProducts } from "../../../db/seed/data/products.ts";
import { createTestApp, type TestApp } from "../../support/app";

// Load scenarios draw product ids from 1-100 and expect every one of them to be on sale.
describe("the seed's product ids", () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await createTestApp({ seed: "catalog" });
  });
  afterAll(async () => {
    await api.close();
  });

  it("serve a published product for every id from 1 to 100", async () => {
    for (let id = 1; id <= 100; id++) {
      const response = await api.request(`/api/products/${id}`);
      expect(response.status, `GET /api/products/${id}`).toBe(200);
      expect(response.body).toMatchObject({ id, status: "active" });
    }
  });

  it("keep the seed's drafts and archived products above 100, hidden from the shop", async () => {
    const { db } = api.database;
    expect(await db.select({ id: products.id }).from(products).where(lte(products.id, 100))).toHaveLength(
      100,
    );
    const unpublished = await db
      .select({ id: products.id, status: products.status })
      .from(products)
      .where(ne(products.status, "active"));
    const expected = seedProducts.filter((product) => product.status !== "active");
    expect(unpublished.map((row) => row.id).sort((a, b) => a - b)).toEqual(
      expected.map((product) => product.id),
    );
    expect(new Set(unpublished.map((row) => row.status))).toEqual(new Set(["draft", "archived"]));
    for (const { id } of unpublished) {
      expect(id).toBeGreaterThan(100);
      expect((await api.request(`/api/products/${id}`)).status).toBe(404);
    }
    const above = await db.select({ id: products.id }).from(products).where(gt(products.id, 100));
    expect(above.length).toBeGreaterThan(unpublished.length);
  });
});
