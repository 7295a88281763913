import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { policies } from "../../../generated/server";
import { expandTagTemplates } from "../../../src/platform/cache";
import { createTestApp, type TestApp } from "../../support/app";
import { json, registered, signedInAdmin } from "../../support/auth";
import { makeImage, noisyPng } from "../../unit/images/fixtures";

const send = (method: string, body: unknown, headers: Record<string, string>): RequestInit => ({
  ...json(body, headers),
  method,
});

describe("managing the catalog", () => {
  let api: TestApp;
  let admin: Record<string, string>;
  const announced: string[][] = [];

  beforeAll(async () => {
    api = await createTestApp();
    // Every invalidation goes through the response cache; record what it is told.
    const invalidate = api.cache.invalidate;
    api.cache.invalidate = (tags) => {
      announced.push([...tags]);
      return invalidate(tags);
    };
    admin = await signedInAdmin(api);
  });
  afterAll(async () => {
    await api.close();
  });

  const draft = (name: string, over: Record<string, unknown> = {}) => ({
    name,
    price: { amount: 2499, currency: "EUR" },
    categoryId: 2,
    stockLevel: 3,
    tags: ["amigurumi", "gift"],
    ...over,
  });

  async function create(name: string, over: Record<string, unknown> = {}) {
    const created = await api.request("/api/products", json(draft(name, over), admin));
    expect(created.status).toBe(201);
    return created;
  }

  it("lets only staff write: 401 without credentials, 403 to a customer", async () => {
    expect((await api.request("/api/products", json(draft("Nobody's Fox")))).status).toBe(401);
    const customer = await registered(api);
    const refused = await api.request(
      "/api/products",
      json(draft("Customer Fox"), { authorization: `Bearer ${customer.token}` }),
    );
    expect(refused.status).toBe(403);
  });

  it("creates a draft the shop does not show until it is published with If-Match", async () => {
    const created = await create("Dinosaur Amigurumi");
    expect(created.body).toMatchObject({ slug: "dinosaur-amigurumi", status: "draft", stockLevel: 3 });
    expect(created.headers.get("location")).toBe(`/api/products/${created.body.id}`);
    const id = created.body.id as number;
    expect((await api.request(`/api/products/${id}`)).status).toBe(404);
    expect((await api.request("/api/products?q=dinosaur")).body.data).toEqual([]);

    const noPrecondition = await api.request(
      `/api/products/${id}`,
      send("PATCH", { status: "active" }, admin),
    );
    expect(noPrecondition.status).toBe(428);
    const etag = created.headers.get("etag") ?? "";
    const published = await api.request(
      `/api/products/${id}`,
      send("PATCH", { status: "active" }, { ...admin, "if-match": etag }),
    );
    expect(published.status).toBe(200);
    expect(published.headers.get("etag")).not.toBe(etag);
    // The second editor still holds the first ETag: refused, nothing overwritten.
    const stale = await api.request(
      `/api/products/${id}`,
      send("PATCH", { name: "Stale Name" }, { ...admin, "if-match": etag }),
    );
    expect(stale.status).toBe(412);
    const shown = await api.request(`/api/products/${id}`);
    expect(shown.body).toMatchObject({ name: "Dinosaur Amigurumi", status: "active" });
  });

  it("refuses a slug in use with 409 and frees it when the product is deleted", async () => {
    const first = await create("Woolly Mammoth");
    const second = await api.request(
      "/api/products",
      json(draft("Another Mammoth", { slug: "woolly-mammoth" }), admin),
    );
    expect(second.status).toBe(409);
    expect(second.body.code).toBe("slug_taken");
    expect(
      (await api.request(`/api/products/${first.body.id}`, { method: "DELETE", headers: admin })).status,
    ).toBe(204);
    expect((await api.request(`/api/admin/products/${first.body.id}`, { headers: admin })).status).toBe(404);
    expect((await api.request("/api/products", json(draft("Woolly Mammoth"), admin))).status).toBe(201);
  });

  it("refuses a compare-at price that is not higher than the price, and an unknown category", async () => {
    const sale = await api.request(
      "/api/products",
      json(draft("Odd Sale", { compareAtPrice: { amount: 100, currency: "EUR" } }), admin),
    );
    expect(sale.status).toBe(422);
    const nowhere = await api.request("/api/products", json(draft("Lost Fox", { categoryId: 9999 }), admin));
    expect(nowhere.status).toBe(422);
    const unknownField = await api.request("/api/products", json(draft("Sneaky", { version: 9 }), admin));
    expect(unknownField.status).toBe(400);
  });

  it("adjusts stock with a reason in the ledger, and never below zero", async () => {
    const { body: product } = await create("Ledger Lamb");
    const path = `/api/products/${product.id}/stock-adjustments`;
    const restock = await api.request(path, json({ delta: 5, reason: "restock", note: "Five lambs" }, admin));
    expect(restock.status).toBe(201);
    expect(restock.body).toMatchObject({ delta: 5, stockAfter: 8, reason: "restock" });
    const tooMany = await api.request(path, json({ delta: -9, reason: "damaged" }, admin));
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.code).toBe("insufficient_stock");
    expect((await api.request(path, json({ delta: 0, reason: "correction" }, admin))).status).toBe(422);
    expect((await api.request(path, json({ delta: 1, reason: "initial" }, admin))).status).toBe(422);
    const ledger = await api.request(path, { headers: admin });
    expect(
      ledger.body.data.map((entry: { reason: string; stockAfter: number }) => [
        entry.reason,
        entry.stockAfter,
      ]),
    ).toEqual([
      ["restock", 8],
      ["initial", 3],
    ]);
  });

  it("never oversells under concurrent removals", async () => {
    const { body: product } = await create("Race Rabbit", { stockLevel: 5 });
    const path = `/api/products/${product.id}/stock-adjustments`;
    const results = await Promise.all(
      Array.from({ length: 8 }, () => api.request(path, json({ delta: -1, reason: "lost" }, admin))),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status === 409)).toHaveLength(3);
    expect((await api.request(`/api/admin/products/${product.id}`, { headers: admin })).body.stockLevel).toBe(
      0,
    );
  });

  it("manages categories: no cycles, no silent loss of a non-empty category", async () => {
    const parent = await api.request("/api/categories", json({ name: "Dinosaurs", parentId: 1 }, admin));
    expect(parent.status).toBe(201);
    const child = await api.request(
      "/api/categories",
      json({ name: "Raptors", parentId: parent.body.id }, admin),
    );
    expect(child.body.breadcrumbs.map((c: { slug: string }) => c.slug)).toEqual([
      "amigurumi",
      "dinosaurs",
      "raptors",
    ]);
    const cycle = await api.request(
      "/api/categories/dinosaurs",
      send("PATCH", { parentId: child.body.id }, admin),
    );
    expect(cycle.status).toBe(409);
    expect(cycle.body.code).toBe("category_cycle");
    const taken = await api.request("/api/categories", json({ name: "Home" }, admin));
    expect(taken.body.code).toBe("slug_taken");
    await create("Velociraptor Plush", { categoryId: child.body.id });
    const notEmpty = await api.request("/api/categories/raptors", { method: "DELETE", headers: admin });
    expect(notEmpty.status).toBe(409);
    expect(notEmpty.body.code).toBe("category_not_empty");
    const moved = await api.request("/api/categories/raptors?moveTo=dinosaurs", {
      method: "DELETE",
      headers: admin,
    });
    expect(moved.status).toBe(204);
    const plush = await api.request("/api/admin/products?q=velociraptor", { headers: admin });
    expect(plush.body.data[0].category.slug).toBe("dinosaurs");
    const renamed = await api.request(
      "/api/categories/dinosaurs",
      send("PATCH", { name: "Prehistoric", slug: "prehistoric" }, admin),
    );
    expect(renamed.body).toMatchObject({ name: "Prehistoric", slug: "prehistoric" });
  });

  it("stores uploaded photos as three WebP sizes, serves them immutable, and deletes their files", async () => {
    const { body: product } = await create("Photo Fox");
    const upload = (bytes: Uint8Array, name: string, type: string) => {
      const form = new FormData();
      form.set("file", new File([bytes], name, { type }));
      form.set("alt", "A fox");
      return api.request(`/api/products/${product.id}/images`, {
        method: "POST",
        body: form,
        headers: admin,
      });
    };
    const stored = await upload(await makeImage("png", 1200, 900), "fox.png", "image/png");
    expect(stored.status).toBe(201);
    const url = new URL(stored.body.urls.card);
    const file = await api.request(url.pathname);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/webp");
    expect(file.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");

    const fake = await upload(new TextEncoder().encode("<html>not an image</html>"), "fox.jpg", "image/jpeg");
    expect(fake.status).toBe(415);
    const huge = await upload(await noisyPng(1500, 1200), "huge.png", "image/png");
    expect(huge.status).toBe(413);

    const second = await upload(await makeImage("jpeg", 640, 480), "two.jpg", "image/jpeg");
    const order = [second.body.id, stored.body.id];
    const reordered = await api.request(
      `/api/products/${product.id}/image-order`,
      send("PUT", { imageIds: order }, admin),
    );
    expect(reordered.body.data.map((image: { id: string }) => image.id)).toEqual(order);
    // The product read brings its photos in the same order, numbered from 0.
    const read = await api.request(`/api/admin/products/${product.id}`, { headers: admin });
    expect(
      read.body.images.map((image: { id: string; position: number }) => [image.id, image.position]),
    ).toEqual(order.map((id, position) => [id, position]));
    expect(read.body.images[0].urls.card).toBe(second.body.urls.card);

    expect(
      (
        await api.request(`/api/products/${product.id}/images/${stored.body.id}`, {
          method: "DELETE",
          headers: admin,
        })
      ).status,
    ).toBe(204);
    expect((await api.request(url.pathname)).status).toBe(404);
  });

  it("invalidates, after each write, exactly the cache tags the contract declares for it", async () => {
    announced.length = 0;
    const created = await create("Tagged Turtle");
    const id = created.body.id as number;
    const adjusted = await api.request(
      `/api/products/${id}/stock-adjustments`,
      json({ delta: 1, reason: "restock" }, admin),
    );
    expect(adjusted.status).toBe(201);
    const declared = (operationId: keyof typeof policies) =>
      expandTagTemplates(policies[operationId].invalidates, { id: String(id) });
    expect(announced).toEqual([declared("createProduct"), declared("adjustStock")]);
    expect(declared("adjustStock")).toContain(`product:${id}`);
  });
});
