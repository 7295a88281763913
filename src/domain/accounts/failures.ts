import { isAPIError } from "better-auth/api";
import { HashingQueueFull } from "../../platform/auth/hashing-queue";
import { DomainError, type DomainErrorCode } from "../errors";

/** Better-Auth's error codes, as the shop's stable ones. Anything unlisted is unexpected (500). */
const CODES: Record<string, [DomainErrorCode, string]> = {
  INVALID_EMAIL_OR_PASSWORD: ["invalid_credentials", "The e-mail address or the password is wrong"],
  INVALID_PASSWORD: ["invalid_credentials", "The password is wrong"],
  CREDENTIAL_ACCOUNT_NOT_FOUND: ["invalid_credentials", "The password is wrong"],
  USER_ALREADY_EXISTS: ["email_taken", "An account with this e-mail address already exists"],
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: [
    "email_taken",
    "An account with this e-mail address already exists",
  ],
  INVALID_TOKEN: ["invalid_token", "The link is invalid or has expired; ask for a new one"],
  TOKEN_EXPIRED: ["invalid_token", "The link has expired; ask for a new one"],
  INVALID_OTP: ["invalid_code", "The code is wrong"],
  INVALID_CODE: ["invalid_code", "The code is wrong"],
  INVALID_BACKUP_CODE: ["invalid_code", "The backup code is wrong or used"],
  OTP_EXPIRED: ["code_expired", "The code has expired; ask for a new one"],
  OTP_HAS_EXPIRED: ["code_expired", "The code has expired; ask for a new one"],
  TOO_MANY_ATTEMPTS: ["code_expired", "Too many wrong tries; ask for a new code"],
  TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE: ["code_expired", "Too many wrong tries; ask for a new code"],
  ACCOUNT_TEMPORARILY_LOCKED: ["account_locked", "Too many wrong codes; try again in 15 minutes"],
  INVALID_TWO_FACTOR_COOKIE: ["unauthenticated", "No sign-in is waiting for a second factor; sign in again"],
  TWO_FACTOR_NOT_ENABLED: ["invalid_state", "Two-factor authentication is not enabled"],
  TOTP_NOT_ENABLED: ["invalid_state", "Two-factor authentication is not enabled"],
  BACKUP_CODES_NOT_ENABLED: ["invalid_state", "Two-factor authentication is not enabled"],
  BANNED_USER: ["forbidden", "This account is disabled"],
  YOU_HAVE_BEEN_BANNED_FROM_THIS_APPLICATION: ["forbidden", "This account is disabled"],
  UNAUTHORIZED: ["unauthenticated", "Sign in first"],
  SESSION_ENDED: ["unauthenticated", "The session has ended; sign in again"],
  FAILED_TO_GET_SESSION: ["unauthenticated", "Sign in first"],
};

/**
 * Runs a call into Better-Auth and turns its known refusals into domain errors, and a password
 * check or hash refused by the busy hashing queue into a passing overload.
 */
export async function translated<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isAPIError(error)) {
      const code = String((error.body as { code?: string } | undefined)?.code ?? error.status);
      const known = CODES[code];
      if (known) throw new DomainError(known[0], known[1]);
    }
    if (error instanceof HashingQueueFull) {
      const seconds = error.retryAfterSeconds;
      throw new DomainError(
        "overloaded",
        `Too many passwords are being checked; try again in ${seconds} s`,
        undefined,
        {
          cause: error,
          retryAfterSeconds: seconds,
        },
      );
    }
    throw error;
  }
}
