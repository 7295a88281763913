import Stripe from "stripe";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../support/app";
import { jobsDone, json, signedInAdmin } from "../../support/auth";
import { guestCartWith } from "../../support/cart";
import { productWithStock } from "../../support/catalog";
import { createOrder, createPayment, readyCheckout, unbalancedProducts, withKey } from "../../support/orders";
import { type StripeStandIn, startStripeStandIn } from "../../support/stripe-stand-in";

const WEBHOOK_SECRET = "whsec_standinsecret0123456789";
const stripe = new Stripe("sk_test_standin");

/** A Stripe event as Stripe would send it, signed with the package's own test helper. */
function stripeEvent(type: string, intent: object, timestamp = Math.floor(Date.now() / 1000)) {
  const payload = JSON.stringify({
    id: `evt_${Math.random().toString(36).slice(2)}`,
    object: "event",
    type,
    created: timestamp,
    data: { object: intent },
  });
  const header = stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET, timestamp });
  return { payload, header };
}

describe("the Stripe adapter, against a local stand-in for Stripe's API", () => {
  let standIn: StripeStandIn;
  let api: TestApp;
  let admin: Record<string, string>;

  beforeAll(async () => {
    standIn = await startStripeStandIn();
    api = await createTestApp({
      env: {
        PAYMENT_PROVIDER: "stripe",
        STRIPE_SECRET_KEY: "sk_test_standin",
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        STRIPE_API_URL: standIn.url,
      },
    });
    admin = await signedInAdmin(api);
  });
  afterAll(async () => {
    await api.close();
    await standIn.close();
  });
  afterEach(async () => {
    expect(await unbalancedProducts(api)).toEqual([]);
  });

  const deliver = (event: { payload: string; header: string }) =>
    api.request("/api/payments/webhooks/stripe", {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": event.header },
      body: event.payload,
    });

  it("creates a PaymentIntent for the checkout's total, with an idempotency key, and the signed webhook makes the order", async () => {
    const fox = await productWithStock(api, admin, 3, 2400);
    const guest = { cookie: await guestCartWith(api, [[fox, 1]]) };
    const checkoutId = await readyCheckout(api, guest);
    const payment = await createPayment(api, guest, checkoutId, "stripe-key-0001");
    expect(payment.status, payment.text).toBe(201);
    expect(payment.body).toMatchObject({ provider: "stripe", amount: { amount: 2400 + 495 } });
    const intent = standIn.intents.get(payment.body.providerPaymentId);
    expect(payment.body.clientSecret).toBe(intent?.client_secret);
    const created = standIn.requests.find((request) => request.path === "/v1/payment_intents");
    expect(created?.form.get("amount")).toBe(String(2400 + 495));
    expect(created?.form.get("currency")).toBe("eur");
    expect(created?.form.get("metadata[checkoutId]")).toBe(checkoutId);
    expect(created?.idempotencyKey).toBe(`${checkoutId}/stripe-key-0001`);
    expect(created?.authorization).toBe("Bearer sk_test_standin");

    standIn.succeed(payment.body.providerPaymentId);
    const succeeded = stripeEvent("payment_intent.succeeded", { ...intent, status: "succeeded" });
    const received = await deliver(succeeded);
    expect(received.status, received.text).toBe(200);
    expect(received.body.duplicate).toBe(false);
    expect((await deliver(succeeded)).body.duplicate).toBe(true);
    const order = await createOrder(api, guest, checkoutId);
    expect(order.status).toBe(200);
    expect(order.body.status).toBe("paid");
  });

  it("refuses an event signed with another secret, or five minutes old, with 400 and changes nothing", async () => {
    const owl = await productWithStock(api, admin, 3, 900);
    const guest = { cookie: await guestCartWith(api, [[owl, 1]]) };
    const checkoutId = await readyCheckout(api, guest);
    const payment = await createPayment(api, guest, checkoutId);
    const intent = { ...standIn.intents.get(payment.body.providerPaymentId), status: "succeeded" };
    const payload = JSON.stringify({
      id: "evt_forged",
      object: "event",
      type: "payment_intent.succeeded",
      data: { object: intent },
    });
    const forged = stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_someoneelse" });
    const old = stripeEvent("payment_intent.succeeded", intent, Math.floor(Date.now() / 1000) - 301);
    for (const event of [{ payload, header: forged }, old]) {
      const refused = await deliver(event);
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe("invalid_signature");
    }
    const noOrder = await createOrder(api, guest, checkoutId);
    expect(noOrder.status).toBe(409);
    expect(noOrder.body.code).toBe("payment_pending");
  });

  it("asks Stripe when the client completes first, and refunds through Stripe when staff cancel", async () => {
    const hat = await productWithStock(api, admin, 3, 1500);
    const guest = { cookie: await guestCartWith(api, [[hat, 1]]) };
    const checkoutId = await readyCheckout(api, guest);
    const payment = await createPayment(api, guest, checkoutId);
    standIn.succeed(payment.body.providerPaymentId);
    const order = await createOrder(api, guest, checkoutId);
    expect(order.status, order.text).toBe(201);
    expect(
      standIn.requests.some(
        (request) =>
          request.method === "GET" &&
          request.path === `/v1/payment_intents/${payment.body.providerPaymentId}`,
      ),
    ).toBe(true);

    const cancelled = await api.request(`/api/orders/${order.body.id}/status`, {
      ...json({ status: "cancelled" }, withKey(admin)),
      method: "PUT",
    });
    expect(cancelled.status).toBe(200);
    await jobsDone(api);
    const refund = standIn.requests.find((request) => request.path === "/v1/refunds");
    expect(refund?.form.get("payment_intent")).toBe(payment.body.providerPaymentId);
    expect(refund?.idempotencyKey).toBe(`refund_${payment.body.id}`);
  });
});
