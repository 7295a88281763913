import type { OrderStatus } from "../../../db/schema/index.ts";

/**
 * Where an order may go from each status. Cancelling is for orders that have not shipped (their
 * units go back to stock); refunding for orders that were paid, shipped or not.
 */
const NEXT: Record<OrderStatus, OrderStatus[]> = {
  pending: ["paid", "cancelled"],
  paid: ["processing", "cancelled", "refunded"],
  processing: ["shipped", "cancelled", "refunded"],
  shipped: ["delivered", "refunded"],
  delivered: ["refunded"],
  cancelled: [],
  refunded: [],
};

export const allowedTransitions = (from: OrderStatus): OrderStatus[] => [...NEXT[from]];

/** Whether the order's units are still the shop's to put back on the shelf. */
export const notYetShipped = (status: OrderStatus): boolean =>
  status === "pending" || status === "paid" || status === "processing";
