import { and, eq, gt, lt, sql } from "drizzle-orm";
import { sessionRevocations } from "../../../db/schema/index.ts";
import type { Db } from "../db";

/** A revocation still in force, timed by the database's clock (instances' clocks may disagree). */
export interface RevocationInForce {
  sessionId: string;
  /** When it was recorded: where the next incremental read starts. */
  revokedAt: Date;
  secondsLeft: number;
}

/** The revocations table in PostgreSQL, the authority every faster copy is rebuilt from. */
export function revocationRecords(db: Db) {
  const table = sessionRevocations;
  const secondsLeft = sql<number>`greatest(1, ceil(extract(epoch from ${table.expiresAt} - now())))::int`;
  return {
    /** Records the revocation for `forSeconds` from now; a second one for the session can only extend it. */
    async record(sessionId: string, forSeconds: number): Promise<void> {
      const expiresAt = sql`now() + ${forSeconds} * interval '1 second'`;
      await db
        .insert(table)
        .values({ sessionId, expiresAt })
        .onConflictDoUpdate({
          target: table.sessionId,
          set: {
            revokedAt: sql`now()`,
            expiresAt: sql`greatest(${table.expiresAt}, excluded.expires_at)`,
          },
        });
    },

    /** The revocations in force, all of them or those recorded after `since`. */
    async inForce(since?: Date): Promise<RevocationInForce[]> {
      const unexpired = gt(table.expiresAt, sql`now()`);
      return db
        .select({ sessionId: table.sessionId, revokedAt: table.revokedAt, secondsLeft })
        .from(table)
        .where(since ? and(unexpired, gt(table.revokedAt, since)) : unexpired);
    },

    async isRevoked(sessionId: string): Promise<boolean> {
      const rows = await db
        .select({ sessionId: table.sessionId })
        .from(table)
        .where(and(eq(table.sessionId, sessionId), gt(table.expiresAt, sql`now()`)))
        .limit(1);
      return rows.length > 0;
    },

    async deleteExpired(): Promise<void> {
      await db.delete(table).where(lt(table.expiresAt, sql`now()`));
    },
  };
}

export type RevocationRecords = ReturnType<typeof revocationRecords>;
