import type { Handlers } from "../../generated/server";
import { type CheckoutDeps, getCheckout, startCheckout, updateCheckout } from "../domain/checkout/checkout";
import { DomainError } from "../domain/errors";
import { cartOwnerOf } from "../http/cart-cookie";
import type { AppEnv } from "../http/env";

type CheckoutHandlers = Pick<Handlers<AppEnv>, "startCheckout" | "getCheckout" | "updateCheckout">;

const noCart = () => new DomainError("cart_empty", "The cart is empty: there is nothing to check out");
const noCheckout = () => new DomainError("not_found", "There is no such checkout");

export function checkoutHandlers(deps: CheckoutDeps): CheckoutHandlers {
  return {
    startCheckout: async (c) => {
      const owner = cartOwnerOf(c);
      if (!owner) throw noCart();
      const checkout = await startCheckout(deps, owner);
      return c.json(checkout, 201, { Location: `/api/checkouts/${checkout.id}` });
    },
    getCheckout: async (c) => {
      const owner = cartOwnerOf(c);
      if (!owner) throw noCheckout();
      return c.json(await getCheckout(deps, owner, c.req.valid("param").checkoutId), 200);
    },
    updateCheckout: async (c) => {
      const owner = cartOwnerOf(c);
      if (!owner) throw noCheckout();
      const { checkoutId } = c.req.valid("param");
      return c.json(await updateCheckout(deps, owner, checkoutId, c.req.valid("json")), 200);
    },
  };
}
