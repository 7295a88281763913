// The SDK's types, checked by the compiler (`npm run typecheck` covers tests/): each method takes
// exactly what its operation does and resolves to its success body; what the contract does not
// allow does not compile. `@ts-expect-error` fails the type-check if the error ever goes away.
import { describe, expect, expectTypeOf, it } from "vitest";
import type { CallArgs, CallResult, components, OperationId, Shop } from "../../../src/sdk";

type Schemas = components["schemas"];
const pageOfProducts = (shop: Shop) => shop.paginate("listProducts", { query: { limit: 100 } });

describe("the SDK's types come from the contract", () => {
  it("types each method's result from its success answer", () => {
    expectTypeOf<CallResult<"getProduct">>().toEqualTypeOf<Schemas["Product"]>();
    expectTypeOf<CallResult<"createOrder">>().toEqualTypeOf<Schemas["Order"]>();
    expectTypeOf<CallResult<"listOrders">>().toEqualTypeOf<Schemas["OrderList"]>();
    expectTypeOf<CallResult<"deleteProduct">>().toEqualTypeOf<undefined>();
  });

  it("types each method's argument, required exactly when the contract requires it", () => {
    expectTypeOf<CallArgs<"getProduct">>().toHaveProperty("path");
    expectTypeOf<CallArgs<"createOrder">["body"]>().toEqualTypeOf<Schemas["OrderCreate"]>();
    expectTypeOf<CallArgs<"createOrder">>().toHaveProperty("idempotencyKey");
    expectTypeOf<Parameters<Shop["listProducts"]>>().toEqualTypeOf<[args?: CallArgs<"listProducts">]>();
    expectTypeOf<Parameters<Shop["getProduct"]>>().toEqualTypeOf<[args: CallArgs<"getProduct">]>();
    expectTypeOf<"createOrder">().toExtend<OperationId>();
    expectTypeOf<ReturnType<typeof pageOfProducts>>().toEqualTypeOf<AsyncGenerator<Schemas["Product"]>>();
  });

  it("refuses what the contract does not allow", () => {
    const shop = {} as Shop;
    // Never called: the compiler is the test.
    const refused = () => {
      // @ts-expect-error an operation the contract does not have
      shop.listWidgets();
      // @ts-expect-error a query parameter listProducts does not take
      void shop.listProducts({ query: { colour: "red" } });
      // @ts-expect-error getProduct needs its path parameter
      void shop.getProduct({});
      // @ts-expect-error a path parameter of the wrong type
      void shop.getProduct({ path: { id: "one" } });
      // @ts-expect-error createOrder needs a body
      void shop.createOrder({});
      // @ts-expect-error updateCheckout needs a body, though each of its fields is optional
      void shop.updateCheckout({ path: { checkoutId: "chk_Zx3kQ9v2Lp8Rt5Wm1Yb7Nc" } });
      // @ts-expect-error a body field the contract does not have (a client never sends a total)
      void shop.createOrder({ body: { checkoutId: "chk_Zx3kQ9v2Lp8Rt5Wm1Yb7Nc", total: 1 } });
      // @ts-expect-error listCategories is not a cursor-paginated list
      void shop.paginate("listCategories");
      // @ts-expect-error listProducts takes no idempotency key: it is safe to repeat by itself
      void shop.listProducts({ idempotencyKey: "3f0c6a9e-1b2d-4c5e-8f7a-9b0c1d2e3f4a" });
    };
    expect(typeof refused).toBe("function");
  });
});
