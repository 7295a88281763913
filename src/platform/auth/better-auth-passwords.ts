import { defineRequestState, hasRequestState } from "@better-auth/core/context";
import { createAuthMiddleware } from "better-auth/api";
import { and, eq } from "drizzle-orm";
import { accounts } from "../../../db/schema/index.ts";
import type { Db } from "../db";
import { type HashingQueue, HashingQueueFull } from "./hashing-queue";
import { createPasswordHashing, OWASP_ARGON2ID, type PasswordHashing } from "./password-hashing";

/**
 * The password settings of the shop's Better-Auth: argon2id at OWASP's minimum through `queue`,
 * Better-Auth's old scrypt hashes still accepted and replaced once their password is verified.
 */
export function passwordSettings(options: {
  db: Db;
  queue: HashingQueue;
  onUpgradeError(error: unknown): void;
}) {
  const hashing = createPasswordHashing(options.queue, OWASP_ARGON2ID);
  return {
    password: betterAuthPasswords(hashing),
    afterEveryOperation: upgradeVerifiedHashes({ hashing, db: options.db, onError: options.onUpgradeError }),
  };
}

interface VerifiedOutdated {
  stored: string;
  password: string;
}

/** Outdated hashes that a password matched during the current Better-Auth call. */
const verifiedOutdated = defineRequestState<VerifiedOutdated[]>(() => []);

/**
 * Better-Auth's `emailAndPassword.password` on the shop's hashing. A verification that matches an
 * outdated hash (Better-Auth's old scrypt) is noted for `upgradeVerifiedHashes`, which runs once
 * the call is over and knows whose hash it was.
 */
export function betterAuthPasswords(hashing: PasswordHashing) {
  return {
    hash: (password: string) => hashing.hash(password),
    async verify({ hash, password }: { hash: string; password: string }): Promise<boolean> {
      const matches = await hashing.verify(hash, password);
      if (matches && hashing.isOutdated(hash) && (await hasRequestState()))
        (await verifiedOutdated.get()).push({ stored: hash, password });
      return matches;
    },
  };
}

export interface UpgradeSettings {
  hashing: PasswordHashing;
  db: Db;
  /** An upgrade that failed; the old hash stays, and the next verification tries again. */
  onError(error: unknown): void;
}

/**
 * Better-Auth's after-hook for every operation: when the operation verified a password against an
 * outdated hash (a sign-in, two-factor changes, a password change), the account's hash is
 * replaced by a current one. Only that exact hash is replaced, so a password changed meanwhile is
 * never overwritten; and a busy hashing queue only postpones the upgrade to the next time.
 */
export function upgradeVerifiedHashes(settings: UpgradeSettings) {
  return createAuthMiddleware(async (ctx) => {
    if (!(await hasRequestState())) return;
    const verified = await verifiedOutdated.get();
    // The session a sign-in has just opened (still there while a second factor is pending, as
    // this hook runs before the plugins'), or the caller's.
    const userId = ctx.context.newSession?.user.id ?? ctx.context.session?.user.id;
    if (verified.length === 0 || !userId) return;
    for (const { stored, password } of verified.splice(0)) {
      try {
        await replaceHash(settings, userId, stored, password);
      } catch (error) {
        // A busy queue is no failure: the upgrade waits for a quieter sign-in.
        if (!(error instanceof HashingQueueFull)) settings.onError(error);
      }
    }
  });
}

async function replaceHash(settings: UpgradeSettings, userId: string, stored: string, password: string) {
  const credential = and(
    eq(accounts.userId, userId),
    eq(accounts.providerId, "credential"),
    eq(accounts.password, stored),
  );
  // A password changed by this very call (a password change) needs no second hash.
  const [still] = await settings.db.select({ id: accounts.id }).from(accounts).where(credential);
  if (!still) return;
  const replacement = await settings.hashing.hash(password);
  await settings.db.update(accounts).set({ password: replacement, updatedAt: new Date() }).where(credential);
}
