import type { Handlers } from "../../generated/server";
import { missingCheckout } from "../domain/checkout/checkout";
import { changeOrderStatus } from "../domain/orders/change-status";
import { getOrder, listOrders, loadOrder, type OrdersDeps } from "../domain/orders/orders";
import { completeCheckout, type PaymentsDeps } from "../domain/payments/payments";
import { cartOwnerOf } from "../http/cart-cookie";
import type { AppEnv } from "../http/env";
import { HttpProblem } from "../http/problem";

type OrderHandlers = Pick<
  Handlers<AppEnv>,
  "listOrders" | "createOrder" | "getOrder" | "updateOrderStatus" | "listAllOrders"
>;

export function orderHandlers(deps: OrdersDeps & { payments: PaymentsDeps }): OrderHandlers {
  return {
    listOrders: async (c) => {
      const owner = cartOwnerOf(c);
      const page = c.req.valid("query");
      if (!owner) return c.json({ data: [], nextCursor: null }, 200);
      return c.json(await listOrders(deps, { owner }, page), 200);
    },
    createOrder: async (c) => {
      const owner = cartOwnerOf(c);
      if (!owner) throw missingCheckout();
      const { orderId, created } = await completeCheckout(
        deps.payments,
        owner,
        c.req.valid("json").checkoutId,
      );
      const order = await loadOrder(deps.db, orderId);
      if (!created) return c.json(order, 200);
      return c.json(order, 201, { Location: `/api/orders/${order.id}` });
    },
    getOrder: async (c) => {
      const staff = c.get("caller")?.role === "admin";
      return c.json(
        await getOrder(deps.db, { owner: cartOwnerOf(c), staff }, c.req.valid("param").orderId),
        200,
      );
    },
    updateOrderStatus: async (c) => {
      const caller = c.get("caller");
      if (!caller)
        throw new HttpProblem({ status: 401, code: "unauthenticated", title: "Authentication required" });
      const { orderId } = c.req.valid("param");
      const order = await changeOrderStatus(deps.db, orderId, c.req.valid("json"), {
        id: caller.userId,
        role: "admin",
      });
      deps.payments.wakeOutbox();
      return c.json(order, 200);
    },
    listAllOrders: async (c) => {
      const { limit, cursor, ...filters } = c.req.valid("query");
      return c.json(await listOrders(deps, { filters }, { limit, cursor }), 200);
    },
  };
}
