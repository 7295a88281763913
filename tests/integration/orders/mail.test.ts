import { and, eq, gte, isNull, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { outbox } from "../../../db/schema/index.ts";
import { createTestApp, type TestApp } from "../../support/app";
import { json, signedInAdmin } from "../../support/auth";
import { guestCartWith } from "../../support/cart";
import { productWithStock } from "../../support/catalog";
import { createOrder, paidCheckout, unbalancedProducts, withKey } from "../../support/orders";
import { waitFor } from "../mailer/helpers";
import { type SmtpSink, startSmtpSink } from "../mailer/smtp-sink";

describe("order mails, with the SMTP server down and back", () => {
  let sink: SmtpSink;
  let api: TestApp;
  let admin: Record<string, string>;

  beforeAll(async () => {
    sink = await startSmtpSink();
    api = await createTestApp({ env: { SMTP_URL: sink.url } });
    admin = await signedInAdmin(api);
  });
  afterAll(async () => {
    await api.close();
    await sink.close();
  });
  afterEach(async () => {
    expect(await unbalancedProducts(api)).toEqual([]);
  });

  const unsent = () =>
    api.database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.kind, "email"), isNull(outbox.sentAt)));

  it("checkout succeeds while mail cannot go; the mails go out once, in text and HTML, when the server returns", async () => {
    const port = Number(new URL(sink.url).port);
    await sink.close();

    const scarf = await productWithStock(api, admin, 3, 2500);
    const guest = { cookie: await guestCartWith(api, [[scarf, 1]]) };
    const { checkoutId } = await paidCheckout(api, guest);
    const order = await createOrder(api, guest, checkoutId);
    expect(order.status, order.text).toBe(201);
    const orderId = order.body.id as string;

    // The worker tried and failed: the mails wait in the outbox with their attempts counted.
    await waitFor(async () => {
      const waiting = (await unsent()).filter((row) => JSON.stringify(row.payload).includes(orderId));
      return waiting.length === 2 && waiting.every((row) => row.attempts >= 1);
    }, 10_000);
    expect(sink.received).toHaveLength(0);

    sink = await startSmtpSink(port);
    // The backoff's wait, skipped: the rows are due now.
    await api.database.db
      .update(outbox)
      .set({ nextAttemptAt: sql`now()` })
      .where(and(isNull(outbox.sentAt), gte(outbox.attempts, 1)));
    api.services.outbox.wake();
    const forOrder = () => sink.received.filter((mail) => (mail.parsed.subject ?? "").includes(orderId));
    await waitFor(() => forOrder().length >= 2, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const subjects = forOrder().map((mail) => mail.parsed.subject);
    expect(subjects.sort()).toEqual([
      `Payment received for your JoxiCrochet order ${orderId}`,
      `Your JoxiCrochet order ${orderId}`,
    ]);
    const confirmation = forOrder().find(
      (mail) => mail.parsed.subject === `Your JoxiCrochet order ${orderId}`,
    );
    expect(confirmation?.envelope.to).toEqual(["ada@example.com"]);
    expect(confirmation?.parsed.text).toContain("29.95 EUR");
    expect(confirmation?.parsed.text).toMatch(/1 x .+25\.00 EUR/);
    expect(confirmation?.parsed.html).toMatch(
      /<th align="left">Total<\/th><td align="right">29\.95 EUR<\/td>/,
    );

    const shipped = await api.request(`/api/orders/${orderId}/status`, {
      ...json({ status: "processing" }, withKey(admin)),
      method: "PUT",
    });
    expect(shipped.status).toBe(200);
    const cancelled = await api.request(`/api/orders/${orderId}/status`, {
      ...json({ status: "cancelled", note: "Sold out of that yarn" }, withKey(admin)),
      method: "PUT",
    });
    expect(cancelled.status).toBe(200);
    await waitFor(() => forOrder().length >= 3, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const cancellation = forOrder().filter(
      (mail) => mail.parsed.subject === `Your JoxiCrochet order was cancelled ${orderId}`,
    );
    expect(cancellation).toHaveLength(1);
    expect(cancellation[0]?.parsed.text).toContain("Sold out of that yarn");
    expect(forOrder()).toHaveLength(3);
  });
});
