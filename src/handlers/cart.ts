import type { Context } from "hono";
import type { Handlers } from "../../generated/server";
import * as cart from "../domain/cart/cart";
import { type CartOwner, guestOwner, newGuestToken } from "../domain/cart/owner";
import { emptyCart } from "../domain/cart/view";
import { cartOwnerOf, giveCartToken } from "../http/cart-cookie";
import type { AppEnv } from "../http/env";
import type { Db } from "../platform/db";

type CartHandlers = Pick<
  Handlers<AppEnv>,
  "getCart" | "clearCart" | "addCartLine" | "updateCartLine" | "removeCartLine"
>;

export interface CartDeps {
  db: Db;
  /** Secure cookies (production: HTTPS only). */
  secureCookies: boolean;
}

/**
 * A new guest's first line creates their cart: its token goes to the browser, only its hash is
 * kept. A cookie naming no cart is replaced, never adopted: every guest cart's token is minted
 * here, so a client cannot choose one (or share another's by guessing a simple value).
 */
async function ownerCreating(c: Context<AppEnv>, deps: CartDeps): Promise<CartOwner> {
  const known = cartOwnerOf(c);
  if (known && (known.kind === "customer" || (await cart.hasCart(deps.db, known)))) return known;
  const token = newGuestToken();
  giveCartToken(c, token, deps.secureCookies);
  return guestOwner(token);
}

export function cartHandlers(deps: CartDeps): CartHandlers {
  return {
    getCart: async (c) => {
      const owner = cartOwnerOf(c);
      return c.json(owner ? await cart.getCart(deps.db, owner) : emptyCart(), 200);
    },
    clearCart: async (c) => {
      const owner = cartOwnerOf(c);
      if (owner) await cart.clearCart(deps.db, owner);
      return c.body(null, 204);
    },
    addCartLine: async (c) =>
      c.json(await cart.addLine(deps.db, await ownerCreating(c, deps), c.req.valid("json")), 200),
    updateCartLine: async (c) => {
      const { productId } = c.req.valid("param");
      const owner = cartOwnerOf(c);
      if (!owner) throw cart.missingLine(productId);
      return c.json(await cart.setQuantity(deps.db, owner, { productId, ...c.req.valid("json") }), 200);
    },
    removeCartLine: async (c) => {
      const { productId } = c.req.valid("param");
      const owner = cartOwnerOf(c);
      if (!owner) throw cart.missingLine(productId);
      return c.json(await cart.removeLine(deps.db, owner, productId), 200);
    },
  };
}
