import { and, desc, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { checkoutLines, checkouts, inventoryLedger, products } from "../../../db/schema/index.ts";
import { releaseExpiredCheckouts } from "../../../src/domain/checkout/checkout";
import { createLogger } from "../../../src/platform/logger";
import { startReservationSweeper } from "../../../src/wiring/checkout";
import { createTestApp, type TestApp } from "../../support/app";
import { bearer, json, registered, signedInAdmin } from "../../support/auth";
import { guestCartWith } from "../../support/cart";
import { patchAnyVersion, productWithStock } from "../../support/catalog";
import { unbalancedProducts } from "../../support/orders";

/** Units the open checkouts hold of a product. */
async function heldByOpenCheckouts(api: TestApp, productId: number): Promise<number> {
  const [row] = await api.database.db
    .select({ held: sql<number>`coalesce(sum(${checkoutLines.quantity}), 0)::int` })
    .from(checkoutLines)
    .innerJoin(checkouts, eq(checkouts.id, checkoutLines.checkoutId))
    .where(and(eq(checkouts.status, "open"), eq(checkoutLines.productId, productId)));
  return row?.held ?? -1;
}

async function lastMovement(api: TestApp, productId: number) {
  const [row] = await api.database.db
    .select()
    .from(inventoryLedger)
    .where(eq(inventoryLedger.productId, productId))
    .orderBy(desc(inventoryLedger.id))
    .limit(1);
  return row;
}

const post = (headers: Record<string, string> = {}): RequestInit => ({ method: "POST", headers });

describe("checkout", () => {
  let api: TestApp;
  let admin: Record<string, string>;

  beforeAll(async () => {
    api = await createTestApp();
    admin = await signedInAdmin(api);
  });
  afterAll(async () => {
    await api.close();
  });
  afterEach(async () => {
    expect(await unbalancedProducts(api)).toEqual([]);
  });

  /** A guest's cart holding these lines: the Cookie header that reaches it. */
  const guestWith = async (lines: [productId: number, quantity: number][]) => ({
    cookie: await guestCartWith(api, lines),
  });

  const stockOf = async (id: number) => (await api.request(`/api/products/${id}`)).body.stockLevel as number;

  /** Ledger, stock and open checkouts agree: the ledger adds up to the stock, and what checkouts hold is reserved minus released. */
  async function expectBalanced(productId: number): Promise<void> {
    const [ledger] = await api.database.db
      .select({
        total: sql<number>`coalesce(sum(${inventoryLedger.delta}), 0)::int`,
        held: sql<number>`coalesce(-sum(${inventoryLedger.delta}) filter (where ${inventoryLedger.reason} in ('reserved', 'released')), 0)::int`,
      })
      .from(inventoryLedger)
      .where(eq(inventoryLedger.productId, productId));
    const [product] = await api.database.db
      .select({ stock: products.stock })
      .from(products)
      .where(eq(products.id, productId));
    const held = await heldByOpenCheckouts(api, productId);
    expect(ledger?.total).toBe(product?.stock);
    expect(ledger?.held).toBe(held);
  }

  it("starts from the cart: holds its stock for 15 minutes at today's prices, seen at once by the catalog", async () => {
    const fox = await productWithStock(api, admin, 5, 2400);
    const owl = await productWithStock(api, admin, 3, 900);
    expect(await stockOf(fox)).toBe(5); // now cached
    const guest = await guestWith([
      [fox, 2],
      [owl, 1],
    ]);
    const started = await api.request("/api/checkouts", post(guest));
    expect(started.status, started.text).toBe(201);
    expect(started.headers.get("location")).toBe(`/api/checkouts/${started.body.id}`);
    expect(started.body).toMatchObject({
      status: "open",
      itemCount: 3,
      subtotal: { amount: 2 * 2400 + 900, currency: "EUR" },
    });
    expect(started.body.id).toMatch(/^chk_[A-Za-z0-9_-]{22}$/);
    const minutes = (Date.parse(started.body.expiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15.1);

    expect(await stockOf(fox)).toBe(3);
    expect(await stockOf(owl)).toBe(2);
    expect(await lastMovement(api, fox)).toMatchObject({ delta: -2, reason: "reserved", stockAfter: 3 });
    // Staff's list of adjustments leaves the checkouts' movements out.
    const adjustments = await api.request(`/api/products/${fox}/stock-adjustments`, { headers: admin });
    expect(adjustments.body.data.map((entry: { reason: string }) => entry.reason)).toEqual([
      "restock",
      "initial",
    ]);
    await expectBalanced(fox);

    const again = await api.request(`/api/checkouts/${started.body.id}`, { headers: guest });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(started.body);
  });

  it("refuses an empty cart, a product off sale and too few units, holding nothing", async () => {
    expect((await api.request("/api/checkouts", post())).body.code).toBe("cart_empty");
    const product = await productWithStock(api, admin, 2);
    const guest = await guestWith([[product, 1]]);
    await api.request(`/api/cart/lines/${product}`, { method: "DELETE", headers: guest });
    const empty = await api.request("/api/checkouts", post(guest));
    expect(empty.status).toBe(409);
    expect(empty.body.code).toBe("cart_empty");

    const plenty = await productWithStock(api, admin, 10);
    const withdrawn = await productWithStock(api, admin, 10);
    const shopper = await guestWith([
      [plenty, 1],
      [withdrawn, 1],
    ]);
    await api.request(`/api/products/${withdrawn}`, patchAnyVersion({ status: "archived" }, admin));
    const offSale = await api.request("/api/checkouts", post(shopper));
    expect(offSale.status).toBe(409);
    expect(offSale.body).toMatchObject({ code: "product_unavailable", productId: withdrawn });

    const scarce = await productWithStock(api, admin, 3);
    const greedy = await guestWith([
      [plenty, 2],
      [scarce, 3],
    ]);
    await api.request(
      `/api/products/${scarce}/stock-adjustments`,
      json({ delta: -1, reason: "damaged" }, admin),
    );
    const short = await api.request("/api/checkouts", post(greedy));
    expect(short.status).toBe(409);
    expect(short.body).toMatchObject({ code: "out_of_stock", productId: scarce, available: 2 });
    // The line that could be held was not: a failed checkout holds nothing.
    expect(await stockOf(plenty)).toBe(10);
    await expectBalanced(plenty);
    await expectBalanced(scarce);
  });

  it("replaces the caller's open checkout, giving its units back", async () => {
    const product = await productWithStock(api, admin, 4);
    const guest = await guestWith([[product, 3]]);
    const first = await api.request("/api/checkouts", post(guest));
    expect(await stockOf(product)).toBe(1);
    // The units the caller's own checkout holds still count as theirs in the cart.
    const patched = await api.request(`/api/cart/lines/${product}`, {
      ...json({ quantity: 2 }, guest),
      method: "PATCH",
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.lines[0]).toMatchObject({ stockLevel: 4, changes: [] });
    const second = await api.request("/api/checkouts", post(guest));
    expect(second.status, second.text).toBe(201);
    expect(await stockOf(product)).toBe(2);
    expect((await api.request(`/api/checkouts/${first.body.id}`, { headers: guest })).body.status).toBe(
      "cancelled",
    );
    await expectBalanced(product);
  });

  it("takes the contact address, the shipping address and a method from the offer; totals are the server's", async () => {
    const product = await productWithStock(api, admin, 5, 2500);
    const guest = await guestWith([[product, 2]]);
    const started = await api.request("/api/checkouts", post(guest));
    expect(started.body).toMatchObject({
      email: null,
      shippingMethod: null,
      shipping: null,
      total: { amount: 5000 },
      readyForPayment: false,
    });
    expect(started.body).not.toHaveProperty("shippingAddress");
    expect(started.body.shippingOptions.map((option: { id: string }) => option.id)).toEqual([
      "standard",
      "express",
    ]);
    const path = `/api/checkouts/${started.body.id}`;
    const patch = (body: unknown, headers = guest) =>
      api.request(path, { ...json(body, headers), method: "PATCH" });

    const address = {
      name: "Ada Lovelace",
      line1: "12 Wool Street",
      postalCode: "10115",
      city: "Berlin",
      country: "DE",
    };
    const withAddress = await patch({ email: "ada@example.com", shippingAddress: address });
    expect(withAddress.status, withAddress.text).toBe(200);
    expect(withAddress.body).toMatchObject({
      email: "ada@example.com",
      shippingAddress: address,
      readyForPayment: false,
    });

    const express = await patch({ shippingMethod: "express" });
    expect(express.body).toMatchObject({
      shippingMethod: { id: "express", price: { amount: 995 } },
      subtotal: { amount: 5000 },
      shipping: { amount: 995 },
      tax: { amount: 0 },
      total: { amount: 5995 },
      readyForPayment: true,
    });

    const unknown = await patch({ shippingMethod: "teleport" });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0]).toMatchObject({ field: "shippingMethod" });
    expect((await patch({})).status).toBe(422);
    for (const smuggled of [
      { total: { amount: 1, currency: "EUR" } },
      { shippingCents: 0 },
      { status: "completed" },
    ]) {
      expect((await patch(smuggled)).status, JSON.stringify(smuggled)).toBe(400);
    }
    expect((await patch({ shippingAddress: { ...address, country: "Germany" } })).status).toBe(400);
    expect((await patch({ email: "not an address" })).status).toBe(400);
    // Another caller cannot touch it.
    expect((await patch({ email: "eve@example.com" }, await guestWith([[product, 1]]))).status).toBe(404);
    expect((await api.request(path, { headers: guest })).body).toEqual(express.body);

    await api.database.db
      .update(checkouts)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(checkouts.id, started.body.id));
    const late = await patch({ shippingMethod: "standard" });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe("checkout_closed");
  });

  it("shows a checkout to its owner only", async () => {
    const product = await productWithStock(api, admin, 5);
    const customer = await registered(api);
    await api.request("/api/cart/lines", json({ productId: product, quantity: 1 }, bearer(customer.token)));
    const started = await api.request("/api/checkouts", post(bearer(customer.token)));
    expect(started.status, started.text).toBe(201);
    const path = `/api/checkouts/${started.body.id}`;
    expect((await api.request(path, { headers: { cookie: customer.cookie } })).status).toBe(200);
    const stranger = await registered(api);
    expect((await api.request(path, { headers: bearer(stranger.token) })).status).toBe(404);
    expect((await api.request(path)).status).toBe(404);
    expect((await api.request(path, { headers: await guestWith([[product, 1]]) })).status).toBe(404);
    expect((await api.request("/api/checkouts/chk_not-a-checkout-at-all!", { headers: admin })).status).toBe(
      400,
    );
  });

  it("gives the units of an expired checkout back, and the catalog shows them again", async () => {
    const product = await productWithStock(api, admin, 2);
    const guest = await guestWith([[product, 2]]);
    const started = await api.request("/api/checkouts", post(guest));
    expect(await stockOf(product)).toBe(0);
    await api.database.db
      .update(checkouts)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(checkouts.id, started.body.id));
    // Expired from the moment its time ran out, before any sweep.
    expect((await api.request(`/api/checkouts/${started.body.id}`, { headers: guest })).body.status).toBe(
      "expired",
    );

    const sweeper = startReservationSweeper(api.database.db, api.cache, createLogger("silent"), 60_000);
    try {
      sweeper.wake();
      await expect.poll(() => stockOf(product), { timeout: 5_000 }).toBe(2);
    } finally {
      await sweeper.stop();
    }
    expect(await releaseExpiredCheckouts(api.database.db)).toEqual([]);
    const [row] = await api.database.db.select().from(checkouts).where(eq(checkouts.id, started.body.id));
    expect(row?.status).toBe("expired");
    expect(await lastMovement(api, product)).toMatchObject({ delta: 2, reason: "released", stockAfter: 2 });
    await expectBalanced(product);
  });
});

