import { eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { users } from "../../../db/schema/index.ts";
import type {
  BackupCodes,
  PasswordChange,
  PasswordReset,
  TwoFactorSetup,
  User,
} from "../../../generated/server";
import type { Caller } from "../../platform/auth/caller";
import { DomainError } from "../errors";
import { translated } from "./failures";
import { ACCOUNT_JOB_KINDS } from "./jobs";
import { type AccountsDeps, type Answer, findUser, toUser } from "./sessions";

export async function sendVerificationEmail(deps: AccountsDeps, caller: Caller): Promise<void> {
  const user = await findUser(deps, caller.userId);
  if (user.emailVerified) return;
  await translated(() => deps.gateway.sendVerificationEmail(caller, user.email));
}

/** Verifying twice is not an error: the second time the account is simply already verified. */
export async function verifyEmail(deps: AccountsDeps, token: string): Promise<User> {
  await translated(() => deps.gateway.verifyEmail(token));
  // Better-Auth has checked the token's signature and expiry; its claims name the address.
  const { email } = decodeJwt(token);
  const [user] =
    typeof email === "string" ? await deps.db.select().from(users).where(eq(users.email, email)) : [];
  if (!user) throw new DomainError("invalid_token", "The link is invalid or has expired; ask for a new one");
  return toUser(user);
}

/**
 * Answers after one write, the same in content and in time whether or not the address has an
 * account: nothing is looked up before the answer. The mail follows (`mailPasswordReset`).
 */
export async function requestPasswordReset(deps: AccountsDeps, email: string): Promise<void> {
  await deps.later({ kind: ACCOUNT_JOB_KINDS.passwordResetMail, email });
}

/** After the answer: for an account, a new reset token (ending its others) and the mail with it. */
export async function mailPasswordReset(deps: AccountsDeps, email: string): Promise<void> {
  await translated(() => deps.gateway.requestPasswordReset(email));
}

/** Every session of the account ends, and with them their access tokens; so do its other reset tokens. */
export async function resetPassword(deps: AccountsDeps, input: PasswordReset): Promise<void> {
  await translated(() => deps.gateway.resetPassword(input.token, input.newPassword));
}

/** The caller's other sessions end; this one goes on. */
export async function changePassword(
  deps: AccountsDeps,
  caller: Caller,
  input: PasswordChange,
): Promise<void> {
  await translated(() => deps.gateway.changePassword(caller, input.currentPassword, input.newPassword));
}

export async function enableTwoFactor(
  deps: AccountsDeps,
  caller: Caller,
  password: string,
): Promise<TwoFactorSetup> {
  return translated(() => deps.gateway.enableTwoFactor(caller, password));
}

/**
 * Better-Auth renews the session on this change (the caller's ends, another opens): the new
 * session goes back to the caller. A Bearer-only caller has to sign in again.
 */
export async function disableTwoFactor(
  deps: AccountsDeps,
  caller: Caller,
  password: string,
): Promise<Answer<null>> {
  return { value: null, changes: await translated(() => deps.gateway.disableTwoFactor(caller, password)) };
}

export async function regenerateBackupCodes(
  deps: AccountsDeps,
  caller: Caller,
  password: string,
): Promise<BackupCodes> {
  return { backupCodes: await translated(() => deps.gateway.generateBackupCodes(caller, password)) };
}

/**
 * Answers after one write, the same in content and in time whether or not the address has an
 * account (no sign-up through codes). The mail follows (`mailSignInCode`).
 */
export async function sendSignInCode(deps: AccountsDeps, email: string): Promise<void> {
  await deps.later({ kind: ACCOUNT_JOB_KINDS.signInCodeMail, email });
}

/** After the answer: for an account, a new sign-in code and the mail with it. */
export async function mailSignInCode(deps: AccountsDeps, email: string): Promise<void> {
  await translated(() => deps.gateway.sendSignInCode(email));
}
