import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, createShop, type Shop } from "../../../src/sdk";
import { createTestApp, type TestApp } from "../../support/app";
import { newAccount, signedInAdmin } from "../../support/auth";
import { productWithStock, publishedProduct } from "../../support/catalog";
import { ADDRESS, testProvider } from "../../support/orders";
import { checkedFetch } from "../../support/sdk";

describe("the SDK: one method per operation, against the app", () => {
  let api: TestApp;
  let shop: Shop;

  beforeAll(async () => {
    api = await createTestApp();
    shop = createShop({ baseUrl: "http://shop.test", fetch: checkedFetch(api) });
  });
  afterAll(async () => {
    await api.close();
  });

  it("calls an operation with its query, and one that needs nothing with no argument", async () => {
    const tree = await shop.listCategories({ query: { depth: 1 } });
    expect(tree.data.length).toBeGreaterThan(0);
    expect(tree.data.every((category) => category.children.length === 0)).toBe(true);
    const health = await shop.getHealth();
    expect(health.status).toBe("ok");
  });

  it("throws a problem as an ApiError with its status, code, field errors and request id", async () => {
    const failing = shop.listCategories({ query: { depth: 99 } });
    await expect(failing).rejects.toBeInstanceOf(ApiError);
    const error = (await failing.catch((caught: unknown) => caught)) as ApiError;
    expect(error.status).toBe(400);
    expect(error.is("validation_failed")).toBe(true);
    expect(error.errors[0]).toMatchObject({ location: "query", field: "depth" });
    expect(error.requestId).toMatch(/.+/);
    const missing = await shop.getProduct({ path: { id: 999_999 } }).catch((caught: unknown) => caught);
    expect(missing).toMatchObject({ status: 404, code: "not_found" });
  });

  it("buys from cart to order, making an Idempotency-Key for each call that takes one", async () => {
    const admin = await signedInAdmin(api);
    const productId = await productWithStock(api, admin, 5, 1800);
    const account = newAccount("sdk");
    const registered = await shop.registerAccount({ body: account });
    const customer = createShop({
      baseUrl: "http://shop.test",
      fetch: checkedFetch(api),
      accessToken: registered.accessToken,
    });
    const cart = await customer.addCartLine({ body: { productId, quantity: 2 } });
    expect(cart.itemCount).toBe(2);
    const checkout = await customer.startCheckout();
    await customer.updateCheckout({
      path: { checkoutId: checkout.id },
      body: { email: account.email, shippingAddress: ADDRESS, shippingMethod: "express" },
    });
    const payment = await customer.createPayment({ path: { checkoutId: checkout.id } });
    expect(payment.amount.amount).toBe(2 * 1800 + 995);
    testProvider(api).pay(payment.providerPaymentId, "succeeded");
    const order = await customer.createOrder({
      body: { checkoutId: checkout.id },
      idempotencyKey: "sdk-order-0001",
    });
    expect(order.status).toBe("paid");
    const again = await customer.createOrder({
      body: { checkoutId: checkout.id },
      idempotencyKey: "sdk-order-0001",
    });
    expect(again.id).toBe(order.id);
    const mine = await customer.listOrders();
    expect(mine.data.map((summary) => summary.id)).toEqual([order.id]);
  });

  it("walks a cursor-paginated list with paginate, page after page", async () => {
    const admin = await signedInAdmin(api);
    const made: number[] = [];
    for (let index = 0; index < 5; index += 1)
      made.push(await publishedProduct(api, admin, `Pagination Pumpkin ${index}`));
    let requests = 0;
    const checked = checkedFetch(api);
    const counting = createShop({
      baseUrl: "http://shop.test",
      fetch: ((input: Request, init?: RequestInit) => {
        requests += 1;
        return checked(input, init);
      }) as typeof fetch,
    });
    const found: number[] = [];
    for await (const product of counting.paginate("listProducts", {
      query: { q: "pagination pumpkin", limit: 2 },
    })) {
      found.push(product.id);
    }
    expect(found.sort((a, b) => a - b)).toEqual(made.sort((a, b) => a - b));
    expect(requests).toBe(3);
  });
});
