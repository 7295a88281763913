import type { Handlers } from "../../generated/server";
import { getCheckout, startCheckout } from "../domain/checkout/checkout";
import { DomainError } from "../domain/errors";
import { cartOwnerOf } from "../http/cart-cookie";
import type { AppEnv } from "../http/env";
import type { Db } from "../platform/db";

type CheckoutHandlers = Pick<Handlers<AppEnv>, "startCheckout" | "getCheckout">;

const noCart = () => new DomainError("cart_empty", "The cart is empty: there is nothing to check out");
const noCheckout = () => new DomainError("not_found", "There is no such checkout");

export function checkoutHandlers(deps: { db: Db }): CheckoutHandlers {
  return {
    startCheckout: async (c) => {
      const owner = cartOwnerOf(c);
      if (!owner) throw noCart();
      const checkout = await startCheckout(deps.db, owner);
      return c.json(checkout, 201, { Location: `/api/checkouts/${checkout.id}` });
    },
    getCheckout: async (c) => {
      const owner = cartOwnerOf(c);
      if (!owner) throw noCheckout();
      return c.json(await getCheckout(deps.db, owner, c.req.valid("param").checkoutId), 200);
    },
  };
}
