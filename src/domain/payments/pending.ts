import { and, eq, ne, sql } from "drizzle-orm";
import { payments } from "../../../db/schema/index.ts";
import type { Tx } from "../../platform/db.ts";

/**
 * Cancels a checkout's payments not yet made (all but `except`): the checkout ended, changed its
 * total, or got another payment. One the customer makes anyway is refunded when it is reported.
 * The provider's ids of those cancelled.
 */
export async function cancelPendingPayments(tx: Tx, checkoutId: string, except?: string): Promise<string[]> {
  const cancelled = await tx
    .update(payments)
    .set({ status: "cancelled", updatedAt: sql`now()` })
    .where(
      and(
        eq(payments.checkoutId, checkoutId),
        eq(payments.status, "pending"),
        except === undefined ? undefined : ne(payments.id, except),
      ),
    )
    .returning({ providerPaymentId: payments.providerPaymentId });
  return cancelled.map((payment) => payment.providerPaymentId);
}
