import { APIError } from "better-auth/api";
import { eq } from "drizzle-orm";
import { sessions } from "../../../db/schema/index.ts";
import type { Db } from "../db";
import type { Caller } from "./caller";
import { type ClientCredentials, type CredentialChanges, changesFrom, headersOf } from "./client-credentials";
import type { Auth } from "./instance";
import type { ResetTokens } from "./reset-tokens";

/** An account as Better-Auth returns it. */
export interface AccountRecord {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
  role?: string | null;
  twoFactorEnabled?: boolean | null;
  createdAt: Date | string;
}

/** A session Better-Auth has just opened: its token, and its account. */
export interface OpenedSession {
  token: string;
  user: AccountRecord;
}

/** A first factor accepted: either a session, or one step short of it (two-factor pending). */
export type FirstFactorOutcome = { session: OpenedSession } | { secondFactorRequired: true };

export interface WithChanges<T> {
  result: T;
  changes: CredentialChanges;
}

/**
 * Better-Auth's server API as the accounts domain uses it, with the HTTP plumbing kept here:
 * calls take the client's credentials (opaque) or the authenticated caller, and return what the
 * client must be sent (opaque). Better-Auth's refusals are thrown as they are (`APIError`).
 */
export interface AccountsGateway {
  register(
    input: { email: string; password: string; name: string },
    client: ClientCredentials,
  ): Promise<WithChanges<OpenedSession>>;
  signInWithPassword(
    input: { email: string; password: string },
    client: ClientCredentials,
  ): Promise<WithChanges<FirstFactorOutcome>>;
  signInWithCode(
    input: { email: string; code: string },
    client: ClientCredentials,
  ): Promise<WithChanges<FirstFactorOutcome>>;
  /** Finishes a pending sign-in, or (with a caller) confirms the two-factor setup, which renews the session. */
  verifyTotp(
    input: { code: string; trustDevice?: boolean },
    client: ClientCredentials,
    caller?: Caller,
  ): Promise<WithChanges<OpenedSession>>;
  /** Undefined session when no sign-in was waiting for a second factor. */
  verifyBackupCode(code: string, client: ClientCredentials): Promise<WithChanges<OpenedSession | undefined>>;
  signOut(caller: Caller): Promise<CredentialChanges>;
  accessToken(sessionToken: string): Promise<string>;
  sendVerificationEmail(caller: Caller, email: string): Promise<void>;
  verifyEmail(token: string): Promise<void>;
  /** Looks the address up and, when it has an account, issues a reset token and mails it. */
  requestPasswordReset(email: string): Promise<void>;
  resetPassword(token: string, newPassword: string): Promise<void>;
  /** The password changes and the caller's other sessions end; the caller's own goes on. */
  changePassword(caller: Caller, currentPassword: string, newPassword: string): Promise<void>;
  enableTwoFactor(caller: Caller, password: string): Promise<{ totpUri: string; backupCodes: string[] }>;
  disableTwoFactor(caller: Caller, password: string): Promise<CredentialChanges>;
  generateBackupCodes(caller: Caller, password: string): Promise<string[]>;
  /** Looks the address up and, when it has an account, mails it a sign-in code. */
  sendSignInCode(email: string): Promise<void>;
}

