import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { users } from "./auth.ts";
import type { ShippingAddress } from "./checkouts.ts";
import { checkouts } from "./checkouts.ts";
import { payments } from "./payments.ts";
import { products } from "./products.ts";

export const orderStatuses = [
  "pending",
  "paid",
  "processing",
  "shipped",
  "delivered",
  "cancelled",
  "refunded",
] as const;
export type OrderStatus = (typeof orderStatuses)[number];

/**
 * An order: what a paid checkout became. Its lines, address and totals are copies, so that later
 * changes to products or prices never rewrite what a customer bought.
 */
export const orders = pgTable(
  "orders",
  {
    id: text().primaryKey(),
    checkoutId: text("checkout_id")
      .notNull()
      .references(() => checkouts.id),
    paymentId: text("payment_id").references(() => payments.id),
    // An account that is deleted leaves its orders, for the books, without an owner.
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    guestTokenHash: text("guest_token_hash"),
    email: text().notNull(),
    shippingAddress: jsonb("shipping_address").$type<ShippingAddress>().notNull(),
    shippingMethod: text("shipping_method").notNull(),
    subtotalCents: integer("subtotal_cents").notNull(),
    shippingCents: integer("shipping_cents").notNull(),
    taxCents: integer("tax_cents").notNull(),
    totalCents: integer("total_cents").notNull(),
    currency: text().notNull(),
    status: text().$type<OrderStatus>().notNull(),
    // Milliseconds, as a page cursor carries them: a microsecond the cursor lost would skip orders.
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // Exactly one order per checkout, and so per payment: the webhook and the client race to it.
    uniqueIndex("orders_checkout_id_key").on(table.checkoutId),
    uniqueIndex("orders_payment_id_key").on(table.paymentId),
    // A customer's orders, newest first, a page at a time.
    index("orders_user_id_created_at_id_idx").on(table.userId, table.createdAt.desc(), table.id.desc()),
    // Staff's list: by status, by date.
    index("orders_status_created_at_idx").on(table.status, table.createdAt.desc()),
    index("orders_created_at_id_idx").on(table.createdAt.desc(), table.id.desc()),
    check(
      "orders_status_check",
      sql`${table.status} in ('pending', 'paid', 'processing', 'shipped', 'delivered', 'cancelled', 'refunded')`,
    ),
  ],
);

/** A line of an order, with the product's name and price as they were when it was bought. */
export const orderLines = pgTable(
  "order_lines",
  {
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    productId: integer("product_id")
      .notNull()
      .references(() => products.id),
    slug: text().notNull(),
    name: text().notNull(),
    quantity: integer().notNull(),
    unitPriceCents: integer("unit_price_cents").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.orderId, table.productId] }),
    check("order_lines_quantity_check", sql`${table.quantity} >= 1`),
  ],
);

/** Every change of an order's status: from what, to what, by whom, when. */
export const orderHistory = pgTable(
  "order_history",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    fromStatus: text("from_status").$type<OrderStatus>(),
    toStatus: text("to_status").$type<OrderStatus>().notNull(),
    // A member of staff or the customer; null when the shop itself moved it (a payment event).
    actorId: text("actor_id"),
    actor: text().$type<"customer" | "admin" | "system">().notNull(),
    note: text(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("order_history_order_id_id_idx").on(table.orderId, table.id)],
);
