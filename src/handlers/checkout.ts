import type { Handlers } from "../../generated/server";
import {
  type CheckoutDeps,
  getCheckout,
  missingCheckout,
  nothingToCheckOut,
  startCheckout,
  updateCheckout,
} from "../domain/checkout/checkout";
import { cartOwnerOf } from "../http/cart-cookie";
import type { AppEnv } from "../http/env";

type CheckoutHandlers = Pick<Handlers<AppEnv>, "startCheckout" | "getCheckout" | "updateCheckout">;

export function checkoutHandlers(deps: CheckoutDeps): CheckoutHandlers {
  return {
    startCheckout: async (c) => {
      const owner = cartOwnerOf(c);
      if (!owner) throw nothingToCheckOut();
      const checkout = await startCheckout(deps, owner);
      return c.json(checkout, 201, { Location: `/api/checkouts/${checkout.id}` });
    },
    getCheckout: async (c) => {
      const owner = cartOwnerOf(c);
      if (!owner) throw missingCheckout();
      return c.json(await getCheckout(deps, owner, c.req.valid("param").checkoutId), 200);
    },
    updateCheckout: async (c) => {
      const owner = cartOwnerOf(c);
      if (!owner) throw missingCheckout();
      const { checkoutId } = c.req.valid("param");
      return c.json(await updateCheckout(deps, owner, checkoutId, c.req.valid("json")), 200);
    },
  };
}
