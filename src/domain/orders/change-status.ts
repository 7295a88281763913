import { asc, eq, sql } from "drizzle-orm";
import { type OrderStatus, orderHistory, orderLines, orders, payments } from "../../../db/schema/index.ts";
import type { Db } from "../../platform/db.ts";
import { enqueueJob } from "../../platform/outbox/index.ts";
import { returnUnits } from "../catalog/stock-moves.ts";
import { DomainError } from "../errors.ts";
import { REFUND_JOB } from "../payments/refunds.ts";
import type { OrderMailKind } from "./mail.ts";
import { loadOrder, missingOrder, queueOrderMail } from "./orders.ts";
import { allowedTransitions, notYetShipped } from "./status.ts";
import type { OrderView } from "./view.ts";

export interface StatusChange {
  status: OrderStatus;
  note?: string;
}

const MAILS: Partial<Record<OrderStatus, OrderMailKind>> = {
  shipped: "shipped",
  delivered: "delivered",
  cancelled: "cancelled",
  refunded: "refunded",
};

/**
 * Moves an order along its state machine, in one transaction with everything the move implies:
 * units of an order that has not shipped go back to stock when it is cancelled or refunded, a
 * payment that took money is refunded through the provider (by an outbox job, so an unreachable
 * provider delays the refund but never loses it), the customer's mail joins the outbox, and the
 * history records who and when. A move the status does not allow is 409 with the allowed ones.
 */
export async function changeOrderStatus(
  db: Db,
  orderId: string,
  change: StatusChange,
  actor: { id: string; role: "admin" | "customer" },
): Promise<OrderView> {
  return db.transaction(async (tx) => {
    const [order] = await tx
      .select({ status: orders.status, paymentId: orders.paymentId })
      .from(orders)
      .where(eq(orders.id, orderId))
      .for("update");
    if (!order) throw missingOrder();
    const allowed = allowedTransitions(order.status);
    if (!allowed.includes(change.status)) {
      throw new DomainError(
        "invalid_transition",
        `An order that is ${order.status} cannot become ${change.status}`,
        { currentStatus: order.status, allowedTransitions: allowed },
      );
    }
    const ending = change.status === "cancelled" || change.status === "refunded";
    if (ending && notYetShipped(order.status)) {
      const lines = await tx
        .select({ productId: orderLines.productId, quantity: orderLines.quantity })
        .from(orderLines)
        .where(eq(orderLines.orderId, orderId))
        .orderBy(asc(orderLines.productId));
      for (const line of lines) {
        const note = `order ${orderId} ${change.status}`;
        await returnUnits(tx, { ...line, reason: "released", note, actorId: actor.id });
      }
    }
    if (ending && order.paymentId) {
      const refunded = await tx
        .update(payments)
        .set({ status: "refunded", updatedAt: sql`now()` })
        .where(sql`${payments.id} = ${order.paymentId} and ${payments.status} = 'succeeded'`)
        .returning({ id: payments.id });
      if (refunded.length > 0) await enqueueJob(tx, REFUND_JOB, { paymentId: order.paymentId });
    }
    await tx
      .update(orders)
      .set({ status: change.status, updatedAt: sql`now()` })
      .where(eq(orders.id, orderId));
    await tx.insert(orderHistory).values({
      orderId,
      fromStatus: order.status,
      toStatus: change.status,
      actor: actor.role,
      actorId: actor.id,
      note: change.note ?? null,
    });
    const view = await loadOrder(tx, orderId);
    const mail = MAILS[change.status];
    if (mail) await queueOrderMail(tx, mail, view, change.note);
    return view;
  });
}
