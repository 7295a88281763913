import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { products } from "./products.ts";

export const stockReasons = ["initial", "restock", "correction", "damaged", "lost", "returned"] as const;
/** Movements a checkout makes: units held while it is open, and given back when it ends unpaid. */
export const reservationReasons = ["reserved", "released"] as const;
export const ledgerReasons = [...stockReasons, ...reservationReasons] as const;
export type LedgerReason = (typeof ledgerReasons)[number];
export type StockReason = (typeof stockReasons)[number];

/**
 * Every change to a product's stock, written in the same transaction as the change, so the
 * ledger always adds up to the stock level.
 */
export const inventoryLedger = pgTable(
  "inventory_ledger",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    productId: integer("product_id")
      .notNull()
      .references(() => products.id),
    delta: integer().notNull(),
    reason: text().$type<LedgerReason>().notNull(),
    note: text(),
    stockAfter: integer("stock_after").notNull(),
    // No foreign key: the ledger outlives the accounts of staff who leave.
    actorId: text("actor_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("inventory_ledger_product_id_id_idx").on(table.productId, table.id),
    check(
      "inventory_ledger_reason_check",
      sql`${table.reason} in ('initial', 'restock', 'correction', 'damaged', 'lost', 'returned', 'reserved', 'released')`,
    ),
    check("inventory_ledger_stock_after_check", sql`${table.stockAfter} >= 0`),
  ],
);

export type InventoryEntryRow = typeof inventoryLedger.$inferSelect;
