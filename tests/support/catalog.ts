import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import type { TestApp } from "./app";
import { json } from "./auth";

/** A product on sale, created through the API by staff; its id. */
export async function publishedProduct(
  api: TestApp,
  admin: Record<string, string>,
  name = `Test Toy ${randomUUID().slice(0, 8)}`,
  amount = 1500,
): Promise<number> {
  const created = await api.request(
    "/api/products",
    json({ name, price: { amount, currency: "EUR" }, categoryId: 2, stockLevel: 4, status: "active" }, admin),
  );
  expect(created.status, created.text).toBe(201);
  return created.body.id;
}

/** A PATCH whatever the current version is: for tests about the cache, not about locking. */
export const patchAnyVersion = (body: unknown, headers: Record<string, string>): RequestInit => ({
  ...json(body, { ...headers, "if-match": "*" }),
  method: "PATCH",
});

/** The value of one series in a Prometheus text exposition, 0 when it is absent. */
export function metricValue(metricsText: string, name: string, labels: string): number {
  const line = metricsText.split("\n").find((row) => row.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

/** A product on sale with exactly this stock (set by a staff adjustment after creation); its id. */
export async function productWithStock(
  api: TestApp,
  admin: Record<string, string>,
  stock: number,
  amount = 1500,
): Promise<number> {
  const id = await publishedProduct(api, admin, undefined, amount);
  const delta = stock - 4;
  if (delta !== 0) {
    const adjusted = await api.request(
      `/api/products/${id}/stock-adjustments`,
      json({ delta, reason: delta > 0 ? "restock" : "correction" }, admin),
    );
    expect(adjusted.status, adjusted.text).toBe(201);
  }
  return id;
}
