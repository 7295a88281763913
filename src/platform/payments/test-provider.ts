import { randomBytes } from "node:crypto";
import {
  InvalidSignatureError,
  type PaymentProvider,
  type ProviderEvent,
  type ProviderPayment,
  ProviderUnavailableError,
} from "./provider.ts";
import { type SignedHeaders, signWebhook, webhookSignatureProblem } from "./standard-webhooks.ts";

/** A webhook the test provider would send: the exact body and its signed headers. */
export interface TestWebhook {
  body: string;
  headers: SignedHeaders;
}

type TestOperation = "create" | "retrieve" | "cancel" | "refund";

/**
 * A payment provider that lives in the process, for development and tests, and behaves like a
 * real one where it matters: payments have ids and client secrets, they succeed or fail only when
 * the customer pays (`pay`), the outcome comes back as signed webhooks that the caller delivers
 * (twice, late or out of order, as a real provider may), calls take idempotency keys, and a call
 * can be made to fail (`failNext`) as an outage would.
 */
export interface TestPaymentProvider extends PaymentProvider {
  readonly name: "test";
  /** The customer pays (or the card is declined): the provider's events about it, signed. */
  pay(paymentId: string, outcome: "succeeded" | "declined"): TestWebhook[];
  /** Signs an event body as this provider would, at a chosen moment. */
  sign(event: object, at?: Date): TestWebhook;
  /** The next call of this kind fails as an unreachable provider would. */
  failNext(operation: TestOperation): void;
  /** The next call of this kind waits, as a slow provider would, until the returned function is called. */
  holdNext(operation: TestOperation): () => void;
  /** Refunds made, by provider payment id: what a test checks money went back with. */
  refunds(): string[];
}

interface StoredPayment extends ProviderPayment {
  reference: string;
}

const random = (bytes: number) => randomBytes(bytes).toString("base64url");

/** Signs an event body as the test provider does, at a chosen moment. */
function signEvent(webhookSecret: string, event: object, at?: Date): TestWebhook {
  const body = JSON.stringify(event);
  const id = (event as { id?: string }).id ?? `evt_${random(12)}`;
  return { body, headers: signWebhook(webhookSecret, id, body, at) };
}

/** The test provider's event about a payment's outcome. */
function paymentEvent(
  paymentId: string,
  outcome: "succeeded" | "declined",
  data: object = {},
  at = new Date(),
) {
  return {
    id: `evt_${random(12)}`,
    type: outcome === "succeeded" ? "payment.succeeded" : "payment.failed",
    created: Math.floor(at.getTime() / 1000),
    data: { paymentId, ...data },
  };
}

/**
 * A test provider's event about a payment, signed with its secret: what a client outside the
 * process (a load test, an end-to-end journey) sends to the webhook in the customer's place.
 */
export function signedTestEvent(
  webhookSecret: string,
  paymentId: string,
  outcome: "succeeded" | "declined",
  at?: Date,
): TestWebhook {
  return signEvent(webhookSecret, paymentEvent(paymentId, outcome, {}, at), at);
}

export function testPaymentProvider(webhookSecret: string): TestPaymentProvider {
  const payments = new Map<string, StoredPayment>();
  const byIdempotencyKey = new Map<string, string>();
  const refunded = new Set<string>();
  const failing = new Set<TestOperation>();
  const holding = new Map<TestOperation, Promise<void>>();

  const outage = async (operation: TestOperation) => {
    const hold = holding.get(operation);
    if (hold) {
      holding.delete(operation);
      await hold;
    }
    if (!failing.delete(operation)) return;
    throw new ProviderUnavailableError(`test provider: ${operation} made to fail`);
  };
  const find = (id: string): StoredPayment => {
    const payment = payments.get(id);
    if (!payment) throw new Error(`test provider: no payment ${id}`);
    return payment;
  };
  const view = ({ reference: _reference, ...payment }: StoredPayment): ProviderPayment => ({ ...payment });
  const sign = (event: object, at?: Date): TestWebhook => signEvent(webhookSecret, event, at);

  return {
    name: "test",
    async createPayment({ amountCents, reference, idempotencyKey }) {
      await outage("create");
      const earlier = byIdempotencyKey.get(idempotencyKey);
      if (earlier) return view(find(earlier));
      const id = `tpi_${random(16)}`;
      const payment = {
        id,
        clientSecret: `${id}_secret_${random(16)}`,
        status: "pending",
        amountCents,
        reference,
      };
      payments.set(id, payment as StoredPayment);
      byIdempotencyKey.set(idempotencyKey, id);
      return view(payment as StoredPayment);
    },
    async retrievePayment(id) {
      await outage("retrieve");
      const payment = payments.get(id);
      if (payment) return view(payment);
      // Made by another replica: this provider's records live in the process that made them, so
      // here the payment stays pending until its signed event reaches the shop (any replica).
      if (id.startsWith("tpi_")) return { id, clientSecret: "", status: "pending", amountCents: 0 };
      return view(find(id));
    },
    async cancelPayment(id) {
      await outage("cancel");
      const payment = find(id);
      if (payment.status === "pending") payment.status = "cancelled";
    },
    async refundPayment(id) {
      await outage("refund");
      const payment = find(id);
      if (payment.status !== "succeeded") throw new Error(`test provider: ${id} has not succeeded`);
      refunded.add(id);
    },
    async verifyEvent(rawBody, header) {
      const problem = webhookSignatureProblem(webhookSecret, rawBody, header);
      if (problem) throw new InvalidSignatureError(problem);
      const parsed = JSON.parse(rawBody) as { id: string; type: string; data?: { paymentId?: unknown } };
      const paymentId = parsed.data?.paymentId;
      const kind =
        parsed.type === "payment.succeeded"
          ? "payment_succeeded"
          : parsed.type === "payment.failed"
            ? "payment_failed"
            : undefined;
      if (!kind || typeof paymentId !== "string") return { id: parsed.id, type: parsed.type, kind: "other" };
      // A signed event is this provider's word, wherever it was sent from: its record agrees.
      const known = payments.get(paymentId);
      if (known?.status === "pending" && kind === "payment_succeeded") known.status = "succeeded";
      return { id: parsed.id, type: parsed.type, kind, paymentId } satisfies ProviderEvent;
    },
    pay(paymentId, outcome) {
      const payment = find(paymentId);
      if (payment.status === "succeeded" || payment.status === "cancelled")
        throw new Error(`test provider: ${paymentId} is ${payment.status}`);
      // A declined card leaves the payment open to another attempt, as a PaymentIntent stays.
      if (outcome === "succeeded") payment.status = "succeeded";
      const data = { amount: payment.amountCents, reference: payment.reference };
      return [sign(paymentEvent(payment.id, outcome, data))];
    },
    sign,
    failNext(operation) {
      failing.add(operation);
    },
    holdNext(operation) {
      let release = () => {};
      holding.set(operation, new Promise<void>((resolve) => (release = resolve)));
      return () => release();
    },
    refunds: () => [...refunded],
  };
}
