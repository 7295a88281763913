import { and, desc, eq, sql } from "drizzle-orm";
import { paymentEvents, payments } from "../../../db/schema/index.ts";
import type { Db, Tx } from "../../platform/db.ts";
import { enqueueJob } from "../../platform/outbox/index.ts";
import {
  InvalidSignatureError,
  type PaymentProvider,
  type PaymentProviderName,
} from "../../platform/payments/provider.ts";
import type { CartOwner } from "../cart/owner.ts";
import { type CheckoutDeps, checkoutForPayment, getCheckout } from "../checkout/checkout.ts";
import { DomainError } from "../errors.ts";
import { unguessableId } from "../ids.ts";
import { orderOfCheckout, placeOrder } from "../orders/orders.ts";
import { cancelPendingPayments } from "./pending.ts";
import { REFUND_JOB } from "./refunds.ts";

export interface PaymentsDeps {
  db: Db;
  provider: PaymentProvider;
  checkout: CheckoutDeps;
  /** Called after a commit that queued mail or a refund, so the outbox worker runs now. */
  wakeOutbox(): void;
}

export interface PaymentView {
  id: string;
  checkoutId: string;
  provider: PaymentProviderName;
  providerPaymentId: string;
  status: "pending";
  amount: { amount: number; currency: "EUR" };
  clientSecret: string;
}

const newPaymentId = () => unguessableId("pay");
const closed = () =>
  new DomainError("checkout_closed", "This checkout has ended; start a new one from the cart");

/** Calls the provider; its outages become a 503 the client may retry, never a 500. */
async function provider<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new DomainError(
      "dependency_unavailable",
      "The payment provider is not answering; try again shortly",
      undefined,
      { cause: error, retryAfterSeconds: 5 },
    );
  }
}

/**
 * Creates a payment for the checkout's total with the provider and records it; a pending payment
 * of the same checkout is replaced. The provider is asked outside any transaction (a slow
 * provider holds no row locks), with an idempotency key of the checkout and the client's key, so
 * a retry reaches the same provider payment.
 */
export async function createPayment(
  deps: PaymentsDeps,
  owner: CartOwner,
  checkoutId: string,
  idempotencyKey: string,
): Promise<PaymentView> {
  const checkout = await getCheckout(deps.checkout, owner, checkoutId);
  if (checkout.status !== "open") throw closed();
  if (!checkout.readyForPayment) {
    const missing = [
      checkout.email === null ? "email" : undefined,
      checkout.shippingAddress === undefined ? "shippingAddress" : undefined,
      checkout.shippingMethod === null ? "shippingMethod" : undefined,
    ].filter((field) => field !== undefined);
    throw new DomainError("checkout_incomplete", `Set ${missing.join(", ")} before paying`, { missing });
  }
  const [paid] = await deps.db
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.checkoutId, checkoutId), eq(payments.status, "succeeded")));
  if (paid) throw new DomainError("already_paid", "This checkout is paid; create its order");
  const amount = checkout.total.amount;
  const made = await provider(() =>
    deps.provider.createPayment({
      amountCents: amount,
      currency: "eur",
      reference: checkoutId,
      idempotencyKey: `${checkoutId}/${idempotencyKey}`,
    }),
  );
  let replaced: string[];
  let id: string;
  try {
    ({ id, replaced } = await deps.db.transaction(async (tx) => {
      const now = await checkoutForPayment(tx, checkoutId);
      if (!now?.payable) throw closed();
      if (now.totalCents !== made.amountCents)
        throw new DomainError("conflict", "The checkout changed while the payment was made; create it again");
      const [known] = await tx
        .select({ id: payments.id })
        .from(payments)
        .where(and(eq(payments.provider, deps.provider.name), eq(payments.providerPaymentId, made.id)));
      // A retry of a request whose answer was lost: the provider gave back the same payment.
      if (known) return { id: known.id, replaced: [] };
      const old = await cancelPendingPayments(tx, checkoutId);
      const paymentId = newPaymentId();
      await tx.insert(payments).values({
        id: paymentId,
        checkoutId,
        provider: deps.provider.name,
        providerPaymentId: made.id,
        amountCents: made.amountCents,
        currency: "EUR",
      });
      return { id: paymentId, replaced: old };
    }));
  } catch (error) {
    await deps.provider.cancelPayment(made.id).catch(() => undefined);
    throw error;
  }
  // Best effort: a replaced payment the customer pays anyway is refunded when it is reported.
  for (const old of replaced) await deps.provider.cancelPayment(old).catch(() => undefined);
  return {
    id,
    checkoutId,
    provider: deps.provider.name,
    providerPaymentId: made.id,
    status: "pending",
    amount: { amount: made.amountCents, currency: "EUR" },
    clientSecret: made.clientSecret,
  };
}

