import { sql } from "drizzle-orm";
import { check, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { checkouts } from "./checkouts.ts";

export const paymentStatuses = ["pending", "succeeded", "failed", "cancelled", "refunded"] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

/**
 * A payment for a checkout at a payment provider (its PaymentIntent). The provider is the
 * authority on whether money moved; this row is what the shop has learnt of it.
 */
export const payments = pgTable(
  "payments",
  {
    id: text().primaryKey(),
    checkoutId: text("checkout_id")
      .notNull()
      .references(() => checkouts.id),
    provider: text().notNull(),
    providerPaymentId: text("provider_payment_id").notNull(),
    amountCents: integer("amount_cents").notNull(),
    currency: text().notNull(),
    status: text().$type<PaymentStatus>().notNull().default("pending"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("payments_provider_payment_key").on(table.provider, table.providerPaymentId),
    // One live payment per checkout: a new one replaces a pending one, and one that succeeded stays.
    uniqueIndex("payments_live_checkout_key")
      .on(table.checkoutId)
      .where(sql`${table.status} in ('pending', 'succeeded')`),
    check(
      "payments_status_check",
      sql`${table.status} in ('pending', 'succeeded', 'failed', 'cancelled', 'refunded')`,
    ),
    check("payments_amount_check", sql`${table.amountCents} > 0`),
  ],
);

/** The provider's events already handled: a provider may send one twice. */
export const paymentEvents = pgTable(
  "payment_events",
  {
    provider: text().notNull(),
    eventId: text("event_id").notNull(),
    type: text().notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.provider, table.eventId] })],
);
