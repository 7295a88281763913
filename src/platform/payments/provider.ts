export type PaymentProviderName = "test" | "stripe";

/** A payment as the provider sees it. */
export interface ProviderPayment {
  /** The provider's id (a Stripe PaymentIntent's `pi_...`). */
  id: string;
  /** What the provider's client library needs to let the customer pay. */
  clientSecret: string;
  status: "pending" | "succeeded" | "failed" | "cancelled";
  amountCents: number;
}

/** A provider's event, verified, in the shop's terms. */
export type ProviderEvent =
  | { id: string; type: string; kind: "payment_succeeded" | "payment_failed"; paymentId: string }
  /** An event the shop has no use for: acknowledged and dropped. */
  | { id: string; type: string; kind: "other" };

/**
 * What the shop needs of a payment provider. Calls that move money take an idempotency key the
 * provider honours, so that a retry after a lost answer never charges or refunds twice.
 */
export interface PaymentProvider {
  readonly name: PaymentProviderName;
  createPayment(request: {
    amountCents: number;
    currency: string;
    /** The checkout it pays for, kept by the provider as metadata. */
    reference: string;
    idempotencyKey: string;
  }): Promise<ProviderPayment>;
  retrievePayment(id: string): Promise<ProviderPayment>;
  cancelPayment(id: string): Promise<void>;
  refundPayment(id: string, idempotencyKey: string): Promise<void>;
  /**
   * The event in a webhook's body, once its signature (over these exact bytes) is found good and
   * recent; an `InvalidSignatureError` otherwise.
   */
  verifyEvent(rawBody: string, header: (name: string) => string | undefined): Promise<ProviderEvent>;
}

/** The event's signature does not vouch for its body: forged, altered, or too old. */
export class InvalidSignatureError extends Error {
  override name = "InvalidSignatureError";
}

/** The provider could not be reached, or failed; the same call may succeed later. */
export class ProviderUnavailableError extends Error {
  override name = "ProviderUnavailableError";
}
