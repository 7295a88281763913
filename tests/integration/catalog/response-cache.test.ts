import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../support/app";
import { signedInAdmin } from "../../support/auth";
import { metricValue, patchAnyVersion, publishedProduct } from "../../support/catalog";

describe("the response cache in the app", () => {
  let api: TestApp;
  let admin: Record<string, string>;
  let productId: number;

  beforeAll(async () => {
    api = await createTestApp();
    admin = await signedInAdmin(api);
    productId = await publishedProduct(api, admin, "Stampede Squirrel", 1800);
  });
  afterAll(async () => {
    await api.close();
  });

  it("computes concurrent misses of one key once, and says so in /metrics", async () => {
    const path = `/api/products/${productId}`;
    const answers = await Promise.all(Array.from({ length: 25 }, () => api.request(path)));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
    const metrics = (await api.request("/metrics")).text as string;
    expect(metricValue(metrics, "http_cache_fills_total", 'operationId="getProduct"')).toBe(1);
    const again = await api.request(path);
    expect(again.headers.get("x-cache")).toBe("HIT");
    const after = (await api.request("/metrics")).text as string;
    expect(
      metricValue(
        after,
        "http_cache_lookups_total",
        `operationId="getProduct",tier="${again.headers.get("x-cache-tier")}",outcome="hit"`,
      ),
    ).toBeGreaterThanOrEqual(1);
  });

  it("shows a price change at once, through the contract's x-invalidates", async () => {
    const path = `/api/products/${productId}`;
    await api.request(path);
    expect((await api.request(path)).headers.get("x-cache")).toBe("HIT");
    const changed = await api.request(
      path,
      patchAnyVersion({ price: { amount: 1900, currency: "EUR" } }, admin),
    );
    expect(changed.status).toBe(200);
    const seen = await api.request(path);
    expect(seen.headers.get("x-cache")).toBe("MISS");
    expect(seen.body.price.amount).toBe(1900);
    const listed = await api.request("/api/products?limit=100&sort=newest");
    expect(listed.body.data.find((product: { id: number }) => product.id === productId).price.amount).toBe(
      1900,
    );
  });

  it("keeps no answer but a 200: a missing product is computed each time", async () => {
    const first = await api.request("/api/products/99999");
    expect(first.status).toBe(404);
    const second = await api.request("/api/products/99999");
    expect(second.status).toBe(404);
    expect(second.headers.get("x-cache")).toBe("MISS");
  });

  it("does not keep an answer under a spelling of the id no write would invalidate", async () => {
    const odd = await api.request(`/api/products/0${productId}`);
    expect(odd.status).toBe(200);
    expect((await api.request(`/api/products/0${productId}`)).headers.get("x-cache")).toBe("MISS");
  });
});
