import { sql } from "drizzle-orm";
import { check, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth.ts";
import { products } from "./products.ts";

/**
 * A shopping cart. Exactly one owner: a customer's account, or a guest known only by the hash of
 * the token in their cart cookie (a copy of the database never yields a usable cookie).
 */
export const carts = pgTable(
  "carts",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    guestTokenHash: text("guest_token_hash"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("carts_user_id_key").on(table.userId),
    uniqueIndex("carts_guest_token_hash_key").on(table.guestTokenHash),
    check("carts_one_owner_check", sql`(${table.userId} is null) <> (${table.guestTokenHash} is null)`),
  ],
);

/** A line of a cart: one product, its quantity, and its unit price when it was added. */
export const cartLines = pgTable(
  "cart_lines",
  {
    cartId: uuid("cart_id")
      .notNull()
      .references(() => carts.id, { onDelete: "cascade" }),
    productId: integer("product_id")
      .notNull()
      .references(() => products.id),
    quantity: integer().notNull(),
    unitPriceCents: integer("unit_price_cents").notNull(),
    currency: text().notNull(),
    addedAt: timestamp("added_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.cartId, table.productId] }),
    check("cart_lines_quantity_check", sql`${table.quantity} between 1 and 99`),
  ],
);
