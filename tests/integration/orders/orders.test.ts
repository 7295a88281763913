import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { inventoryLedger, orders, payments, products } from "../../../db/schema/index.ts";
import { createTestApp, type TestApp } from "../../support/app";
import { bearer, jobsDone, json, mailsTo, registered, signedInAdmin } from "../../support/auth";
import { guestCartWith } from "../../support/cart";
import { productWithStock } from "../../support/catalog";
import { createOrder, paidCheckout, testProvider, unbalancedProducts, withKey } from "../../support/orders";

describe("orders", () => {
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

  /** An order of the caller's for one unit of a new product: its id and the product's. */
  async function orderOf(
    caller: Record<string, string>,
    stock = 5,
  ): Promise<{ id: string; productId: number }> {
    const productId = await productWithStock(api, admin, stock, 1200);
    const added = await api.request("/api/cart/lines", json({ productId, quantity: 1 }, caller));
    expect(added.status, added.text).toBe(200);
    const { checkoutId } = await paidCheckout(api, caller);
    const created = await createOrder(api, caller, checkoutId);
    expect(created.status, created.text).toBe(201);
    return { id: created.body.id, productId };
  }

  const setStatus = (orderId: string, status: string, headers = admin, note?: string) =>
    api.request(`/api/orders/${orderId}/status`, {
      ...json({ status, ...(note ? { note } : {}) }, withKey(headers)),
      method: "PUT",
    });
  const stockOf = async (id: number) => (await api.request(`/api/products/${id}`)).body.stockLevel as number;

  it("lists the caller's own orders, newest first, a page at a time; another's order is 404", async () => {
    const ada = bearer((await registered(api)).token);
    const bob = bearer((await registered(api)).token);
    const made: string[] = [];
    for (let i = 0; i < 3; i += 1) made.push((await orderOf(ada)).id);
    const bobs = await orderOf(bob);

    const first = await api.request("/api/orders?limit=2", { headers: ada });
    expect(first.status).toBe(200);
    expect(first.body.data.map((order: { id: string }) => order.id)).toEqual([made[2], made[1]]);
    expect(first.body.data[0]).toMatchObject({ status: "paid", itemCount: 1, total: { amount: 1200 + 495 } });
    const second = await api.request(`/api/orders?limit=2&cursor=${first.body.nextCursor}`, { headers: ada });
    expect(second.body.data.map((order: { id: string }) => order.id)).toEqual([made[0]]);
    expect(second.body.nextCursor).toBeNull();
    // Bob's cursor position in Ada's list is refused.
    const foreign = await api.request(`/api/orders?cursor=${first.body.nextCursor}`, { headers: bob });
    expect(foreign.status).toBe(400);

    expect((await api.request(`/api/orders/${bobs.id}`, { headers: ada })).status).toBe(404);
    expect((await api.request(`/api/orders/${bobs.id}`)).status).toBe(404);
    expect((await api.request(`/api/orders/${bobs.id}`, { headers: admin })).status).toBe(200);
    expect((await api.request("/api/orders")).body).toEqual({ data: [], nextCursor: null });
  });

  it("a guest sees the orders placed with the cart cookie they hold", async () => {
    const productId = await productWithStock(api, admin, 2, 800);
    const guest = { cookie: await guestCartWith(api, [[productId, 1]]) };
    const { checkoutId } = await paidCheckout(api, guest);
    const created = await createOrder(api, guest, checkoutId);
    const listed = await api.request("/api/orders", { headers: guest });
    expect(listed.body.data.map((order: { id: string }) => order.id)).toEqual([created.body.id]);
    expect(listed.body.data[0].customerId).toBeNull();
  });

  it("staff list every order, filtered by status, customer and date", async () => {
    const { token, response } = await registered(api);
    const carol = bearer(token);
    const customerId = response.body.user.id as string;
    const one = await orderOf(carol);
    const two = await orderOf(carol);
    expect((await setStatus(two.id, "processing")).status).toBe(200);

    const mine = await api.request(`/api/admin/orders?customerId=${customerId}`, { headers: admin });
    expect(mine.body.data.map((order: { id: string }) => order.id)).toEqual([two.id, one.id]);
    const processing = await api.request(`/api/admin/orders?customerId=${customerId}&status=processing`, {
      headers: admin,
    });
    expect(processing.body.data.map((order: { id: string }) => order.id)).toEqual([two.id]);
    const future = new Date(Date.now() + 60_000).toISOString();
    const none = await api.request(
      `/api/admin/orders?customerId=${customerId}&from=${encodeURIComponent(future)}`,
      {
        headers: admin,
      },
    );
    expect(none.body.data).toEqual([]);
    const before = await api.request(
      `/api/admin/orders?customerId=${customerId}&to=${encodeURIComponent(future)}`,
      {
        headers: admin,
      },
    );
    expect(before.body.data).toHaveLength(2);
    expect((await api.request("/api/admin/orders", { headers: carol })).status).toBe(403);
  });

  it("moves along paid → processing → shipped → delivered, recording who and when, mailing the customer", async () => {
    const dora = bearer((await registered(api)).token);
    const { id } = await orderOf(dora);
    const skipped = await setStatus(id, "shipped");
    expect(skipped.status).toBe(409);
    expect(skipped.body).toMatchObject({
      code: "invalid_transition",
      currentStatus: "paid",
      allowedTransitions: ["processing", "cancelled", "refunded"],
    });
    expect((await setStatus(id, "processing")).status).toBe(200);
    const shipped = await setStatus(id, "shipped", admin, "DHL 00340434161094042557");
    expect(shipped.body.status).toBe("shipped");
    const delivered = await setStatus(id, "delivered");
    expect(delivered.body.allowedTransitions).toEqual(["refunded"]);
    expect(delivered.body.history.map((entry: { to: string }) => entry.to)).toEqual([
      "paid",
      "processing",
      "shipped",
      "delivered",
    ]);
    expect(delivered.body.history[2]).toMatchObject({
      from: "processing",
      actor: "admin",
      note: "DHL 00340434161094042557",
    });
    expect(delivered.body.history[2].actorId).toMatch(/.+/);
    // Customers may not move their own orders.
    expect((await setStatus(id, "refunded", dora)).status).toBe(403);
    const subjects = (await mailsTo(api, "ada@example.com")).map((mail) => mail.subject);
    expect(subjects).toContain(`Your JoxiCrochet order is on its way ${id}`);
    expect(subjects).toContain(`Your JoxiCrochet order was delivered ${id}`);
  });

  it("cancelling before shipping returns the units to stock and refunds through the provider; a shipped order cannot be cancelled", async () => {
    const erin = bearer((await registered(api)).token);
    const { id, productId } = await orderOf(erin, 3);
    expect(await stockOf(productId)).toBe(2);
    const cancelled = await setStatus(id, "cancelled", admin, "Out of yarn");
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body.allowedTransitions).toEqual([]);
    expect(await stockOf(productId)).toBe(3);
    const [ledger] = await api.database.db
      .select({ total: sql<number>`sum(${inventoryLedger.delta})::int` })
      .from(inventoryLedger)
      .where(eq(inventoryLedger.productId, productId));
    expect(ledger?.total).toBe(3);
    await jobsDone(api);
    const [order] = await api.database.db.select().from(orders).where(eq(orders.id, id));
    const [payment] = await api.database.db
      .select()
      .from(payments)
      .where(eq(payments.id, order?.paymentId ?? ""));
    expect(payment?.status).toBe("refunded");
    expect(testProvider(api).refunds()).toContain(payment?.providerPaymentId);
    expect((await setStatus(id, "cancelled")).status).toBe(409);

    const shipped = await orderOf(erin, 3);
    await setStatus(shipped.id, "processing");
    await setStatus(shipped.id, "shipped");
    const late = await setStatus(shipped.id, "cancelled");
    expect(late.status).toBe(409);
    expect(late.body.allowedTransitions).toEqual(["delivered", "refunded"]);
    const refunded = await setStatus(shipped.id, "refunded");
    expect(refunded.status).toBe(200);
    // Shipped goods are not on the shelf: a refund after shipping leaves the stock alone.
    expect(await stockOf(shipped.productId)).toBe(2);
  });

  it("the balance checked after every test sees a unit that went missing outside the ledger", async () => {
    const productId = await productWithStock(api, admin, 3);
    await api.database.db.update(products).set({ stock: 2 }).where(eq(products.id, productId));
    expect(await unbalancedProducts(api)).toEqual([expect.objectContaining({ id: productId })]);
    await api.database.db.update(products).set({ stock: 3 }).where(eq(products.id, productId));
  });
});
