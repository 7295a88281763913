import { and, eq, isNull, notInArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { products } from "../../../db/schema/index.ts";
import { createTestApp, type TestApp } from "../../support/app";

// Keyset pages resume after the last product shown, so writes between two pages neither repeat
// a product nor skip one that existed, unchanged, throughout.
describe("cursor stability while the catalog changes", () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await createTestApp({ seed: "catalog" });
  });
  afterAll(async () => {
    await api.close();
  });

  it.each(["newest", "price_asc", "name"] as const)("sort=%s: no repeats, no skips", async (sort) => {
    const seen: number[] = [];
    const touched = new Set<number>();
    let page = await api.request(`/api/products?sort=${sort}&limit=25`);
    let round = 0;
    while (true) {
      seen.push(...page.body.data.map((p: { id: number }) => p.id));
      if (!page.body.nextCursor) break;
      round += 1;
      // Between pages: a new product (newest, cheapest, first by name), and one not yet shown
      // taken off sale.
      const [created] = await api.database.db
        .insert(products)
        .values({
          slug: `${sort.replace("_", "-")}-interloper-${round}`,
          name: `AAA Interloper ${round}`,
          priceCents: 1,
          categoryId: 2,
          status: "active",
        })
        .returning({ id: products.id });
      if (created) touched.add(created.id);
      const [victim] = await api.database.db
        .select({ id: products.id })
        .from(products)
        .where(
          and(
            eq(products.status, "active"),
            isNull(products.deletedAt),
            notInArray(products.id, [0, ...seen]),
          ),
        )
        .limit(1);
      if (victim) {
        touched.add(victim.id);
        await api.database.db
          .update(products)
          .set({ deletedAt: new Date() })
          .where(eq(products.id, victim.id));
      }
      page = await api.request(`/api/products?cursor=${page.body.nextCursor}`);
      expect(page.status).toBe(200);
    }
    expect(new Set(seen).size).toBe(seen.length);
    const stable = await everyId(api, sort);
    for (const id of stable) {
      if (!touched.has(id)) expect(seen, `product ${id} was skipped`).toContain(id);
    }
  });
});

async function everyId(api: TestApp, sort: string): Promise<number[]> {
  const ids: number[] = [];
  let path: string | null = `/api/products?sort=${sort}&limit=100`;
  while (path) {
    const page = await api.request(path);
    ids.push(...page.body.data.map((p: { id: number }) => p.id));
    path = page.body.nextCursor ? `/api/products?cursor=${page.body.nextCursor}` : null;
  }
  return ids;
}