/**
 * What a successful payment means, decided once under the payment's row lock (the webhook and
 * the client's completion may race here): the order of its checkout if the checkout can still
 * be sold at the amount paid, else a refund. Reported twice, it changes nothing the second time.
 */
export async function settlePayment(
  tx: Tx,
  paymentId: string,
): Promise<{ orderId?: string; placed: boolean }> {
  const [payment] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for("update");
  if (!payment) throw new Error(`settle: no payment ${paymentId}`);
  if (payment.status === "succeeded")
    return { orderId: await orderOfCheckout(tx, payment.checkoutId), placed: false };
  if (payment.status === "refunded") return { placed: false };
  const checkout = await checkoutForPayment(tx, payment.checkoutId);
  const sellable =
    checkout?.payable === true &&
    checkout.ready &&
    checkout.totalCents === payment.amountCents &&
    payment.status !== "cancelled" &&
    (await orderOfCheckout(tx, payment.checkoutId)) === undefined;
  if (!sellable) {
    // Money for something the shop can no longer sell as paid for: it goes back.
    await tx
      .update(payments)
      .set({ status: "refunded", updatedAt: sql`now()` })
      .where(eq(payments.id, paymentId));
    await enqueueJob(tx, REFUND_JOB, { paymentId });
    return { placed: false };
  }
  await cancelPendingPayments(tx, payment.checkoutId, paymentId);
  await tx
    .update(payments)
    .set({ status: "succeeded", updatedAt: sql`now()` })
    .where(eq(payments.id, paymentId));
  return { orderId: await placeOrder(tx, payment.checkoutId, paymentId), placed: true };
}

/**
 * A provider's webhook: verified over the exact bytes received, recorded so that a second
 * delivery changes nothing, and applied in the same transaction. A failure reported after a
 * success (out of order) leaves the success standing.
 */
export async function receiveEvent(
  deps: PaymentsDeps,
  providerName: PaymentProviderName,
  rawBody: string,
  header: (name: string) => string | undefined,
): Promise<{ duplicate: boolean }> {
  if (providerName !== deps.provider.name)
    throw new DomainError(
      "not_found",
      `This shop takes payments with ${deps.provider.name}, not ${providerName}`,
    );
  const event = await deps.provider.verifyEvent(rawBody, header).catch((error: unknown) => {
    if (!(error instanceof InvalidSignatureError)) throw error;
    throw new DomainError("invalid_signature", `The event's signature does not hold: ${error.message}`);
  });
  const outcome = await deps.db.transaction(async (tx) => {
    const fresh = await tx
      .insert(paymentEvents)
      .values({ provider: providerName, eventId: event.id, type: event.type })
      .onConflictDoNothing()
      .returning({ id: paymentEvents.eventId });
    if (fresh.length === 0) return { duplicate: true };
    if (event.kind === "other") return { duplicate: false };
    const [payment] = await tx
      .select({ id: payments.id })
      .from(payments)
      .where(and(eq(payments.provider, providerName), eq(payments.providerPaymentId, event.paymentId)));
    // Not one of this shop's payments (another integration on the same account).
    if (!payment) return { duplicate: false };
    if (event.kind === "payment_succeeded") await settlePayment(tx, payment.id);
    else
      await tx
        .update(payments)
        .set({ status: "failed", updatedAt: sql`now()` })
        .where(and(eq(payments.id, payment.id), eq(payments.status, "pending")));
    return { duplicate: false };
  });
  deps.wakeOutbox();
  return outcome;
}

/**
 * The client's completion: the order of a paid checkout. When the webhook came first it is the
 * order it made; otherwise the provider is asked whether the payment succeeded.
 */
export async function completeCheckout(
  deps: PaymentsDeps,
  owner: CartOwner,
  checkoutId: string,
): Promise<{ orderId: string; created: boolean }> {
  const checkout = await getCheckout(deps.checkout, owner, checkoutId);
  const existing = await orderOfCheckout(deps.db, checkoutId);
  if (existing) return { orderId: existing, created: false };
  const [payment] = await deps.db
    .select()
    .from(payments)
    .where(eq(payments.checkoutId, checkoutId))
    .orderBy(desc(payments.createdAt))
    .limit(1);
  if (checkout.status !== "open") throw closed();
  if (!payment || payment.status === "cancelled")
    throw new DomainError("payment_required", "Create the payment for this checkout first");
  const remote = await provider(() => deps.provider.retrievePayment(payment.providerPaymentId));
  if (remote.status !== "succeeded") {
    if (remote.status === "failed" || payment.status === "failed")
      throw new DomainError("payment_failed", "The payment was declined; the customer may try again");
    throw new DomainError("payment_pending", "The payment has not succeeded yet", undefined, {
      retryAfterSeconds: 2,
    });
  }
  const settled = await deps.db.transaction((tx) => settlePayment(tx, payment.id));
  deps.wakeOutbox();
  if (!settled.orderId) throw closed();
  return { orderId: settled.orderId, created: settled.placed };
}
