import type {
  AccessToken,
  Credentials,
  Registration,
  SignedIn,
  SignInCode,
  SignInResult,
  TwoFactorCode,
} from "../../../generated/server";
import type { FirstFactorOutcome } from "../../platform/auth/accounts-gateway";
import type { Caller } from "../../platform/auth/caller";
import type { ClientCredentials, CredentialChanges } from "../../platform/auth/client-credentials";
import { DomainError } from "../errors";
import { translated } from "./failures";
import { type AccountsDeps, type Answer, accessTokenFor, signedIn } from "./sessions";

export async function register(
  deps: AccountsDeps,
  input: Registration,
  client: ClientCredentials,
): Promise<Answer<SignedIn>> {
  const { result, changes } = await translated(() => deps.gateway.register(input, client));
  return { value: await signedIn(deps, result), changes };
}

/** Signed in, or (two-factor accounts) one step short of it, whichever the first factor. */
async function afterFirstFactor(
  deps: AccountsDeps,
  outcome: FirstFactorOutcome,
  changes: CredentialChanges,
): Promise<Answer<SignInResult>> {
  if ("secondFactorRequired" in outcome) return { value: { status: "two_factor_required" }, changes };
  return { value: await signedIn(deps, outcome.session), changes };
}

/** A wrong password and an unknown address fail alike (Better-Auth hashes even for the latter). */
export async function signIn(
  deps: AccountsDeps,
  input: Credentials,
  client: ClientCredentials,
): Promise<Answer<SignInResult>> {
  const { result, changes } = await translated(() => deps.gateway.signInWithPassword(input, client));
  return afterFirstFactor(deps, result, changes);
}

/** The code is a first factor like the password: a two-factor account still needs its second. */
export async function signInWithCode(
  deps: AccountsDeps,
  input: SignInCode,
  client: ClientCredentials,
): Promise<Answer<SignInResult>> {
  const { result, changes } = await translated(() =>
    deps.gateway.signInWithCode({ email: input.email, code: input.code }, client),
  );
  return afterFirstFactor(deps, result, changes);
}

/** Finishes a pending sign-in, or confirms the setup of a signed-in caller. */
export async function verifyTwoFactor(
  deps: AccountsDeps,
  input: TwoFactorCode,
  client: ClientCredentials,
  caller: Caller | undefined,
): Promise<Answer<SignedIn>> {
  const { result, changes } = await translated(() =>
    deps.gateway.verifyTotp({ code: input.code, trustDevice: input.trustDevice }, client, caller),
  );
  return { value: await signedIn(deps, result), changes };
}

export async function verifyBackupCode(
  deps: AccountsDeps,
  code: string,
  client: ClientCredentials,
): Promise<Answer<SignedIn>> {
  const { result, changes } = await translated(() => deps.gateway.verifyBackupCode(code, client));
  if (!result) throw new DomainError("unauthenticated", "No sign-in is waiting for a second factor");
  return { value: await signedIn(deps, result), changes };
}

/** Deletes the session; its access tokens are revoked by the session-deletion hook. */
export async function signOut(deps: AccountsDeps, caller: Caller): Promise<Answer<null>> {
  return { value: null, changes: await translated(() => deps.gateway.signOut(caller)) };
}

export async function refreshAccessToken(deps: AccountsDeps, caller: Caller): Promise<AccessToken> {
  if (!caller.sessionToken)
    throw new DomainError("unauthenticated", "Refreshing needs the session itself, not an access token");
  return {
    accessToken: await accessTokenFor(deps, caller.sessionToken),
    tokenType: "Bearer",
    expiresIn: deps.accessTokenTtlSeconds,
  };
}
