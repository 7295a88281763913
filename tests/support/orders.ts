import { randomUUID } from "node:crypto";
import { and, eq, notInArray, sql } from "drizzle-orm";
import { expect } from "vitest";
import {
  checkoutLines,
  checkouts,
  inventoryLedger,
  orderLines,
  orders,
  products,
} from "../../db/schema/index.ts";
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

/**
 * Stock, the units open checkouts hold and the units sold add up to what the ledger says came in
 * (initial stock and staff's adjustments), and the ledger's running total is the stock.
 */
export async function expectStockBalanced(api: TestApp, productId: number): Promise<void> {
  const db = api.database.db;
  const [ledger] = await db
    .select({
      total: sql<number>`coalesce(sum(${inventoryLedger.delta}), 0)::int`,
      cameIn: sql<number>`coalesce(sum(${inventoryLedger.delta}) filter (where ${inventoryLedger.reason} not in ('reserved', 'released')), 0)::int`,
    })
    .from(inventoryLedger)
    .where(eq(inventoryLedger.productId, productId));
  const [product] = await db
    .select({ stock: products.stock })
    .from(products)
    .where(eq(products.id, productId));
  const [held] = await db
    .select({ units: sql<number>`coalesce(sum(${checkoutLines.quantity}), 0)::int` })
    .from(checkoutLines)
    .innerJoin(checkouts, eq(checkouts.id, checkoutLines.checkoutId))
    .where(and(eq(checkouts.status, "open"), eq(checkoutLines.productId, productId)));
  const [sold] = await db
    .select({ units: sql<number>`coalesce(sum(${orderLines.quantity}), 0)::int` })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(and(eq(orderLines.productId, productId), notInArray(orders.status, ["cancelled", "refunded"])));
  expect(ledger?.total).toBe(product?.stock);
  expect(ledger?.cameIn).toBe((product?.stock ?? 0) + (held?.units ?? 0) + (sold?.units ?? 0));
}

/**
 * The same balance over every product, in one query: the products where stock, holds and sales
 * do not add up to what came in, or the ledger's running total is not the stock (none, when all
 * is well). A refund before shipping gave its units back; one after shipping did not.
 */
export async function unbalancedProducts(api: TestApp): Promise<unknown[]> {
  const result = (await api.database.db.execute(sql`
    with ledger as (
      select product_id,
             sum(delta)::int as total,
             (sum(delta) filter (where reason not in ('reserved', 'released')))::int as came_in
      from inventory_ledger group by product_id
    ), held as (
      select l.product_id, sum(l.quantity)::int as units
      from checkout_lines l join checkouts c on c.id = l.checkout_id
      where c.status = 'open' group by l.product_id
    ), sold as (
      select l.product_id, sum(l.quantity)::int as units
      from order_lines l join orders o on o.id = l.order_id
      where o.status <> 'cancelled'
        and not exists (
          select 1 from order_history h
          where h.order_id = o.id and h.to_status = 'refunded'
            and h.from_status in ('pending', 'paid', 'processing'))
      group by l.product_id
    )
    select p.id, p.stock, ledger.total, ledger.came_in,
           coalesce(held.units, 0) as held, coalesce(sold.units, 0) as sold
    from products p
    join ledger on ledger.product_id = p.id
    left join held on held.product_id = p.id
    left join sold on sold.product_id = p.id
    where ledger.total <> p.stock
       or ledger.came_in <> p.stock + coalesce(held.units, 0) + coalesce(sold.units, 0)`)) as unknown as {
    rows: unknown[];
  };
  return result.rows;
}
