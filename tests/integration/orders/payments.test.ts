import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { checkouts, orders, paymentEvents, payments } from "../../../db/schema/index.ts";
import { createTestApp, type TestApp } from "../../support/app";
import { jobsDone, mailsTo, signedInAdmin } from "../../support/auth";
import { guestCartWith } from "../../support/cart";
import { productWithStock } from "../../support/catalog";
import {
  createOrder,
  createPayment,
  deliver,
  paidCheckout,
  readyCheckout,
  testProvider,
  unbalancedProducts,
} from "../../support/orders";

describe("payments and the order they make", () => {
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

  const guestWith = async (productId: number, quantity = 1) => ({
    cookie: await guestCartWith(api, [[productId, quantity]]),
  });
  const ordersOf = async (checkoutId: string) =>
    api.database.db.select().from(orders).where(eq(orders.checkoutId, checkoutId));
  const stockOf = async (id: number) => (await api.request(`/api/products/${id}`)).body.stockLevel as number;

  it("webhook first: the payment becomes the order, once; the client's completion then gets that order", async () => {
    const fox = await productWithStock(api, admin, 4, 2400);
    const guest = await guestWith(fox, 2);
    const { checkoutId, payment, events } = await paidCheckout(api, guest);
    expect(payment).toMatchObject({
      provider: "test",
      status: "pending",
      amount: { amount: 2 * 2400 + 495 },
    });
    expect(payment.clientSecret).toContain(payment.providerPaymentId);

    const [event] = events;
    if (!event) throw new Error("the provider sent no event");
    const first = await deliver(api, event);
    expect(first.status, first.text).toBe(200);
    expect(first.body).toEqual({ received: true, duplicate: false });
    const again = await deliver(api, event);
    expect(again.body).toEqual({ received: true, duplicate: true });
    expect(await ordersOf(checkoutId)).toHaveLength(1);

    const completed = await createOrder(api, guest, checkoutId);
    expect(completed.status, completed.text).toBe(200);
    expect(completed.body).toMatchObject({
      status: "paid",
      checkoutId,
      itemCount: 2,
      total: { amount: 2 * 2400 + 495, currency: "EUR" },
      allowedTransitions: ["processing", "cancelled", "refunded"],
      history: [{ to: "paid", actor: "system", actorId: null }],
    });
    expect(completed.body.id).toMatch(/^ord_[A-Za-z0-9_-]{22}$/);
    // The units the checkout held are the order's: sold, not back on the shelf.
    expect(await stockOf(fox)).toBe(2);
    expect((await api.request("/api/cart", { headers: guest })).body.lines).toEqual([]);
    const checkout = await api.request(`/api/checkouts/${checkoutId}`, { headers: guest });
    expect(checkout.body.status).toBe("completed");
    const subjects = (await mailsTo(api, "ada@example.com")).map((mail) => mail.subject);
    expect(subjects).toContain(`Your JoxiCrochet order ${completed.body.id}`);
    expect(subjects).toContain(`Payment received for your JoxiCrochet order ${completed.body.id}`);
  });

  it("client first: the completion asks the provider and makes the order (201); the late webhook changes nothing", async () => {
    const owl = await productWithStock(api, admin, 3, 900);
    const guest = await guestWith(owl);
    const { checkoutId, events } = await paidCheckout(api, guest);
    const created = await createOrder(api, guest, checkoutId);
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get("location")).toBe(`/api/orders/${created.body.id}`);
    for (const event of [...events, ...events]) expect((await deliver(api, event)).status).toBe(200);
    expect(await ordersOf(checkoutId)).toHaveLength(1);
    const read = await api.request(`/api/orders/${created.body.id}`, { headers: guest });
    expect(read.status).toBe(200);
    expect(read.body.history).toHaveLength(1);
  });

  it("the webhook and the completion racing each other make exactly one order", async () => {
    const hat = await productWithStock(api, admin, 10, 1500);
    for (let round = 0; round < 5; round += 1) {
      const guest = await guestWith(hat);
      const { checkoutId, events } = await paidCheckout(api, guest);
      const [event] = events;
      if (!event) throw new Error("the provider sent no event");
      const [webhook, completion] = await Promise.all([
        deliver(api, event),
        createOrder(api, guest, checkoutId),
      ]);
      expect(webhook.status).toBe(200);
      expect([200, 201]).toContain(completion.status);
      const made = await ordersOf(checkoutId);
      expect(made).toHaveLength(1);
      expect(made[0]?.id).toBe(completion.body.id);
    }
  });

  it("a declined card: the order waits (409 payment_failed), a failure reported after the success changes nothing", async () => {
    const bag = await productWithStock(api, admin, 2, 3000);
    const guest = await guestWith(bag);
    const checkoutId = await readyCheckout(api, guest);
    const payment = await createPayment(api, guest, checkoutId);
    const provider = testProvider(api);
    const [declined] = provider.pay(payment.body.providerPaymentId, "declined");
    if (!declined) throw new Error("the provider sent no event");
    expect((await deliver(api, declined)).status).toBe(200);
    const refused = await createOrder(api, guest, checkoutId);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("payment_failed");

    const [succeeded] = provider.pay(payment.body.providerPaymentId, "succeeded");
    if (!succeeded) throw new Error("the provider sent no event");
    // The second attempt's success, then the first attempt's failure delivered late, twice.
    expect((await deliver(api, succeeded)).status).toBe(200);
    const late = provider.sign({
      id: "evt_late_failure",
      type: "payment.failed",
      data: { paymentId: payment.body.providerPaymentId },
    });
    expect((await deliver(api, late)).status).toBe(200);
    const [row] = await api.database.db.select().from(payments).where(eq(payments.id, payment.body.id));
    expect(row?.status).toBe("succeeded");
    expect(await ordersOf(checkoutId)).toHaveLength(1);
  });

  it("a bad, missing or old signature is 400 and changes nothing; another provider's path is 404", async () => {
    const yarn = await productWithStock(api, admin, 2, 700);
    const guest = await guestWith(yarn);
    const { checkoutId, events } = await paidCheckout(api, guest);
    const [event] = events;
    if (!event) throw new Error("the provider sent no event");
    const tampered = { ...event, body: event.body.replace('"payment.succeeded"', '"payment.succeeded" ') };
    const unsigned = { body: event.body, headers: { ...event.headers, "webhook-signature": "v1,AAAA" } };
    const old = testProvider(api).sign(JSON.parse(event.body), new Date(Date.now() - 10 * 60_000));
    for (const forged of [tampered, unsigned, old]) {
      const refused = await deliver(api, forged);
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe("invalid_signature");
    }
    const missing = await api.request("/api/payments/webhooks/test", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: event.body,
    });
    expect(missing.status).toBe(400);
    expect((await deliver(api, event, "stripe")).status).toBe(404);
    expect(await ordersOf(checkoutId)).toHaveLength(0);
    const recorded = await api.database.db
      .select()
      .from(paymentEvents)
      .where(eq(paymentEvents.eventId, JSON.parse(event.body).id));
    expect(recorded).toHaveLength(0);
    expect((await deliver(api, event)).status).toBe(200);
    expect(await ordersOf(checkoutId)).toHaveLength(1);
  });

  it("refuses to pay for an incomplete checkout, or without an Idempotency-Key", async () => {
    const toy = await productWithStock(api, admin, 2, 1100);
    const guest = await guestWith(toy);
    const started = await api.request("/api/checkouts", { method: "POST", headers: guest });
    const incomplete = await createPayment(api, guest, started.body.id);
    expect(incomplete.status).toBe(409);
    expect(incomplete.body).toMatchObject({
      code: "checkout_incomplete",
      missing: ["email", "shippingAddress", "shippingMethod"],
    });
    const keyless = await api.request(`/api/checkouts/${started.body.id}/payment`, {
      method: "POST",
      headers: guest,
    });
    expect(keyless.status).toBe(400);
    expect(keyless.body.errors[0]).toMatchObject({ location: "header" });
    const noOrderYet = await createOrder(api, guest, started.body.id);
    expect(noOrderYet.status).toBe(409);
    expect(noOrderYet.body.code).toBe("payment_required");
  });

  it("a provider that does not answer is 503 with Retry-After, and nothing is recorded", async () => {
    const toy = await productWithStock(api, admin, 2, 1100);
    const guest = await guestWith(toy);
    const checkoutId = await readyCheckout(api, guest);
    testProvider(api).failNext("create");
    const down = await api.requestExpectingServerError(`/api/checkouts/${checkoutId}/payment`, {
      method: "POST",
      headers: { ...guest, "idempotency-key": "provider-down-0001" },
    });
    expect(down.status).toBe(503);
    expect(down.headers.get("retry-after")).toBe("5");
    expect(
      await api.database.db.select().from(payments).where(eq(payments.checkoutId, checkoutId)),
    ).toHaveLength(0);
    // The key was not spent on the failure: the retry runs.
    const retried = await createPayment(api, guest, checkoutId, "provider-down-0001");
    expect(retried.status, retried.text).toBe(201);
  });

  it("money paid for a checkout that ended is refunded through the provider, and makes no order", async () => {
    const toy = await productWithStock(api, admin, 2, 1100);
    const guest = await guestWith(toy);
    const { checkoutId, payment, events } = await paidCheckout(api, guest);
    await api.database.db
      .update(checkouts)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(checkouts.id, checkoutId));
    const [event] = events;
    if (!event) throw new Error("the provider sent no event");
    expect((await deliver(api, event)).status).toBe(200);
    expect(await ordersOf(checkoutId)).toHaveLength(0);
    const late = await createOrder(api, guest, checkoutId);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe("checkout_closed");
    await jobsDone(api);
    expect(testProvider(api).refunds()).toContain(payment.providerPaymentId);
    const [row] = await api.database.db.select().from(payments).where(eq(payments.id, payment.id));
    expect(row?.status).toBe("refunded");
  });
});
