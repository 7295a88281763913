import { createHmac, randomBytes } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getSignedCookie, setSignedCookie } from "hono/cookie";
import type { AppEnv } from "./env";
import { signedInUser } from "./signed-in-answer";

/**
 * Device cookies, after OWASP's "Slow Down Online Guessing Attacks with Device Cookies": a
 * client that signed in to an account gets a cookie, signed by the server, naming the account
 * (by a keyed digest) and a random device id. On a later attempt for that account, the cookie
 * lets the client count against a limit of its own instead of the account's, which strangers
 * guessing the password may have used up: they cannot lock the owner out. The per-address
 * limit still applies to the device, and a device that fails too often is locked out alone.
 *
 * Value: `<account digest>.<device id>.<expiry, Unix seconds>`, then Hono's signature.
 */
export const DEVICE_COOKIE = "joxicrochet-device";
const LIFETIME_SECONDS = 365 * 24 * 3600;
const DEVICE_ID = /^[A-Za-z0-9_-]{22}$/;

export interface TrustedDeviceOptions {
  /** The app's auth secret; the cookie's keys are derived from it, one per use. */
  secret: string;
  /** Secure cookies (production: HTTPS only). */
  secure: boolean;
  /** Milliseconds since the epoch; tests pass their own clock. */
  now?: () => number;
}

export interface TrustedDevices {
  /**
   * The device id of a valid, unexpired device cookie bound to this (normalised) e-mail, or
   * undefined: no cookie, a forged or tampered one, or one for another account.
   */
  deviceFor(c: Context, email: string): Promise<string | undefined>;
  /** Route middleware: once the operation has signed a client in, gives it a device cookie. */
  issueAfterSignIn: MiddlewareHandler<AppEnv>;
}

export function trustedDevices(options: TrustedDeviceOptions): TrustedDevices {
  const now = options.now ?? Date.now;
  const signingKey = derive(options.secret, "device cookie signature");
  const accountKey = derive(options.secret, "device cookie account");
  // Keyed, so that the cookie does not let anyone confirm a guess of the address it names.
  const accountOf = (email: string) =>
    createHmac("sha256", accountKey).update(normalize(email)).digest("base64url").slice(0, 22);

  return {
    async deviceFor(c, email) {
      const value = await getSignedCookie(c, signingKey, DEVICE_COOKIE);
      if (!value) return undefined;
      const [account, device, expires, ...rest] = value.split(".");
      if (rest.length > 0 || !device || !DEVICE_ID.test(device)) return undefined;
      if (!(Number(expires) * 1000 > now())) return undefined;
      return account === accountOf(email) ? device : undefined;
    },

    async issueAfterSignIn(c, next) {
      await next();
      const email = (await signedInUser(c))?.email;
      if (email === undefined) return;
      const device = randomBytes(16).toString("base64url");
      const expires = Math.floor(now() / 1000) + LIFETIME_SECONDS;
      await setSignedCookie(c, DEVICE_COOKIE, `${accountOf(email)}.${device}.${expires}`, signingKey, {
        path: "/api/auth",
        httpOnly: true,
        secure: options.secure,
        sameSite: "Lax",
        maxAge: LIFETIME_SECONDS,
      });
    },
  };
}

function normalize(email: string): string {
  return email.trim().toLowerCase();
}

function derive(secret: string, purpose: string): Buffer {
  return createHmac("sha256", secret).update(`joxicrochet ${purpose}`).digest();
}
