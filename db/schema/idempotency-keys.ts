import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

export type IdempotencyStatus = "running" | "done";

/**
 * The first answer to each `Idempotency-Key`, per caller, for 24 hours: a retry with the same key
 * and the same request gets it back instead of running the operation again. A row is `running`
 * while its first request is in flight; its lease lets a retry take over from a process that died.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    // Whose key: a key is the client's choice, so one caller's key never answers another.
    scope: text().notNull(),
    key: text().notNull(),
    operationId: text("operation_id").notNull(),
    // SHA-256 of the operation, path and body: the same key with another request is refused.
    fingerprint: text().notNull(),
    status: text().$type<IdempotencyStatus>().notNull().default("running"),
    responseStatus: integer("response_status"),
    responseHeaders: jsonb("response_headers").$type<Record<string, string>>(),
    responseBody: text("response_body"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.scope, table.key] }),
    check("idempotency_keys_status_check", sql`${table.status} in ('running', 'done')`),
    index("idempotency_keys_created_at_idx").on(table.createdAt),
  ],
);
