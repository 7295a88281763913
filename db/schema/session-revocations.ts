import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Sessions ended (signed out, password changed or reset, revoked by staff) while access tokens
 * they signed may still be alive. PostgreSQL is the authority, so that a revocation survives a
 * restart and reaches every instance; Redis and each process hold faster copies. A row matters
 * only until `expires_at` (past the longest access-token lifetime), and is deleted after that.
 * There is no foreign key: the session row is gone by the time this one is written.
 */
export const sessionRevocations = pgTable(
  "session_revocations",
  {
    sessionId: text("session_id").primaryKey(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (table) => [
    index("session_revocations_revoked_at_idx").on(table.revokedAt),
    index("session_revocations_expires_at_idx").on(table.expiresAt),
  ],
);
