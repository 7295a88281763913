import type { Handlers } from "../../generated/server";
import { missingCheckout } from "../domain/checkout/checkout";
import { createPayment, type PaymentsDeps, receiveEvent } from "../domain/payments/payments";
import { cartOwnerOf } from "../http/cart-cookie";
import type { AppEnv } from "../http/env";

type PaymentHandlers = Pick<Handlers<AppEnv>, "createPayment" | "receivePaymentWebhook">;

export function paymentHandlers(deps: PaymentsDeps): PaymentHandlers {
  return {
    createPayment: async (c) => {
      const owner = cartOwnerOf(c);
      if (!owner) throw missingCheckout();
      const { checkoutId } = c.req.valid("param");
      const key = c.req.valid("header")["Idempotency-Key"];
      return c.json(await createPayment(deps, owner, checkoutId, key), 201);
    },
    receivePaymentWebhook: async (c) => {
      const { provider } = c.req.valid("param");
      // The signature covers the bytes as sent: the raw body, read before validation parsed it.
      const receipt = await receiveEvent(deps, provider, await c.req.text(), (name) => c.req.header(name));
      return c.json({ received: true, duplicate: receipt.duplicate }, 200);
    },
  };
}
