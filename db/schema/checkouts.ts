import { sql } from "drizzle-orm";
import {
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
import { products } from "./products.ts";

export interface ShippingAddress {
  name: string;
  line1: string;
  line2?: string;
  postalCode: string;
  city: string;
  country: string;
  phone?: string;
}

export const checkoutStatuses = ["open", "expired", "cancelled", "completed"] as const;
export type CheckoutStatus = (typeof checkoutStatuses)[number];

/**
 * A checkout in progress. While it is open, its lines hold stock: the units were taken from the
 * product's stock when it started (a ledger line each), and go back if it expires or is replaced.
 */
export const checkouts = pgTable(
  "checkouts",
  {
    id: text().primaryKey(),
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    guestTokenHash: text("guest_token_hash"),
    status: text().$type<CheckoutStatus>().notNull().default("open"),
    email: text(),
    shippingAddress: jsonb("shipping_address").$type<ShippingAddress>(),
    shippingMethod: text("shipping_method"),
    shippingCents: integer("shipping_cents"),
    // The rate of the moment the checkout started: a change of configuration does not move a total.
    taxRateBasisPoints: integer("tax_rate_basis_points").notNull().default(0),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check("checkouts_one_owner_check", sql`(${table.userId} is null) <> (${table.guestTokenHash} is null)`),
    check("checkouts_status_check", sql`${table.status} in ('open', 'expired', 'cancelled', 'completed')`),
    // One open checkout per owner: starting another replaces it.
    uniqueIndex("checkouts_open_user_key").on(table.userId).where(sql`${table.status} = 'open'`),
    uniqueIndex("checkouts_open_guest_key").on(table.guestTokenHash).where(sql`${table.status} = 'open'`),
    // What the sweeper looks for: open checkouts past their time.
    index("checkouts_open_expires_at_idx").on(table.expiresAt).where(sql`${table.status} = 'open'`),
  ],
);

/** A line of a checkout: the units it holds and the unit price it will charge. */
export const checkoutLines = pgTable(
  "checkout_lines",
  {
    checkoutId: text("checkout_id")
      .notNull()
      .references(() => checkouts.id, { onDelete: "cascade" }),
    productId: integer("product_id")
      .notNull()
      .references(() => products.id),
    quantity: integer().notNull(),
    unitPriceCents: integer("unit_price_cents").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.checkoutId, table.productId] }),
    check("checkout_lines_quantity_check", sql`${table.quantity} between 1 and 99`),
  ],
);
