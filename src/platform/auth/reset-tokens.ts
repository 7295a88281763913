import { and, eq, gt, inArray, like, ne, type SQLWrapper, sql } from "drizzle-orm";
import { verifications } from "../../../db/schema/index.ts";
import type { Db } from "../db";

/** Better-Auth keeps a reset token as a verification row `reset-password:<token>` → user id. */
const PREFIX = "reset-password:";
const identifierOf = (token: string) => `${PREFIX}${token}`;
const isResetToken = like(verifications.identifier, `${PREFIX}%`);

/**
 * An account's outstanding password-reset tokens form one family: issuing one or using one ends
 * all the others, so only the newest link mailed works, and only once.
 */
export interface ResetTokens {
  /** After `token` is issued for `userId`: the account's other reset tokens end. */
  issued(userId: string, token: string): Promise<void>;
  /** Before `token` is used: the other tokens of its account end (nothing, if it is unknown or expired). */
  revokeSiblingsOf(token: string): Promise<void>;
  /** After a reset: every reset token of the account ends. */
  used(userId: string): Promise<void>;
}

export function resetTokens(db: Db): ResetTokens {
  /** Every reset token of the account `owner` names, but `token`. */
  const siblingsOf = (token: string, owner: string | SQLWrapper) =>
    db
      .delete(verifications)
      .where(
        and(
          isResetToken,
          typeof owner === "string" ? eq(verifications.value, owner) : inArray(verifications.value, owner),
          ne(verifications.identifier, identifierOf(token)),
        ),
      );
  return {
    async issued(userId, token) {
      await siblingsOf(token, userId);
    },
    async revokeSiblingsOf(token) {
      const owner = db
        .select({ userId: verifications.value })
        .from(verifications)
        .where(
          and(eq(verifications.identifier, identifierOf(token)), gt(verifications.expiresAt, sql`now()`)),
        );
      await siblingsOf(token, owner);
    },
    async used(userId) {
      await db.delete(verifications).where(and(isResetToken, eq(verifications.value, userId)));
    },
  };
}
