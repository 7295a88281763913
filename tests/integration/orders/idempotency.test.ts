import { and, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { idempotencyKeys, payments } from "../../../db/schema/index.ts";
import { createTestApp, type TestApp } from "../../support/app";
import { signedInAdmin } from "../../support/auth";
import { guestCartWith } from "../../support/cart";
import { productWithStock } from "../../support/catalog";
import {
  createOrder,
  createPayment,
  paidCheckout,
  readyCheckout,
  testProvider,
  unbalancedProducts,
} from "../../support/orders";

describe("Idempotency-Key", () => {
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

  const guestWith = async (productId: number) => ({ cookie: await guestCartWith(api, [[productId, 1]]) });
  const paymentsOf = async (checkoutId: string) =>
    api.database.db.select().from(payments).where(eq(payments.checkoutId, checkoutId));

  it("a retry gets the first answer back, marked as a replay, and the operation runs once", async () => {
    const fox = await productWithStock(api, admin, 3, 2400);
    const guest = await guestWith(fox);
    const checkoutId = await readyCheckout(api, guest);
    const first = await createPayment(api, guest, checkoutId, "payment-key-0001");
    const retry = await createPayment(api, guest, checkoutId, "payment-key-0001");
    expect(first.status, first.text).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toEqual(first.body);
    expect(await paymentsOf(checkoutId)).toHaveLength(1);

    testProvider(api).pay(first.body.providerPaymentId, "succeeded");
    const order = await createOrder(api, guest, checkoutId, "order-key-0001");
    const orderAgain = await createOrder(api, guest, checkoutId, "order-key-0001");
    expect(order.status).toBe(201);
    expect(orderAgain.status).toBe(201);
    expect(orderAgain.headers.get("idempotent-replayed")).toBe("true");
    expect(orderAgain.headers.get("location")).toBe(order.headers.get("location"));
    expect(orderAgain.body.id).toBe(order.body.id);
  });

  it("the same key with another body is 422 and runs nothing; the key order of a JSON body does not matter", async () => {
    const owl = await productWithStock(api, admin, 3, 900);
    const one = await guestWith(owl);
    const { checkoutId } = await paidCheckout(api, one);
    const two = await guestWith(owl);
    const other = await readyCheckout(api, two);
    const order = await createOrder(api, one, checkoutId, "order-key-0002");
    expect(order.status).toBe(201);
    const reused = await api.request("/api/orders", {
      method: "POST",
      headers: { ...one, "content-type": "application/json", "idempotency-key": "order-key-0002" },
      body: JSON.stringify({ checkoutId: other }),
    });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe("idempotency_key_reused");
    // The same request written with other spacing is the same request.
    const respaced = await api.request("/api/orders", {
      method: "POST",
      headers: { ...one, "content-type": "application/json", "idempotency-key": "order-key-0002" },
      body: `{ "checkoutId" : "${checkoutId}" }`,
    });
    expect(respaced.status).toBe(201);
    expect(respaced.headers.get("idempotent-replayed")).toBe("true");
  });

  it("a second request while the first still runs is 409 with Retry-After; the first completes", async () => {
    const hat = await productWithStock(api, admin, 3, 1500);
    const guest = await guestWith(hat);
    const checkoutId = await readyCheckout(api, guest);
    const release = testProvider(api).holdNext("create");
    const first = createPayment(api, guest, checkoutId, "payment-key-0003");
    // Until the first has claimed its key.
    for (let tries = 0; tries < 200; tries += 1) {
      const held = await api.database.db
        .select()
        .from(idempotencyKeys)
        .where(eq(idempotencyKeys.key, "payment-key-0003"));
      if (held.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const second = await createPayment(api, guest, checkoutId, "payment-key-0003");
    expect(second.status).toBe(409);
    expect(second.body.code).toBe("idempotency_key_in_use");
    expect(second.headers.get("retry-after")).toBe("1");
    release();
    expect((await first).status).toBe(201);
    expect(await paymentsOf(checkoutId)).toHaveLength(1);
  });

  it("is per caller: another caller's identical key runs their own operation", async () => {
    const bag = await productWithStock(api, admin, 3, 3000);
    const one = await guestWith(bag);
    const two = await guestWith(bag);
    const first = await createPayment(api, one, await readyCheckout(api, one), "shared-key-0004");
    const second = await createPayment(api, two, await readyCheckout(api, two), "shared-key-0004");
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBeNull();
    expect(second.body.id).not.toBe(first.body.id);
  });

  it("keys are kept 24 hours: an older one is free again, and the sweeper forgets it", async () => {
    const yarn = await productWithStock(api, admin, 3, 700);
    const guest = await guestWith(yarn);
    await createPayment(api, guest, await readyCheckout(api, guest), "old-key-00005");
    // The guest's next checkout: another path, so a request this key may not answer while it is kept.
    const next = await readyCheckout(api, guest);
    const refused = await createPayment(api, guest, next, "old-key-00005");
    expect(refused.status).toBe(422);
    await api.database.db
      .update(idempotencyKeys)
      .set({ createdAt: sql`now() - interval '25 hours'` })
      .where(eq(idempotencyKeys.key, "old-key-00005"));
    const fresh = await createPayment(api, guest, next, "old-key-00005");
    expect(fresh.status, fresh.text).toBe(201);
    expect(fresh.headers.get("idempotent-replayed")).toBeNull();

    await api.database.db
      .update(idempotencyKeys)
      .set({ createdAt: sql`now() - interval '25 hours'` })
      .where(eq(idempotencyKeys.key, "old-key-00005"));
    expect(await api.services.idempotency.sweep()).toBeGreaterThanOrEqual(1);
    const left = await api.database.db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.key, "old-key-00005")));
    expect(left).toHaveLength(0);
  });

  it("an error keeps nothing: the same key runs again once the cause is gone", async () => {
    const toy = await productWithStock(api, admin, 3, 1100);
    const guest = await guestWith(toy);
    const checkoutId = await readyCheckout(api, guest);
    const payment = await createPayment(api, guest, checkoutId);
    const early = await createOrder(api, guest, checkoutId, "order-key-0006");
    expect(early.status).toBe(409);
    expect(early.body.code).toBe("payment_pending");
    testProvider(api).pay(payment.body.providerPaymentId, "succeeded");
    const later = await createOrder(api, guest, checkoutId, "order-key-0006");
    expect(later.status).toBe(201);
    expect(later.headers.get("idempotent-replayed")).toBeNull();
  });
});
