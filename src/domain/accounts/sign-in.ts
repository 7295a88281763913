import type {
  AccessToken,
  Credentials,
  Registration,
  SignedIn,
  SignInCode,
  SignInResult,
  TwoFactorCode,
} from "../../../generated/server";
import type { Caller } from "../../platform/auth/caller";
import { forwardable } from "../../platform/auth/request-headers";
import { DomainError } from "../errors";
import { translated } from "./failures";
import { type AccountsDeps, accessTokenFor, sessionHeaders, signedIn, type WithCookies } from "./sessions";

const cookiesOf = (headers: Headers) => headers.getSetCookie();

export async function register(
  deps: AccountsDeps,
  input: Registration,
  request: Headers,
): Promise<WithCookies<SignedIn>> {
  const { headers, response } = await translated(() =>
    deps.auth.api.signUpEmail({ body: input, headers: forwardable(request), returnHeaders: true }),
  );
  if (!response.token) throw new Error("sign-up did not open a session");
  return { value: await signedIn(deps, response.token, response.user), cookies: cookiesOf(headers) };
}

/** A wrong password and an unknown address fail alike (Better-Auth hashes even for the latter). */
export async function signIn(
  deps: AccountsDeps,
  input: Credentials,
  request: Headers,
): Promise<WithCookies<SignInResult>> {
  const { headers, response } = await translated(() =>
    deps.auth.api.signInEmail({
      body: { ...input, rememberMe: true },
      headers: forwardable(request),
      returnHeaders: true,
    }),
  );
  if ("twoFactorRedirect" in response && response.twoFactorRedirect) {
    return { value: { status: "two_factor_required" }, cookies: cookiesOf(headers) };
  }
  if (!("token" in response) || !response.token) throw new Error("sign-in did not open a session");
  return { value: await signedIn(deps, response.token, response.user), cookies: cookiesOf(headers) };
}

export async function signInWithCode(
  deps: AccountsDeps,
  input: SignInCode,
  request: Headers,
): Promise<WithCookies<SignedIn>> {
  const { headers, response } = await translated(() =>
    deps.auth.api.signInEmailOTP({
      body: { email: input.email, otp: input.code },
      headers: forwardable(request),
      returnHeaders: true,
    }),
  );
  return { value: await signedIn(deps, response.token, response.user), cookies: cookiesOf(headers) };
}

/** Finishes a pending sign-in (two-factor cookie), or confirms the setup of a signed-in caller. */
export async function verifyTwoFactor(
  deps: AccountsDeps,
  input: TwoFactorCode,
  request: Headers,
  caller: Caller | undefined,
): Promise<WithCookies<SignedIn>> {
  const headers = caller ? await sessionHeaders(deps, caller) : forwardable(request);
  const result = await translated(() =>
    deps.auth.api.verifyTOTP({
      body: { code: input.code, trustDevice: input.trustDevice },
      headers,
      returnHeaders: true,
    }),
  );
  const cookies = cookiesOf(result.headers);
  // Confirming the setup renews the caller's session: Better-Auth deletes it and opens another,
  // yet answers with the deleted one. The answer is about the new session.
  const renewed = caller ? await sessionOpenedBy(deps, cookies) : undefined;
  const { token, user } = renewed ?? result.response;
  return { value: await signedIn(deps, token, user), cookies };
}

/** The session that `Set-Cookie` headers open, if they open one. */
async function sessionOpenedBy(deps: AccountsDeps, cookies: string[]) {
  const cookie = cookies
    .map((setCookie) => setCookie.split(";")[0] ?? "")
    .filter((pair) => /^[^=]+=./.test(pair))
    .join("; ");
  if (!cookie) return undefined;
  const found = await deps.auth.api.getSession({ headers: new Headers({ cookie }) });
  return found ? { token: found.session.token, user: found.user } : undefined;
}

export async function verifyBackupCode(
  deps: AccountsDeps,
  code: string,
  request: Headers,
): Promise<WithCookies<SignedIn>> {
  const result = await translated(() =>
    deps.auth.api.verifyBackupCode({ body: { code }, headers: forwardable(request), returnHeaders: true }),
  );
  const { token, user } = result.response;
  if (!token) throw new DomainError("unauthenticated", "No sign-in is waiting for a second factor");
  return { value: await signedIn(deps, token, user), cookies: cookiesOf(result.headers) };
}

/** Deletes the session; its access tokens are revoked by the session-deletion hook. */
export async function signOut(deps: AccountsDeps, caller: Caller): Promise<WithCookies<null>> {
  const headers = await sessionHeaders(deps, caller);
  const result = await translated(() => deps.auth.api.signOut({ headers, returnHeaders: true }));
  return { value: null, cookies: cookiesOf(result.headers) };
}

export async function refreshAccessToken(deps: AccountsDeps, caller: Caller): Promise<AccessToken> {
  if (!caller.sessionToken) throw new DomainError("unauthenticated", "Refreshing needs the session cookie");
  return {
    accessToken: await accessTokenFor(deps, caller.sessionToken),
    tokenType: "Bearer",
    expiresIn: deps.accessTokenTtlSeconds,
  };
}
