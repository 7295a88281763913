// The shop end to end, through the SDK only, against the real server on Bun as a process of its
// own (on the embedded default, and on PostgreSQL and Redis when the run has them): a shopper
// from registration to a paid order and its mails, and an admin from a new product with a photo
// to the order shipped.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { simpleParser } from "mailparser";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEVELOPMENT_WEBHOOK_SECRET } from "../../src/config";
import { signedTestEvent } from "../../src/platform/payments/test-provider";
import { ApiError, createShop, type Shop } from "../../src/sdk";
import { cookieJarFetch } from "./support/cookie-jar";
import {
  BUN,
  E2E_AUTH_SECRET,
  e2eDatabaseUrl,
  ROOT,
  type RunningServer,
  startServer,
} from "./support/server";

const run = promisify(execFile);
const shopper = {
  email: `journey-${Date.now()}@example.com`,
  password: "granny-square-autumn-42",
  name: "Ada Lovelace",
};
const ADDRESS = {
  name: "Ada Lovelace",
  line1: "12 Wool Street",
  postalCode: "10115",
  city: "Berlin",
  country: "DE",
};

/** The mails the server wrote to its outbox folder (no SMTP server in these runs), to one address. */
async function mailsTo(dataDir: string, to: string): Promise<{ subject: string; text: string }[]> {
  const folder = join(dataDir, "outbox");
  const files = (() => {
    try {
      return readdirSync(folder)
        .filter((name) => name.endsWith(".eml"))
        .sort();
    } catch {
      return [];
    }
  })();
  const mails = await Promise.all(files.map(async (name) => simpleParser(readFileSync(join(folder, name)))));
  return mails
    .filter((mail) => JSON.stringify(mail.to ?? "").includes(to))
    .map((mail) => ({ subject: mail.subject ?? "", text: mail.text ?? "" }));
}

