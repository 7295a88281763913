import type { OrderStatus, ShippingAddress } from "../../../db/schema/index.ts";
import { CART_CURRENCY } from "../cart/view.ts";
import { allowedTransitions } from "./status.ts";

interface Amount {
  amount: number;
  currency: "EUR";
}

export interface OrderRecord {
  id: string;
  status: OrderStatus;
  checkoutId: string;
  email: string;
  shippingAddress: ShippingAddress;
  shippingMethod: string;
  subtotalCents: number;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
  userId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface OrderLineRecord {
  productId: number;
  slug: string;
  name: string;
  quantity: number;
  unitPriceCents: number;
}

export interface OrderHistoryRecord {
  fromStatus: OrderStatus | null;
  toStatus: OrderStatus;
  actor: "customer" | "admin" | "system";
  actorId: string | null;
  note: string | null;
  at: Date;
}

const euros = (amount: number): Amount => ({ amount, currency: CART_CURRENCY });

export function orderView(order: OrderRecord, lines: OrderLineRecord[], history: OrderHistoryRecord[]) {
  return {
    id: order.id,
    status: order.status,
    checkoutId: order.checkoutId,
    lines: lines.map((line) => ({
      productId: line.productId,
      slug: line.slug,
      name: line.name,
      quantity: line.quantity,
      unitPrice: euros(line.unitPriceCents),
      lineTotal: euros(line.unitPriceCents * line.quantity),
    })),
    itemCount: lines.reduce((sum, line) => sum + line.quantity, 0),
    email: order.email,
    shippingAddress: order.shippingAddress,
    shippingMethod: order.shippingMethod,
    subtotal: euros(order.subtotalCents),
    shipping: euros(order.shippingCents),
    tax: euros(order.taxCents),
    total: euros(order.totalCents),
    allowedTransitions: allowedTransitions(order.status),
    history: history.map((entry) => ({
      ...(entry.fromStatus === null ? {} : { from: entry.fromStatus }),
      to: entry.toStatus,
      actor: entry.actor,
      actorId: entry.actorId,
      note: entry.note,
      at: entry.at.toISOString(),
    })),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

export type OrderView = ReturnType<typeof orderView>;

export function orderSummary(order: OrderRecord & { itemCount: number }) {
  return {
    id: order.id,
    status: order.status,
    itemCount: order.itemCount,
    total: euros(order.totalCents),
    email: order.email,
    customerId: order.userId,
    createdAt: order.createdAt.toISOString(),
  };
}