export function accountsGateway(auth: Auth, db: Db, resetTokens: ResetTokens): AccountsGateway {
  /** Headers that let Better-Auth act on the caller's session, however the caller authenticated. */
  async function asCaller(caller: Caller): Promise<Headers> {
    let token = caller.sessionToken;
    if (!token) {
      const [row] = await db
        .select({ token: sessions.token })
        .from(sessions)
        .where(eq(sessions.id, caller.sessionId));
      if (!row)
        throw new APIError("UNAUTHORIZED", { code: "SESSION_ENDED", message: "The session has ended" });
      token = row.token;
    }
    // The bearer plugin turns a raw session token into the signed session cookie internally.
    return new Headers({ authorization: `Bearer ${token}` });
  }

  /** The session that `Set-Cookie` headers open, if they open one. */
  async function sessionOpenedBy(responseHeaders: Headers): Promise<OpenedSession | undefined> {
    const cookie = responseHeaders
      .getSetCookie()
      .map((setCookie) => setCookie.split(";")[0] ?? "")
      .filter((pair) => /^[^=]+=./.test(pair))
      .join("; ");
    if (!cookie) return undefined;
    const found = await auth.api.getSession({ headers: new Headers({ cookie }) });
    return found ? { token: found.session.token, user: found.user } : undefined;
  }

  /** Better-Auth's sign-in answer: a session, or the two-factor plugin's redirect. */
  function firstFactor(response: object): FirstFactorOutcome {
    if ("twoFactorRedirect" in response && response.twoFactorRedirect) return { secondFactorRequired: true };
    const { token, user } = response as { token?: string | null; user?: AccountRecord };
    if (!token || !user) throw new Error("sign-in did not open a session");
    return { session: { token, user } };
  }

  return {
    async register(input, client) {
      const { headers, response } = await auth.api.signUpEmail({
        body: input,
        headers: headersOf(client),
        returnHeaders: true,
      });
      if (!response.token) throw new Error("sign-up did not open a session");
      return { result: { token: response.token, user: response.user }, changes: changesFrom(headers) };
    },

    async signInWithPassword(input, client) {
      const { headers, response } = await auth.api.signInEmail({
        body: { ...input, rememberMe: true },
        headers: headersOf(client),
        returnHeaders: true,
      });
      return { result: firstFactor(response), changes: changesFrom(headers) };
    },

    async signInWithCode(input, client) {
      // The two-factor hook answers this path too (see options.ts), like a password sign-in.
      const { headers, response } = await auth.api.signInEmailOTP({
        body: { email: input.email, otp: input.code },
        headers: headersOf(client),
        returnHeaders: true,
      });
      return { result: firstFactor(response), changes: changesFrom(headers) };
    },

    async verifyTotp(input, client, caller) {
      const { headers, response } = await auth.api.verifyTOTP({
        body: { code: input.code, trustDevice: input.trustDevice },
        headers: caller ? await asCaller(caller) : headersOf(client),
        returnHeaders: true,
      });
      // Confirming the setup renews the caller's session: Better-Auth deletes it and opens another,
      // yet answers with the deleted one. The answer is about the new session.
      const renewed = caller ? await sessionOpenedBy(headers) : undefined;
      return {
        result: renewed ?? { token: response.token, user: response.user },
        changes: changesFrom(headers),
      };
    },

    async verifyBackupCode(code, client) {
      const { headers, response } = await auth.api.verifyBackupCode({
        body: { code },
        headers: headersOf(client),
        returnHeaders: true,
      });
      const session = response.token ? { token: response.token, user: response.user } : undefined;
      return { result: session, changes: changesFrom(headers) };
    },

    async signOut(caller) {
      const { headers } = await auth.api.signOut({ headers: await asCaller(caller), returnHeaders: true });
      return changesFrom(headers);
    },

    async accessToken(sessionToken) {
      const { token } = await auth.api.getToken({
        headers: new Headers({ authorization: `Bearer ${sessionToken}` }),
      });
      return token;
    },

    async sendVerificationEmail(caller, email) {
      await auth.api.sendVerificationEmail({ body: { email }, headers: await asCaller(caller) });
    },

    async verifyEmail(token) {
      await auth.api.verifyEmail({ query: { token } });
    },

    async requestPasswordReset(email) {
      await auth.api.requestPasswordReset({ body: { email } });
    },

    async resetPassword(token, newPassword) {
      // Using a token ends its siblings first, so that of two racing resets one at most succeeds.
      await resetTokens.revokeSiblingsOf(token);
      await auth.api.resetPassword({ body: { token, newPassword } });
    },

    async changePassword(caller, currentPassword, newPassword) {
      const headers = await asCaller(caller);
      // Not Better-Auth's `revokeOtherSessions: true`: that ends every session, the caller's too, and
      // opens a new one whose cookie a Bearer caller never gets.
      await auth.api.changePassword({
        body: { currentPassword, newPassword, revokeOtherSessions: false },
        headers,
      });
      await auth.api.revokeOtherSessions({ headers });
    },

    async enableTwoFactor(caller, password) {
      const setup = await auth.api.enableTwoFactor({ body: { password }, headers: await asCaller(caller) });
      if (setup.method !== "totp") throw new Error("two-factor setup did not create a TOTP secret");
      return { totpUri: setup.totpURI, backupCodes: setup.backupCodes };
    },

    async disableTwoFactor(caller, password) {
      const { headers } = await auth.api.disableTwoFactor({
        body: { password },
        headers: await asCaller(caller),
        returnHeaders: true,
      });
      return changesFrom(headers);
    },

    async generateBackupCodes(caller, password) {
      const { backupCodes } = await auth.api.generateBackupCodes({
        body: { password },
        headers: await asCaller(caller),
      });
      return backupCodes;
    },

    async sendSignInCode(email) {
      await auth.api.sendVerificationOTP({ body: { email, type: "sign-in" } });
    },
  };
}
