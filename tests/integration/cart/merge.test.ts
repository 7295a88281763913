import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cartLines, carts } from "../../../db/schema/index.ts";
import { type ApiResponse, createTestApp, type TestApp } from "../../support/app";
import { bearer, cookieHeader, json, newAccount, registered, signedInAdmin } from "../../support/auth";
import { CART_COOKIE, guestCartWith } from "../../support/cart";
import { patchAnyVersion, publishedProduct } from "../../support/catalog";
import { totp } from "../../support/totp";

const clearsCartCookie = (response: ApiResponse) =>
  response.headers
    .getSetCookie()
    .some((line) => line.startsWith(`${CART_COOKIE}=;`) && /Max-Age=0/i.test(line));

const quantities = (cart: { lines: { productId: number; quantity: number }[] }) =>
  Object.fromEntries(cart.lines.map((line) => [line.productId, line.quantity]));

describe("signing in with a guest cart", () => {
  let api: TestApp;
  let admin: Record<string, string>;

  beforeAll(async () => {
    api = await createTestApp();
    admin = await signedInAdmin(api);
  });
  afterAll(async () => {
    await api.close();
  });

  const guestCart = (lines: [productId: number, quantity: number][]) => guestCartWith(api, lines);

  const login = (account: { email: string; password: string }, cookie: string) =>
    api.request("/api/auth/login", json({ email: account.email, password: account.password }, { cookie }));

  it("merges into the customer's cart at login: quantities summed and capped by stock, the guest cart gone", async () => {
    // Each product has 4 in stock.
    const shared = await publishedProduct(api, admin);
    const guestOnly = await publishedProduct(api, admin);
    const customerOnly = await publishedProduct(api, admin);
    const capped = await publishedProduct(api, admin);
    const withdrawn = await publishedProduct(api, admin);

    const customer = await registered(api);
    for (const [productId, quantity] of [
      [shared, 1],
      [customerOnly, 2],
      [capped, 3],
    ]) {
      await api.request("/api/cart/lines", json({ productId, quantity }, bearer(customer.token)));
    }
    const guest = await guestCart([
      [shared, 2],
      [guestOnly, 1],
      [capped, 3],
      [withdrawn, 1],
    ]);
    await api.request(`/api/products/${withdrawn}`, patchAnyVersion({ status: "archived" }, admin));

    const signedIn = await login(customer.account, guest);
    expect(signedIn.status, signedIn.text).toBe(200);
    expect(clearsCartCookie(signedIn)).toBe(true);

    const cart = await api.request("/api/cart", { headers: bearer(signedIn.body.accessToken) });
    expect(quantities(cart.body)).toEqual({ [shared]: 3, [customerOnly]: 2, [capped]: 4, [guestOnly]: 1 });
    // The guest cart no longer exists: its cookie reaches nothing.
    expect((await api.request("/api/cart", { headers: { cookie: guest } })).body.lineCount).toBe(0);
    const guestRows = await api.database.db
      .select()
      .from(carts)
      .where(eq(carts.userId, signedIn.body.user.id));
    expect(guestRows).toHaveLength(1);
  });

  it("keeps the price the guest saw, so the merged line still reports a change since", async () => {
    const repriced = await publishedProduct(api, admin, undefined, 3000);
    const guest = await guestCart([[repriced, 1]]);
    await api.request(
      `/api/products/${repriced}`,
      patchAnyVersion({ price: { amount: 3300, currency: "EUR" } }, admin),
    );
    const { account } = await registered(api);
    const signedIn = await login(account, guest);
    const cart = await api.request("/api/cart", { headers: bearer(signedIn.body.accessToken) });
    expect(cart.body.lines[0]).toMatchObject({
      unitPrice: { amount: 3000 },
      currentPrice: { amount: 3300 },
      changes: ["price_changed"],
    });
  });

  it("merges at registration too, which signs the new customer in", async () => {
    const productId = await publishedProduct(api, admin);
    const guest = await guestCart([[productId, 2]]);
    const created = await api.request("/api/auth/register", json(newAccount(), { cookie: guest }));
    expect(created.status, created.text).toBe(201);
    expect(clearsCartCookie(created)).toBe(true);
    const cart = await api.request("/api/cart", { headers: bearer(created.body.accessToken) });
    expect(quantities(cart.body)).toEqual({ [productId]: 2 });
  });

  it("waits for the second factor: nothing merges until the sign-in completes", async () => {
    const productId = await publishedProduct(api, admin);
    const { account, token } = await registered(api);
    const setup = await api.request(
      "/api/auth/two-factor/enable",
      json({ password: account.password }, bearer(token)),
    );
    const confirmed = await api.request(
      "/api/auth/two-factor/verify",
      json({ code: totp(setup.body.totpUri) }, bearer(token)),
    );
    expect(confirmed.status, confirmed.text).toBe(200);

    const guest = await guestCart([[productId, 1]]);
    const pending = await login(account, guest);
    expect(pending.body).toEqual({ status: "two_factor_required" });
    expect(clearsCartCookie(pending)).toBe(false);
    expect(
      (await api.request("/api/cart", { headers: bearer(confirmed.body.accessToken) })).body.lineCount,
    ).toBe(0);
    expect((await api.request("/api/cart", { headers: { cookie: guest } })).body.lineCount).toBe(1);

    const pendingCookie = cookieHeader(pending);
    const completed = await api.request(
      "/api/auth/two-factor/backup-codes/verify",
      json({ code: setup.body.backupCodes[0] }, { cookie: `${pendingCookie}; ${guest}` }),
    );
    expect(completed.status, completed.text).toBe(200);
    expect(clearsCartCookie(completed)).toBe(true);
    const cart = await api.request("/api/cart", { headers: bearer(completed.body.accessToken) });
    expect(quantities(cart.body)).toEqual({ [productId]: 1 });
  });

  it("merges nothing on a failed sign-in", async () => {
    const productId = await publishedProduct(api, admin);
    const guest = await guestCart([[productId, 1]]);
    const { account } = await registered(api);
    const refused = await login({ ...account, password: "not-the-password-at-all" }, guest);
    expect(refused.status).toBe(401);
    expect(clearsCartCookie(refused)).toBe(false);
    const lines = await api.database.db
      .select()
      .from(cartLines)
      .innerJoin(carts, eq(carts.id, cartLines.cartId));
    expect(
      lines.some((row) => row.cart_lines.productId === productId && row.carts.guestTokenHash !== null),
    ).toBe(true);
  });
});