async function mailWith(
  dataDir: string,
  to: string,
  subject: string,
): Promise<{ subject: string; text: string }> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const found = (await mailsTo(dataDir, to)).find((mail) => mail.subject.startsWith(subject));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail "${subject}" to ${to}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("journeys through the SDK against the running server", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "jc-journeys-"));
  const staff = { email: `staff-${Date.now()}@example.com`, password: "" };
  let server: RunningServer;
  let shop: Shop;
  let admin: Shop;
  let orderId: string;
  let productId: number;

  beforeAll(async () => {
    // A staff account made by the CLI on the database the server will use.
    const database = await e2eDatabaseUrl();
    const created = await run(BUN, ["src/cli/admin-create.ts", staff.email, "Staff"], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...(database ? { DATABASE_URL: database } : {}),
        DATA_DIR: dataDir,
        AUTH_SECRET: E2E_AUTH_SECRET,
      },
    });
    staff.password = /one-time password: (\S+)/.exec(created.stdout)?.[1] ?? "";
    server = await startServer({ DATA_DIR: dataDir });
    shop = createShop({ baseUrl: server.url, fetch: cookieJarFetch().fetch });
    admin = createShop({ baseUrl: server.url, fetch: cookieJarFetch().fetch });
    await admin.signIn({ body: { email: staff.email, password: staff.password } });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("an admin creates a product with a photo", async () => {
    const product = await admin.createProduct({
      body: {
        name: "Journey Granny Square Blanket",
        price: { amount: 5900, currency: "EUR" },
        categoryId: 2,
        stockLevel: 3,
        status: "active",
      },
    });
    productId = product.id;
    const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: "#c06080" } })
      .png()
      .toBuffer();
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(photo)], { type: "image/png" }), "blanket.png");
    const image = await admin.uploadProductImage({ path: { id: product.id }, body: form as never });
    expect(image.urls.thumbnail).toMatch(/\/images\/img_/);
    const shown = await shop.getProduct({ path: { id: product.id } });
    expect(shown.images).toHaveLength(1);
  });

  it("a shopper registers, verifies the e-mail with the mailed token, and signs out", async () => {
    const registered = await shop.registerAccount({ body: shopper });
    expect(registered.user.emailVerified).toBe(false);
    const mail = await mailWith(server.dataDir, shopper.email, "Confirm your e-mail address");
    const token = /Verification token: (\S+)/.exec(mail.text)?.[1] ?? "";
    const verified = await shop.verifyEmail({ body: { token } });
    expect(verified.emailVerified).toBe(true);
    await shop.signOut();
    await expect(shop.getCurrentUser()).rejects.toBeInstanceOf(ApiError);
  });

  it("browses, finds the blanket despite a typo, fills a cart as a guest and signs in with it merged", async () => {
    const categories = await shop.listCategories({ query: { depth: 1 } });
    expect(categories.data.length).toBeGreaterThan(0);
    const found = await shop.listProducts({ query: { q: "granny squar blankt" } });
    expect(found.data.map((product) => product.id)).toContain(productId);
    const guestCart = await shop.addCartLine({ body: { productId, quantity: 2 } });
    expect(guestCart.itemCount).toBe(2);
    await shop.signIn({ body: { email: shopper.email, password: shopper.password } });
    const cart = await shop.getCart();
    expect(cart.lines.map((line) => [line.productId, line.quantity])).toEqual([[productId, 2]]);
  });

  it("sees a new price at once, cache included", async () => {
    expect((await shop.getProduct({ path: { id: productId } })).price.amount).toBe(5900);
    await admin.updateProduct({
      path: { id: productId },
      headers: { "if-match": "*" },
      body: { price: { amount: 4900, currency: "EUR" } },
    });
    expect((await shop.getProduct({ path: { id: productId } })).price.amount).toBe(4900);
  });

  it("checks out, pays through the test provider's webhook, and sees the order and its mails", async () => {
    const checkout = await shop.startCheckout();
    await shop.updateCheckout({
      path: { checkoutId: checkout.id },
      body: { email: shopper.email, shippingAddress: ADDRESS, shippingMethod: "standard" },
    });
    const payment = await shop.createPayment({ path: { checkoutId: checkout.id } });
    // The provider's part: its signed event, as it would send it to the shop.
    const event = signedTestEvent(DEVELOPMENT_WEBHOOK_SECRET, payment.providerPaymentId, "succeeded");
    const receipt = await shop.receivePaymentWebhook({
      path: { provider: "test" },
      headers: event.headers,
      body: JSON.parse(event.body),
    });
    expect(receipt.duplicate).toBe(false);
    const order = await shop.createOrder({ body: { checkoutId: checkout.id } });
    orderId = order.id;
    // At the new price: the cart kept 59.00, the checkout took today's 49.00.
    expect(order).toMatchObject({ status: "paid", itemCount: 2, total: { amount: 2 * 4900 + 495 } });
    expect((await shop.listOrders()).data.map((summary) => summary.id)).toEqual([order.id]);
    await mailWith(server.dataDir, shopper.email, `Your JoxiCrochet order ${order.id}`);
    await mailWith(server.dataDir, shopper.email, `Payment received for your JoxiCrochet order ${order.id}`);
  });

  it("an admin moves the order to shipped; the shopper sees it and gets the mail", async () => {
    await admin.updateOrderStatus({ path: { orderId }, body: { status: "processing" } });
    await admin.updateOrderStatus({
      path: { orderId },
      body: { status: "shipped", note: "DHL 00340434161094042557" },
    });
    const order = await shop.getOrder({ path: { orderId } });
    expect(order.status).toBe("shipped");
    expect(order.history.map((entry) => entry.to)).toEqual(["paid", "processing", "shipped"]);
    const mail = await mailWith(server.dataDir, shopper.email, "Your JoxiCrochet order is on its way");
    expect(mail.text).toContain("DHL 00340434161094042557");
  });
});
