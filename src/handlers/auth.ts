import type { Handlers } from "../../generated/server";
import * as security from "../domain/accounts/security";
import type { AccountsDeps } from "../domain/accounts/sessions";
import * as session from "../domain/accounts/sessions";
import * as signIn from "../domain/accounts/sign-in";
import { callerOf } from "../http/authenticate";
import { sendCookies } from "../http/cookies";
import type { AppEnv } from "../http/env";

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

export function authHandlers(
  deps: AccountsDeps & { publicKeys(): Promise<{ keys: object[] }> },
): Pick<Handlers<AppEnv>, AuthOperations> {
  return {
    registerAccount: async (c) => {
      const { value, cookies } = await signIn.register(deps, c.req.valid("json"), c.req.raw.headers);
      sendCookies(c, cookies);
      return c.json(value, 201, NO_STORE);
    },
    signIn: async (c) => {
      const { value, cookies } = await signIn.signIn(deps, c.req.valid("json"), c.req.raw.headers);
      sendCookies(c, cookies);
      return c.json(value, 200, NO_STORE);
    },
    signOut: async (c) => {
      sendCookies(c, (await signIn.signOut(deps, callerOf(c))).cookies);
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
    signInWithCode: async (c) => {
      const { value, cookies } = await signIn.signInWithCode(deps, c.req.valid("json"), c.req.raw.headers);
      sendCookies(c, cookies);
      return c.json(value, 200, NO_STORE);
    },
    enableTwoFactor: async (c) =>
      c.json(await security.enableTwoFactor(deps, callerOf(c), c.req.valid("json").password), 200, NO_STORE),
    verifyTwoFactor: async (c) => {
      const request = c.req.raw.headers;
      const { value, cookies } = await signIn.verifyTwoFactor(
        deps,
        c.req.valid("json"),
        request,
        c.get("caller"),
      );
      sendCookies(c, cookies);
      return c.json(value, 200, NO_STORE);
    },
    disableTwoFactor: async (c) => {
      sendCookies(
        c,
        (await security.disableTwoFactor(deps, callerOf(c), c.req.valid("json").password)).cookies,
      );
      return c.body(null, 204);
    },
    regenerateBackupCodes: async (c) =>
      c.json(
        await security.regenerateBackupCodes(deps, callerOf(c), c.req.valid("json").password),
        200,
        NO_STORE,
      ),
    verifyBackupCode: async (c) => {
      const { value, cookies } = await signIn.verifyBackupCode(
        deps,
        c.req.valid("json").code,
        c.req.raw.headers,
      );
      sendCookies(c, cookies);
      return c.json(value, 200, NO_STORE);
    },
    getJsonWebKeys: async (c) =>
      c.json(await deps.publicKeys(), 200, { "Cache-Control": "public, max-age=300" }),
  };
}
