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
import { type AccountsDeps, findUser, sessionHeaders, toUser, type WithCookies } from "./sessions";

export async function sendVerificationEmail(deps: AccountsDeps, caller: Caller): Promise<void> {
  const user = await findUser(deps, caller.userId);
  if (user.emailVerified) return;
  const headers = await sessionHeaders(deps, caller);
  await translated(() => deps.auth.api.sendVerificationEmail({ body: { email: user.email }, headers }));
}

/** Verifying twice is not an error: the second time the account is simply already verified. */
export async function verifyEmail(deps: AccountsDeps, token: string): Promise<User> {
  await translated(() => deps.auth.api.verifyEmail({ query: { token } }));
  // Better-Auth has checked the token's signature and expiry; its claims name the address.
  const { email } = decodeJwt(token);
  const [user] =
    typeof email === "string" ? await deps.db.select().from(users).where(eq(users.email, email)) : [];
  if (!user) throw new DomainError("invalid_token", "The link is invalid or has expired; ask for a new one");
  return toUser(user);
}

/** Answers the same whether or not the address has an account. */
export async function requestPasswordReset(deps: AccountsDeps, email: string): Promise<void> {
  await translated(() => deps.auth.api.requestPasswordReset({ body: { email } }));
}

/** Every session of the account ends, and with them their access tokens. */
export async function resetPassword(deps: AccountsDeps, input: PasswordReset): Promise<void> {
  await translated(() =>
    deps.auth.api.resetPassword({ body: { token: input.token, newPassword: input.newPassword } }),
  );
}

/** The caller's other sessions end; this one goes on. */
export async function changePassword(
  deps: AccountsDeps,
  caller: Caller,
  input: PasswordChange,
): Promise<void> {
  const headers = await sessionHeaders(deps, caller);
  // Not Better-Auth's `revokeOtherSessions: true`: that ends every session, the caller's too, and
  // opens a new one whose cookie a Bearer caller never gets.
  await translated(() =>
    deps.auth.api.changePassword({
      body: {
        currentPassword: input.currentPassword,
        newPassword: input.newPassword,
        revokeOtherSessions: false,
      },
      headers,
    }),
  );
  await translated(() => deps.auth.api.revokeOtherSessions({ headers }));
}

export async function enableTwoFactor(
  deps: AccountsDeps,
  caller: Caller,
  password: string,
): Promise<TwoFactorSetup> {
  const headers = await sessionHeaders(deps, caller);
  const setup = await translated(() => deps.auth.api.enableTwoFactor({ body: { password }, headers }));
  if (setup.method !== "totp") throw new Error("two-factor setup did not create a TOTP secret");
  return { totpUri: setup.totpURI, backupCodes: setup.backupCodes };
}

/**
 * Better-Auth renews the session on this change (the caller's ends, another opens): the new
 * session's cookie goes back to the caller. A Bearer-only caller has to sign in again.
 */
export async function disableTwoFactor(
  deps: AccountsDeps,
  caller: Caller,
  password: string,
): Promise<WithCookies<null>> {
  const headers = await sessionHeaders(deps, caller);
  const result = await translated(() =>
    deps.auth.api.disableTwoFactor({ body: { password }, headers, returnHeaders: true }),
  );
  return { value: null, cookies: result.headers.getSetCookie() };
}

export async function regenerateBackupCodes(
  deps: AccountsDeps,
  caller: Caller,
  password: string,
): Promise<BackupCodes> {
  const headers = await sessionHeaders(deps, caller);
  const { backupCodes } = await translated(() =>
    deps.auth.api.generateBackupCodes({ body: { password }, headers }),
  );
  return { backupCodes };
}

/** Answers the same whether or not the address has an account (no sign-up through codes). */
export async function sendSignInCode(deps: AccountsDeps, email: string): Promise<void> {
  await translated(() => deps.auth.api.sendVerificationOTP({ body: { email, type: "sign-in" } }));
}
