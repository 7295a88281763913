import { eq } from "drizzle-orm";
import { payments } from "../../../db/schema/index.ts";
import type { Db } from "../../platform/db.ts";
import type { PaymentProvider } from "../../platform/payments/provider.ts";

/** The outbox kind that gives a payment's money back through its provider. */
export const REFUND_JOB = "payment.refund";

/**
 * Runs a refund the shop decided on (the row already says `refunded`). The provider's
 * idempotency key is the payment's own, so a retry after a lost answer never refunds twice.
 */
export function refundJob(db: Db, provider: PaymentProvider) {
  return async (payload: unknown): Promise<void> => {
    const { paymentId } = payload as { paymentId: string };
    const [payment] = await db
      .select({ providerPaymentId: payments.providerPaymentId, provider: payments.provider })
      .from(payments)
      .where(eq(payments.id, paymentId));
    if (!payment) throw new Error(`refund: no payment ${paymentId}`);
    if (payment.provider !== provider.name)
      throw new Error(`refund: payment ${paymentId} was made with ${payment.provider}, not ${provider.name}`);
    await provider.refundPayment(payment.providerPaymentId, `refund_${paymentId}`);
  };
}
