import { and, asc, desc, eq, gte, lt, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import {
  cartLines,
  carts,
  checkouts,
  type OrderStatus,
  orderHistory,
  orderLines,
  orders,
} from "../../../db/schema/index.ts";
import type { Db, Tx } from "../../platform/db.ts";
import { enqueueEmail } from "../../platform/outbox/index.ts";
import { cartOwnedBy } from "../cart/cart.ts";
import type { CartOwner } from "../cart/owner.ts";
import { checkoutLinesOf } from "../checkout/checkout.ts";
import { checkoutView } from "../checkout/view.ts";
import { DomainError } from "../errors.ts";
import { unguessableId } from "../ids.ts";
import type { CursorCodec } from "../pagination/signed-cursor.ts";
import { type OrderMailKind, orderMail } from "./mail.ts";
import { type OrderView, orderSummary, orderView } from "./view.ts";

export interface OrdersDeps {
  db: Db;
  cursors: CursorCodec;
}

/** Who reads: a customer or guest sees their own orders; staff see every order. */
export type OrderReader = { owner?: CartOwner; staff: boolean };

export const missingOrder = () => new DomainError("not_found", "There is no such order");

/** Not guessable, not countable: 128 random bits. */
const newOrderId = () => unguessableId("ord");

export const orderOwnedBy = (owner: CartOwner): SQL =>
  owner.kind === "customer" ? eq(orders.userId, owner.userId) : eq(orders.guestTokenHash, owner.tokenHash);

/**
 * Turns a checkout that a payment paid into its order, inside the caller's transaction (which
 * holds the checkout's and the payment's rows): the lines, address and totals are copied, the
 * checkout completes, the owner's cart empties, and the confirmation and payment mails join the
 * outbox in the same commit. The units the checkout held are the order's now: stock does not move.
 */
export async function placeOrder(tx: Tx, checkoutId: string, paymentId: string): Promise<string> {
  const [checkout] = await tx.select().from(checkouts).where(eq(checkouts.id, checkoutId));
  if (!checkout?.email || !checkout.shippingAddress || !checkout.shippingMethod)
    throw new Error(`checkout ${checkoutId} is not ready to become an order`);
  const lines = await checkoutLinesOf(tx, checkoutId);
  const totals = checkoutView(checkout, lines, []);
  const id = newOrderId();
  await tx.insert(orders).values({
    id,
    checkoutId,
    paymentId,
    userId: checkout.userId,
    guestTokenHash: checkout.guestTokenHash,
    email: checkout.email,
    shippingAddress: checkout.shippingAddress,
    shippingMethod: checkout.shippingMethod,
    subtotalCents: totals.subtotal.amount,
    shippingCents: totals.shipping?.amount ?? 0,
    taxCents: totals.tax.amount,
    totalCents: totals.total.amount,
    currency: totals.total.currency,
    status: "paid",
  });
  await tx.insert(orderLines).values(lines.map((line) => ({ orderId: id, ...line })));
  await tx
    .insert(orderHistory)
    .values({ orderId: id, toStatus: "paid", actor: "system", note: "Payment received" });
  await tx
    .update(checkouts)
    .set({ status: "completed", updatedAt: sql`now()` })
    .where(eq(checkouts.id, checkoutId));
  const owner: CartOwner = checkout.userId
    ? { kind: "customer", userId: checkout.userId }
    : { kind: "guest", tokenHash: checkout.guestTokenHash ?? "" };
  const [cart] = await tx.select({ id: carts.id }).from(carts).where(cartOwnedBy(owner));
  if (cart) await tx.delete(cartLines).where(eq(cartLines.cartId, cart.id));
  const order = await loadOrder(tx, id);
  await queueOrderMail(tx, "confirmation", order);
  await queueOrderMail(tx, "payment_received", order);
  return id;
}

/** The order made of a checkout, if any. */
export async function orderOfCheckout(db: Db | Tx, checkoutId: string): Promise<string | undefined> {
  const [order] = await db.select({ id: orders.id }).from(orders).where(eq(orders.checkoutId, checkoutId));
  return order?.id;
}

export async function getOrder(db: Db | Tx, reader: OrderReader, id: string): Promise<OrderView> {
  const visible = reader.staff ? undefined : reader.owner ? orderOwnedBy(reader.owner) : sql`false`;
  const [found] = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.id, id), visible));
  if (!found) throw missingOrder();
  return loadOrder(db, id);
}

export async function loadOrder(db: Db | Tx, id: string): Promise<OrderView> {
  const [order] = await db.select().from(orders).where(eq(orders.id, id));
  if (!order) throw missingOrder();
  const lines = await db
    .select({
      productId: orderLines.productId,
      slug: orderLines.slug,
      name: orderLines.name,
      quantity: orderLines.quantity,
      unitPriceCents: orderLines.unitPriceCents,
    })
    .from(orderLines)
    .where(eq(orderLines.orderId, id))
    .orderBy(asc(orderLines.productId));
  const history = await db
    .select()
    .from(orderHistory)
    .where(eq(orderHistory.orderId, id))
    .orderBy(asc(orderHistory.id));
  return orderView(order, lines, history);
}

export interface OrderFilters {
  status?: OrderStatus;
  from?: string;
  to?: string;
  customerId?: string;
}

const Position = z.strictObject({ f: z.string(), at: z.string(), id: z.string() });

/**
 * Orders newest first, a page at a time. The cursor carries the listing it belongs to, so one
 * taken from another customer's or another filter's list is refused.
 */
export async function listOrders(
  deps: OrdersDeps,
  scope: { owner: CartOwner } | { filters: OrderFilters },
  page: { limit: number; cursor?: string },
) {
  const listing = JSON.stringify("owner" in scope ? scope.owner : scope.filters);
  const after = page.cursor ? deps.cursors.decode(page.cursor, Position) : undefined;
  if (after && after.f !== listing)
    throw new DomainError("invalid_cursor", "The cursor belongs to another list of orders");
  const where =
    "owner" in scope
      ? orderOwnedBy(scope.owner)
      : and(
          scope.filters.status ? eq(orders.status, scope.filters.status) : undefined,
          scope.filters.from ? gte(orders.createdAt, new Date(scope.filters.from)) : undefined,
          scope.filters.to ? lt(orders.createdAt, new Date(scope.filters.to)) : undefined,
          scope.filters.customerId ? eq(orders.userId, scope.filters.customerId) : undefined,
        );
  const position = after
    ? or(
        lt(orders.createdAt, new Date(after.at)),
        and(eq(orders.createdAt, new Date(after.at)), lt(orders.id, after.id)),
      )
    : undefined;
  const rows = await deps.db
    .select({
      order: orders,
      itemCount: sql<number>`(select coalesce(sum(${orderLines.quantity}), 0)::int from ${orderLines} where ${orderLines.orderId} = ${orders.id})`,
    })
    .from(orders)
    .where(and(where, position))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(page.limit + 1);
  const data = rows
    .slice(0, page.limit)
    .map((row) => orderSummary({ ...row.order, itemCount: row.itemCount }));
  const last = rows[page.limit - 1]?.order;
  return {
    data,
    nextCursor:
      rows.length > page.limit && last
        ? deps.cursors.encode({ f: listing, at: last.createdAt.toISOString(), id: last.id })
        : null,
  };
}

export async function queueOrderMail(
  tx: Tx,
  kind: OrderMailKind,
  order: OrderView,
  note?: string | null,
): Promise<void> {
  await enqueueEmail(tx, orderMail(kind, order, note));
}