// The races for the last units, cart to order, are in tests/integration/orders/concurrency.test.ts.

describe("checkout with configured rates", () => {
  let api: TestApp;
  let admin: Record<string, string>;

  beforeAll(async () => {
    api = await createTestApp({
      env: {
        SHIPPING_METHODS: JSON.stringify([{ id: "parcel", name: "Parcel", priceCents: 650 }]),
        TAX_RATE_PERCENT: "19",
      },
    });
    admin = await signedInAdmin(api);
  });
  afterAll(async () => {
    await api.close();
  });
  afterEach(async () => {
    expect(await unbalancedProducts(api)).toEqual([]);
  });

  it("offers the configured methods and adds the configured tax to goods and shipping", async () => {
    const product = await productWithStock(api, admin, 5, 1999);
    const guest = { cookie: await guestCartWith(api, [[product, 3]]) };
    const started = await api.request("/api/checkouts", post(guest));
    expect(started.body.shippingOptions).toEqual([
      { id: "parcel", name: "Parcel", price: { amount: 650, currency: "EUR" } },
    ]);
    const chosen = await api.request(`/api/checkouts/${started.body.id}`, {
      ...json({ shippingMethod: "parcel" }, guest),
      method: "PATCH",
    });
    // 3 × 19.99 + 6.50 = 66.47; 19 % of it is 12.6293, so 12.63.
    expect(chosen.body).toMatchObject({
      subtotal: { amount: 5997 },
      shipping: { amount: 650 },
      tax: { amount: 1263 },
      total: { amount: 5997 + 650 + 1263 },
    });
  });
});
