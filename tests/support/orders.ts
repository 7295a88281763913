import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import type { TestPaymentProvider, TestWebhook } from "../../src/platform/payments/test-provider";
import type { ApiResponse, TestApp } from "./app";
import { json } from "./auth";

/** A signing secret for the test provider, as production requires one to be configured. */
export const TEST_WEBHOOK_SECRET = `whsec_${Buffer.from("a test secret of thirty-two bytes").toString("base64")}`;

export const ADDRESS = {
  name: "Ada Lovelace",
  line1: "12 Wool Street",
  postalCode: "10115",
  city: "Berlin",
  country: "DE",
};

/** The app's payment provider: the built-in test provider unless the test configured Stripe. */
export const testProvider = (api: TestApp) => api.services.payments as TestPaymentProvider;

export const withKey = (headers: Record<string, string>, key: string = randomUUID()) => ({
  ...headers,
  "idempotency-key": key,
});

/** Starts a checkout from the caller's cart and fills in its details: its id. */
export async function readyCheckout(
  api: TestApp,
  caller: Record<string, string>,
  email = "ada@example.com",
): Promise<string> {
  const started = await api.request("/api/checkouts", { method: "POST", headers: caller });
  expect(started.status, started.text).toBe(201);
  const details = await api.request(`/api/checkouts/${started.body.id}`, {
    ...json({ email, shippingAddress: ADDRESS, shippingMethod: "standard" }, caller),
    method: "PATCH",
  });
  expect(details.status, details.text).toBe(200);
  return started.body.id as string;
}

export async function createPayment(
  api: TestApp,
  caller: Record<string, string>,
  checkoutId: string,
  key: string = randomUUID(),
): Promise<ApiResponse> {
  return api.request(`/api/checkouts/${checkoutId}/payment`, {
    method: "POST",
    headers: withKey(caller, key),
  });
}

/** The provider's webhook delivered to the shop. */
export async function deliver(api: TestApp, webhook: TestWebhook, provider = "test"): Promise<ApiResponse> {
  return api.request(`/api/payments/webhooks/${provider}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...webhook.headers },
    body: webhook.body,
  });
}

export async function createOrder(
  api: TestApp,
  caller: Record<string, string>,
  checkoutId: string,
  key: string = randomUUID(),
): Promise<ApiResponse> {
  return api.request("/api/orders", json({ checkoutId }, withKey(caller, key)));
}

/** A checkout paid for through the test provider (not yet reported to the shop): its id and the provider's events. */
export async function paidCheckout(api: TestApp, caller: Record<string, string>) {
  const checkoutId = await readyCheckout(api, caller);
  const payment = await createPayment(api, caller, checkoutId);
  expect(payment.status, payment.text).toBe(201);
  const events = testProvider(api).pay(payment.body.providerPaymentId, "succeeded");
  return { checkoutId, payment: payment.body, events };
}
