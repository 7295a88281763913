// PUT /api/products/{id}: a full replacement of the editable fields, under the same If-Match rule
// and the same validation as PATCH.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../support/app";
import { json, registered, signedInAdmin } from "../../support/auth";

const put = (body: unknown, headers: Record<string, string>): RequestInit => ({
  ...json(body, headers),
  method: "PUT",
});

/** Every editable field, as a replacement must name them. */
const replacement = (over: Record<string, unknown> = {}) => ({
  name: "Sleeping Hedgehog",
  slug: "sleeping-hedgehog-plush",
  description: "A round hedgehog in brown and cream cotton, about 12 cm.",
  price: { amount: 1999, currency: "EUR" },
  compareAtPrice: null,
  categoryId: 3,
  tags: ["hedgehog", "plush"],
  status: "active",
  ...over,
});

describe("replacing a product with PUT", () => {
  let api: TestApp;
  let admin: Record<string, string>;

  beforeAll(async () => {
    api = await createTestApp();
    admin = await signedInAdmin(api);
  });
  afterAll(async () => {
    await api.close();
  });

  let drafts = 0;
  async function created() {
    drafts += 1;
    const response = await api.request(
      "/api/products",
      json(
        {
          name: `Hedgehog Draft ${drafts}`,
          description: "First words.",
          price: { amount: 2499, currency: "EUR" },
          compareAtPrice: { amount: 2999, currency: "EUR" },
          categoryId: 2,
          stockLevel: 7,
          tags: ["draft-tag", "sale"],
        },
        admin,
      ),
    );
    expect(response.status).toBe(201);
    return { id: response.body.id as number, etag: response.headers.get("etag") ?? "" };
  }

  it("replaces every editable field, ends the sale with null, keeps stock, and changes the ETag", async () => {
    const { id, etag } = await created();
    const replaced = await api.request(
      `/api/products/${id}`,
      put(replacement(), { ...admin, "if-match": etag }),
    );
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      id,
      name: "Sleeping Hedgehog",
      slug: "sleeping-hedgehog-plush",
      description: "A round hedgehog in brown and cream cotton, about 12 cm.",
      price: { amount: 1999, currency: "EUR" },
      compareAtPrice: null,
      category: { id: 3 },
      tags: ["hedgehog", "plush"],
      status: "active",
      stockLevel: 7,
    });
    expect(replaced.headers.get("etag")).not.toBe(etag);
    const shown = await api.request(`/api/products/${id}`);
    expect(shown.body).toMatchObject({ name: "Sleeping Hedgehog", tags: ["hedgehog", "plush"] });
    expect(shown.headers.get("etag")).toBe(replaced.headers.get("etag"));
  });

  it("needs If-Match (428) and refuses a stale one (412), changing nothing", async () => {
    const { id, etag } = await created();
    const missing = await api.request(
      `/api/products/${id}`,
      put(replacement({ slug: "no-precondition" }), admin),
    );
    expect(missing.status).toBe(428);
    const first = await api.request(
      `/api/products/${id}`,
      put(replacement({ slug: "first-editor" }), { ...admin, "if-match": etag }),
    );
    expect(first.status).toBe(200);
    const stale = await api.request(
      `/api/products/${id}`,
      put(replacement({ slug: "second-editor", name: "Overwritten" }), { ...admin, "if-match": etag }),
    );
    expect(stale.status).toBe(412);
    const shown = await api.request(`/api/admin/products/${id}`, { headers: admin });
    expect(shown.body).toMatchObject({ slug: "first-editor", name: "Sleeping Hedgehog" });
  });

  it("is a full replacement: a missing field or the stock level is refused with 400", async () => {
    const { id, etag } = await created();
    const { tags: _tags, ...withoutTags } = replacement();
    const partial = await api.request(
      `/api/products/${id}`,
      put(withoutTags, { ...admin, "if-match": etag }),
    );
    expect(partial.status).toBe(400);
    expect(partial.body.errors).toEqual([expect.objectContaining({ location: "body", pointer: "/tags" })]);
    const withStock = await api.request(
      `/api/products/${id}`,
      put(replacement({ stockLevel: 99 }), { ...admin, "if-match": etag }),
    );
    expect(withStock.status).toBe(400);
    expect(withStock.body.errors).toEqual([expect.objectContaining({ pointer: "/stockLevel" })]);
  });

  it("validates as PATCH does: a compare-at price not above the price is 422, a slug in use 409", async () => {
    const { id, etag } = await created();
    const notASale = await api.request(
      `/api/products/${id}`,
      put(replacement({ compareAtPrice: { amount: 1999, currency: "EUR" } }), { ...admin, "if-match": etag }),
    );
    expect(notASale.status).toBe(422);
    const other = await created();
    const taken = await api.request(
      `/api/products/${other.id}`,
      put(replacement({ slug: "taken-by-the-first" }), { ...admin, "if-match": other.etag }),
    );
    expect(taken.status).toBe(200);
    const clash = await api.request(
      `/api/products/${id}`,
      put(replacement({ slug: "taken-by-the-first" }), { ...admin, "if-match": etag }),
    );
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe("slug_taken");
  });

  it("lets only staff replace: 401 without credentials, 403 to a customer", async () => {
    const { id, etag } = await created();
    expect((await api.request(`/api/products/${id}`, put(replacement(), { "if-match": etag }))).status).toBe(
      401,
    );
    const customer = await registered(api);
    const refused = await api.request(
      `/api/products/${id}`,
      put(replacement(), { authorization: `Bearer ${customer.token}`, "if-match": etag }),
    );
    expect(refused.status).toBe(403);
  });
});
