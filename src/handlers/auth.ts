import type { Context } from "hono";
import type { Handlers } from "../../generated/server";
import * as security from "../domain/accounts/security";
import type { AccountsDeps } from "../domain/accounts/sessions";
import * as session from "../domain/accounts/sessions";
import * as signIn from "../domain/accounts/sign-in";
import { callerOf } from "../http/authenticate";
import { sendCookies } from "../http/cookies";
import type { AppEnv } from "../http/env";
import {
  type CredentialChanges,
  credentialsFrom,
  setCookieHeaders,
} from "../platform/auth/client-credentials";

type AuthOperations =
  | "registerAccount"
  | "signIn"
  | "signOut"
  | "getCurrentUser"
  | "refreshAccessToken"
  | "sendVerificationEmail"
  | "verifyEmail"
  | "requestPasswordReset"
  | "resetPassword"
  | "changePassword"
  | "sendSignInCode"
  | "signInWithCode"
  | "enableTwoFactor"
  | "verifyTwoFactor"
  | "disableTwoFactor"
  | "regenerateBackupCodes"
  | "verifyBackupCode"
  | "getJsonWebKeys";

const NO_STORE = { "Cache-Control": "no-store" };

/** The credentials the client presented, for the accounts domain to hand to Better-Auth. */
const client = (c: Context<AppEnv>) => credentialsFrom(c.req.raw.headers);

/** Sends the client what the accounts domain says it must get, and passes on the value. */
function handOver<T>(c: Context<AppEnv>, answer: { value: T; changes: CredentialChanges }): T {
  sendCookies(c, setCookieHeaders(answer.changes));
  return answer.value;
}

export function authHandlers(
  deps: AccountsDeps & { publicKeys(): Promise<{ keys: object[] }> },
): Pick<Handlers<AppEnv>, AuthOperations> {
  return {
    registerAccount: async (c) =>
      c.json(handOver(c, await signIn.register(deps, c.req.valid("json"), client(c))), 201, NO_STORE),
    signIn: async (c) =>
      c.json(handOver(c, await signIn.signIn(deps, c.req.valid("json"), client(c))), 200, NO_STORE),
    signOut: async (c) => {
      handOver(c, await signIn.signOut(deps, callerOf(c)));
      return c.body(null, 204);
    },
    getCurrentUser: async (c) => c.json(await session.findUser(deps, callerOf(c).userId), 200, NO_STORE),
    refreshAccessToken: async (c) =>
      c.json(await signIn.refreshAccessToken(deps, callerOf(c)), 200, NO_STORE),
    sendVerificationEmail: async (c) => {
      await security.sendVerificationEmail(deps, callerOf(c));
      return c.body(null, 202);
    },
    verifyEmail: async (c) => c.json(await security.verifyEmail(deps, c.req.valid("json").token), 200),
    requestPasswordReset: async (c) => {
      await security.requestPasswordReset(deps, c.req.valid("json").email);
      return c.body(null, 202);
    },
    resetPassword: async (c) => {
      await security.resetPassword(deps, c.req.valid("json"));
      return c.body(null, 204);
    },
    changePassword: async (c) => {
      await security.changePassword(deps, callerOf(c), c.req.valid("json"));
      return c.body(null, 204);
    },
    sendSignInCode: async (c) => {
      await security.sendSignInCode(deps, c.req.valid("json").email);
      return c.body(null, 202);
    },
    signInWithCode: async (c) =>
      c.json(handOver(c, await signIn.signInWithCode(deps, c.req.valid("json"), client(c))), 200, NO_STORE),
    enableTwoFactor: async (c) =>
      c.json(await security.enableTwoFactor(deps, callerOf(c), c.req.valid("json").password), 200, NO_STORE),
    verifyTwoFactor: async (c) => {
      const answer = await signIn.verifyTwoFactor(deps, c.req.valid("json"), client(c), c.get("caller"));
      return c.json(handOver(c, answer), 200, NO_STORE);
    },
    disableTwoFactor: async (c) => {
      handOver(c, await security.disableTwoFactor(deps, callerOf(c), c.req.valid("json").password));
      return c.body(null, 204);
    },
    regenerateBackupCodes: async (c) =>
      c.json(
        await security.regenerateBackupCodes(deps, callerOf(c), c.req.valid("json").password),
        200,
        NO_STORE,
      ),
    verifyBackupCode: async (c) =>
      c.json(
        handOver(c, await signIn.verifyBackupCode(deps, c.req.valid("json").code, client(c))),
        200,
        NO_STORE,
      ),
    getJsonWebKeys: async (c) =>
      c.json(await deps.publicKeys(), 200, { "Cache-Control": "public, max-age=300" }),
  };
}
