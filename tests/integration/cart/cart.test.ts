import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { carts } from "../../../db/schema/index.ts";
import { createTestApp, type TestApp } from "../../support/app";
import { bearer, json, registered, signedInAdmin } from "../../support/auth";
import { CART_COOKIE, cartCookie, cartSetCookie } from "../../support/cart";
import { patchAnyVersion, publishedProduct } from "../../support/catalog";

const send = (method: string, body?: unknown, headers: Record<string, string> = {}): RequestInit =>
  body === undefined ? { method, headers } : { ...json(body, headers), method };

describe("the cart", () => {
  let api: TestApp;
  let admin: Record<string, string>;

  beforeAll(async () => {
    api = await createTestApp();
    admin = await signedInAdmin(api);
  });
  afterAll(async () => {
    await api.close();
  });

  /** A guest's cart with one line: the Cookie header that reaches it. */
  async function guestCartWith(productId: number, quantity = 1): Promise<Record<string, string>> {
    const added = await api.request("/api/cart/lines", json({ productId, quantity }));
    expect(added.status, added.text).toBe(200);
    return { cookie: cartCookie(added) };
  }

  it("gives a guest an empty cart, and a cart of their own with an unguessable HttpOnly cookie", async () => {
    const empty = await api.request("/api/cart");
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ lines: [], lineCount: 0, itemCount: 0, subtotal: { amount: 0 } });
    expect(cartSetCookie(empty)).toBeUndefined();

    const productId = await publishedProduct(api, admin, undefined, 1500);
    const added = await api.request("/api/cart/lines", json({ productId, quantity: 2 }));
    expect(added.status, added.text).toBe(200);
    const cookie = cartSetCookie(added) ?? "";
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const token = cookie.split(";")[0]?.split("=")[1] ?? "";
    // 32 random bytes in base64url: 256 bits, well past the 128 a guess would have to beat.
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(added.body.lines).toHaveLength(1);
    expect(added.body.lines[0]).toMatchObject({
      productId,
      quantity: 2,
      unitPrice: { amount: 1500, currency: "EUR" },
      lineTotal: { amount: 3000, currency: "EUR" },
      changes: [],
    });
    expect(added.body.subtotal).toEqual({ amount: 3000, currency: "EUR" });

    // The database keeps a hash of the token, never the token itself.
    const rows = await api.database.db.select().from(carts);
    expect(rows.some((row) => row.guestTokenHash === token)).toBe(false);

    const again = await api.request("/api/cart", { headers: { cookie: cookie.split(";")[0] ?? "" } });
    expect(again.body.itemCount).toBe(2);
    // Another guest sees none of it.
    expect((await api.request("/api/cart")).body.lineCount).toBe(0);
    expect(
      (await api.request("/api/cart", { headers: { cookie: `${CART_COOKIE}=forged` } })).body.lineCount,
    ).toBe(0);
  });

  it("mints every guest cart's token itself: a cookie naming no cart is replaced, not adopted", async () => {
    const productId = await publishedProduct(api, admin);
    const chosen = `${CART_COOKIE}=aaaa`;
    const added = await api.request("/api/cart/lines", json({ productId, quantity: 1 }, { cookie: chosen }));
    expect(added.status, added.text).toBe(200);
    const minted = cartCookie(added);
    expect(minted).not.toBe(chosen);
    expect((await api.request("/api/cart", { headers: { cookie: minted } })).body.lineCount).toBe(1);
    expect((await api.request("/api/cart", { headers: { cookie: chosen } })).body.lineCount).toBe(0);
  });

  it("adds to a line's quantity, changes it, removes the line and clears the cart", async () => {
    const first = await publishedProduct(api, admin, undefined, 1000);
    const second = await publishedProduct(api, admin, undefined, 250);
    const guest = await guestCartWith(first, 1);
    const more = await api.request("/api/cart/lines", json({ productId: first, quantity: 2 }, guest));
    expect(more.body.lines).toHaveLength(1);
    expect(more.body.lines[0].quantity).toBe(3);
    expect(cartSetCookie(more)).toBeUndefined();

    await api.request("/api/cart/lines", json({ productId: second, quantity: 1 }, guest));
    const changed = await api.request(`/api/cart/lines/${first}`, send("PATCH", { quantity: 1 }, guest));
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({ lineCount: 2, itemCount: 2, subtotal: { amount: 1250 } });
    expect(changed.body.lines.map((line: { productId: number }) => line.productId)).toEqual([first, second]);

    const removed = await api.request(`/api/cart/lines/${first}`, send("DELETE", undefined, guest));
    expect(removed.status).toBe(200);
    expect(removed.body.lines.map((line: { productId: number }) => line.productId)).toEqual([second]);
    const gone = await api.request(`/api/cart/lines/${first}`, send("DELETE", undefined, guest));
    expect(gone.status).toBe(404);

    expect((await api.request("/api/cart", send("DELETE", undefined, guest))).status).toBe(204);
    expect((await api.request("/api/cart", { headers: guest })).body.lineCount).toBe(0);
    expect((await api.request("/api/cart", send("DELETE"))).status).toBe(204);
  });

  it("keeps a signed-in customer's cart with the account, whichever credentials reach it", async () => {
    const productId = await publishedProduct(api, admin);
    const customer = await registered(api);
    const added = await api.request(
      "/api/cart/lines",
      json({ productId, quantity: 1 }, bearer(customer.token)),
    );
    expect(added.status, added.text).toBe(200);
    expect(cartSetCookie(added)).toBeUndefined();
    const byCookie = await api.request("/api/cart", { headers: { cookie: customer.cookie } });
    expect(byCookie.body.lines[0].productId).toBe(productId);

    // Another customer's cart is another cart.
    const other = await registered(api);
    expect((await api.request("/api/cart", { headers: bearer(other.token) })).body.lineCount).toBe(0);
    const foreign = await api.request(
      `/api/cart/lines/${productId}`,
      send("PATCH", { quantity: 2 }, bearer(other.token)),
    );
    expect(foreign.status).toBe(404);
    expect((await api.request("/api/cart", { headers: bearer(customer.token) })).body.lines[0].quantity).toBe(
      1,
    );
  });

  it("refuses what cannot be sold: 404 unknown, 409 not on sale or beyond stock, 400 past the limits", async () => {
    const productId = await publishedProduct(api, admin);
    const guest = await guestCartWith(productId, 1);
    const unknown = await api.request("/api/cart/lines", json({ productId: 99_999_999, quantity: 1 }, guest));
    expect(unknown.status).toBe(404);

    const draft = await api.request(
      "/api/products",
      json(
        { name: "Unfinished Owl", price: { amount: 900, currency: "EUR" }, categoryId: 2, stockLevel: 5 },
        admin,
      ),
    );
    const draftAdd = await api.request(
      "/api/cart/lines",
      json({ productId: draft.body.id, quantity: 1 }, guest),
    );
    expect(draftAdd.status).toBe(409);
    expect(draftAdd.body.code).toBe("product_unavailable");

    // The product has 4 in stock and the cart holds 1.
    const tooMany = await api.request("/api/cart/lines", json({ productId, quantity: 4 }, guest));
    expect(tooMany.status).toBe(409);
    expect(tooMany.body).toMatchObject({ code: "insufficient_stock", available: 4 });
    const patchTooMany = await api.request(
      `/api/cart/lines/${productId}`,
      send("PATCH", { quantity: 5 }, guest),
    );
    expect(patchTooMany.body.code).toBe("insufficient_stock");

    for (const quantity of [0, 100, -1, 1.5]) {
      const refused = await api.request("/api/cart/lines", json({ productId, quantity }, guest));
      expect(refused.status, `quantity ${quantity}`).toBe(400);
    }
    const smuggled = await api.request(
      "/api/cart/lines",
      json({ productId, quantity: 1, unitPrice: { amount: 1, currency: "EUR" } }, guest),
    );
    expect(smuggled.status).toBe(400);

    // Nothing refused changed the cart.
    const cart = await api.request("/api/cart", { headers: guest });
    expect(cart.body.lines).toHaveLength(1);
    expect(cart.body.lines[0].quantity).toBe(1);
  });

  it("holds at most 99 of a product in a line and 100 lines in a cart", async () => {
    const plenty = await publishedProduct(api, admin);
    await api.request(
      `/api/products/${plenty}/stock-adjustments`,
      json({ delta: 200, reason: "restock" }, admin),
    );
    const guest = await guestCartWith(plenty, 99);
    const past = await api.request("/api/cart/lines", json({ productId: plenty, quantity: 1 }, guest));
    expect(past.status).toBe(400);
    expect(past.body.code).toBe("quantity_limit");

    const customer = bearer((await registered(api)).token);
    for (let index = 0; index < 100; index += 1) {
      const productId = await publishedProduct(api, admin, `Shelf Filler ${index} ${Date.now()}`);
      const added = await api.request("/api/cart/lines", json({ productId, quantity: 1 }, customer));
      expect(added.status, added.text).toBe(200);
    }
    const extra = await publishedProduct(api, admin);
    const full = await api.request("/api/cart/lines", json({ productId: extra, quantity: 1 }, customer));
    expect(full.status).toBe(400);
    expect(full.body.code).toBe("cart_full");
    expect((await api.request("/api/cart", { headers: customer })).body.lineCount).toBe(100);
  }, 120_000);

  it("reports each line whose price or stock changed since it was added, and one no longer on sale", async () => {
    const repriced = await publishedProduct(api, admin, undefined, 2000);
    const scarce = await publishedProduct(api, admin, undefined, 500);
    const archived = await publishedProduct(api, admin, undefined, 700);
    const guest = await guestCartWith(repriced, 1);
    await api.request("/api/cart/lines", json({ productId: scarce, quantity: 3 }, guest));
    await api.request("/api/cart/lines", json({ productId: archived, quantity: 1 }, guest));
    expect((await api.request("/api/cart", { headers: guest })).body.hasChanges).toBe(false);

    await api.request(
      `/api/products/${repriced}`,
      patchAnyVersion({ price: { amount: 1800, currency: "EUR" } }, admin),
    );
    await api.request(
      `/api/products/${scarce}/stock-adjustments`,
      json({ delta: -2, reason: "damaged" }, admin),
    );
    await api.request(`/api/products/${archived}`, patchAnyVersion({ status: "archived" }, admin));

    const cart = await api.request("/api/cart", { headers: guest });
    const byId = new Map(cart.body.lines.map((line: { productId: number }) => [line.productId, line]));
    expect(byId.get(repriced)).toMatchObject({
      unitPrice: { amount: 2000 },
      currentPrice: { amount: 1800 },
      lineTotal: { amount: 1800 },
      changes: ["price_changed"],
    });
    expect(byId.get(scarce)).toMatchObject({ stockLevel: 2, changes: ["insufficient_stock"] });
    expect(byId.get(archived)).toMatchObject({ changes: ["unavailable"] });
    expect(cart.body.hasChanges).toBe(true);
    // Lines no longer on sale are left out of the subtotal, at current prices otherwise.
    expect(cart.body.subtotal).toEqual({ amount: 1800 + 3 * 500, currency: "EUR" });
  });
});
