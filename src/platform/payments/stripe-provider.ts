import type Stripe from "stripe";
import {
  InvalidSignatureError,
  type PaymentProvider,
  type ProviderPayment,
  ProviderUnavailableError,
} from "./provider.ts";
import { SIGNATURE_TOLERANCE_SECONDS } from "./standard-webhooks.ts";

export interface StripeOptions {
  secretKey: string;
  webhookSecret: string;
  /** Another API origin than Stripe's (a local stand-in, in tests). */
  apiUrl?: string;
}

/**
 * Stripe PaymentIntents through the official client. Its defaults are not the shop's: an 80 s
 * timeout would hold a checkout request far past any client's patience, so calls time out after
 * 10 s and retry twice (with Stripe's idempotency keys, so a retry never charges twice).
 */
export function stripeProvider(options: StripeOptions): PaymentProvider {
  const api = options.apiUrl ? new URL(options.apiUrl) : undefined;
  // Loaded on first use: the package is large, and a shop on the test provider never needs it.
  let client: Promise<Stripe> | undefined;
  const stripeClient = () => {
    client ??= import("stripe").then(
      ({ default: StripeClient }) =>
        new StripeClient(options.secretKey, {
          timeout: 10_000,
          maxNetworkRetries: 2,
          telemetry: false,
          ...(api
            ? {
                host: api.hostname,
                port: api.port || (api.protocol === "https:" ? 443 : 80),
                protocol: api.protocol === "https:" ? ("https" as const) : ("http" as const),
              }
            : {}),
        }),
    );
    return client;
  };
  const call = async <T>(request: () => Promise<T>): Promise<T> => {
    try {
      return await request();
    } catch (error) {
      throw new ProviderUnavailableError("Stripe did not answer", { cause: error });
    }
  };
  return {
    name: "stripe",
    async createPayment({ amountCents, currency, reference, idempotencyKey }) {
      const stripe = await stripeClient();
      const intent = await call(() =>
        stripe.paymentIntents.create(
          {
            amount: amountCents,
            currency,
            automatic_payment_methods: { enabled: true },
            metadata: { checkoutId: reference },
          },
          { idempotencyKey },
        ),
      );
      return paymentOf(intent);
    },
    async retrievePayment(id) {
      const stripe = await stripeClient();
      return paymentOf(await call(() => stripe.paymentIntents.retrieve(id)));
    },
    async cancelPayment(id) {
      const stripe = await stripeClient();
      await call(() => stripe.paymentIntents.cancel(id));
    },
    async refundPayment(id, idempotencyKey) {
      const stripe = await stripeClient();
      await call(() => stripe.refunds.create({ payment_intent: id }, { idempotencyKey }));
    },
    async verifyEvent(rawBody, header) {
      const signature = header("stripe-signature");
      if (!signature) throw new InvalidSignatureError("the Stripe-Signature header is missing");
      const stripe = await stripeClient();
      let event: Stripe.Event;
      try {
        event = await stripe.webhooks.constructEventAsync(
          rawBody,
          signature,
          options.webhookSecret,
          SIGNATURE_TOLERANCE_SECONDS,
        );
      } catch (error) {
        throw new InvalidSignatureError(error instanceof Error ? error.message : "Stripe refused it");
      }
      if (event.type === "payment_intent.succeeded" || event.type === "payment_intent.payment_failed") {
        return {
          id: event.id,
          type: event.type,
          kind: event.type === "payment_intent.succeeded" ? "payment_succeeded" : "payment_failed",
          paymentId: event.data.object.id,
        };
      }
      return { id: event.id, type: event.type, kind: "other" };
    },
  };
}

function paymentOf(intent: Stripe.PaymentIntent): ProviderPayment {
  const status =
    intent.status === "succeeded"
      ? "succeeded"
      : intent.status === "canceled"
        ? "cancelled"
        : intent.status === "requires_payment_method" && intent.last_payment_error
          ? "failed"
          : "pending";
  return { id: intent.id, clientSecret: intent.client_secret ?? "", status, amountCents: intent.amount };
}
