import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Logger } from "pino";
import { type CartOwner, guestOwner } from "../domain/cart/owner";
import type { AppEnv } from "./env";
import { signedInUser } from "./signed-in-answer";

/** A guest's cart token; the path covers sign-in, where the guest cart joins the customer's. */
export const CART_COOKIE = "joxicrochet-cart";
const CART_COOKIE_PATH = "/api";
const CART_COOKIE_SECONDS = 30 * 24 * 60 * 60;

export function cartToken(c: Context): string | undefined {
  return getCookie(c, CART_COOKIE) || undefined;
}

/** The signed-in customer's cart, else the guest cart the cookie names; none for a new guest. */
export function cartOwnerOf(c: Context<AppEnv>): CartOwner | undefined {
  const caller = c.get("caller");
  if (caller) return { kind: "customer", userId: caller.userId };
  const token = cartToken(c);
  return token ? guestOwner(token) : undefined;
}

export function giveCartToken(c: Context, token: string, secure: boolean): void {
  setCookie(c, CART_COOKIE, token, {
    path: CART_COOKIE_PATH,
    httpOnly: true,
    secure,
    sameSite: "Lax",
    maxAge: CART_COOKIE_SECONDS,
  });
}

export interface CartAfterSignInOptions {
  /** Moves the guest cart of this token into the user's cart. */
  merge(token: string, userId: string): Promise<void>;
  secure: boolean;
  logger: Logger;
}

/**
 * Route middleware for the operations that sign in: a guest cart the client brought joins the
 * account's cart, and its cookie is cleared. The sign-in stands if the merge fails; the cookie
 * then stays, and the next sign-in tries again.
 */
export function mergeCartAfterSignIn(options: CartAfterSignInOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const token = cartToken(c);
    if (token === undefined) return;
    const user = await signedInUser(c);
    if (user === undefined) return;
    try {
      await options.merge(token, user.id);
    } catch (error) {
      options.logger.warn({ err: error }, "the guest cart could not join the account's cart at sign-in");
      return;
    }
    deleteCookie(c, CART_COOKIE, {
      path: CART_COOKIE_PATH,
      secure: options.secure,
      httpOnly: true,
      sameSite: "Lax",
    });
  };
}
