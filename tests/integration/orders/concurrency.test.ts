import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../support/app";
import { bearer, json, registered, signedInAdmin } from "../../support/auth";
import { cartCookie } from "../../support/cart";
import { productWithStock } from "../../support/catalog";
import {
  ADDRESS,
  createOrder,
  createPayment,
  expectStockBalanced,
  testProvider,
  unbalancedProducts,
} from "../../support/orders";

/**
 * Real concurrent requests all the way from cart to order: stock is taken when the checkout
 * starts, so that is where buyers race; those who win pay and get their orders.
 */
describe("no oversell, from cart to order", () => {
  let api: TestApp;
  let admin: Record<string, string>;

  beforeAll(async () => {
    api = await createTestApp({ env: { RATE_LIMIT_SCALE: "1000", RATE_LIMIT_PER_MINUTE: "100000" } });
    admin = await signedInAdmin(api);
  });
  afterAll(async () => {
    await api.close();
  });
  afterEach(async () => {
    expect(await unbalancedProducts(api)).toEqual([]);
  });

  /** One buyer's whole checkout: the status it ended with, and the order's id if it got one. */
  async function buy(
    caller: Record<string, string>,
  ): Promise<{ status: number; code?: string; orderId?: string }> {
    const started = await api.request("/api/checkouts", { method: "POST", headers: caller });
    if (started.status !== 201) return { status: started.status, code: started.body.code };
    const details = await api.request(`/api/checkouts/${started.body.id}`, {
      ...json({ email: "buyer@example.com", shippingAddress: ADDRESS, shippingMethod: "standard" }, caller),
      method: "PATCH",
    });
    expect(details.status, details.text).toBe(200);
    const payment = await createPayment(api, caller, started.body.id);
    expect(payment.status, payment.text).toBe(201);
    testProvider(api).pay(payment.body.providerPaymentId, "succeeded");
    const order = await createOrder(api, caller, started.body.id);
    expect(order.status, order.text).toBe(201);
    return { status: order.status, orderId: order.body.id };
  }

  it("50 customers completing checkout for the last unit: exactly 1 order, 49 get 409 out_of_stock", async () => {
    const lastOne = await productWithStock(api, admin, 1);
    const customers: Record<string, string>[] = [];
    // One after another: registering all at once would meet the password-hashing queue's 503.
    for (let index = 0; index < 50; index += 1) customers.push(bearer((await registered(api)).token));
    for (const customer of customers) {
      const added = await api.request("/api/cart/lines", json({ productId: lastOne, quantity: 1 }, customer));
      expect(added.status, added.text).toBe(200);
    }
    const outcomes = await Promise.all(customers.map(buy));
    expect(outcomes.filter((outcome) => outcome.orderId)).toHaveLength(1);
    const refused = outcomes.filter((outcome) => outcome.status === 409);
    expect(refused).toHaveLength(49);
    expect(new Set(refused.map((outcome) => outcome.code))).toEqual(new Set(["out_of_stock"]));
    await expectStockBalanced(api, lastOne);
  }, 180_000);

  it("200 concurrent single-unit buyers on a stock of 10: exactly 10 orders", async () => {
    const ten = await productWithStock(api, admin, 10);
    const guests: Record<string, string>[] = [];
    for (let index = 0; index < 200; index += 1) {
      const added = await api.request("/api/cart/lines", json({ productId: ten, quantity: 1 }));
      guests.push({ cookie: cartCookie(added) });
    }
    const outcomes = await Promise.all(guests.map(buy));
    const orders = outcomes.filter((outcome) => outcome.orderId);
    expect(orders).toHaveLength(10);
    expect(new Set(orders.map((outcome) => outcome.orderId)).size).toBe(10);
    expect(outcomes.filter((outcome) => outcome.code === "out_of_stock")).toHaveLength(190);
    expect((await api.request(`/api/products/${ten}`)).body.stockLevel).toBe(0);
    await expectStockBalanced(api, ten);
  }, 180_000);

  it("the same product twice against a stock of 1 is refused, in the cart and at checkout", async () => {
    const single = await productWithStock(api, admin, 1);
    const first = await api.request("/api/cart/lines", json({ productId: single, quantity: 1 }));
    const cookie = cartCookie(first);
    const second = await api.request("/api/cart/lines", json({ productId: single, quantity: 1 }, { cookie }));
    expect(second.status).toBe(409);
    expect(second.body.code).toBe("insufficient_stock");
    const two = await api.request("/api/cart/lines", json({ productId: single, quantity: 2 }));
    expect(two.status).toBe(409);
    const outcome = await buy({ cookie });
    expect(outcome.orderId).toBeDefined();
    await expectStockBalanced(api, single);
  });
});
