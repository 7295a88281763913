// Stateless across instances: three API processes on one PostgreSQL and one Redis, behind nginx
// configured from the deployment's own template, as Swarm runs them. Each test sends its requests
// to named instances (or through nginx) and shows that nothing depends on which one answers.
// Needs PostgreSQL and Redis: it runs in the services pass of the suite.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import autocannon from "autocannon";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../bench/server";
import { DEVELOPMENT_WEBHOOK_SECRET } from "../../src/config";
import { signedTestEvent } from "../../src/platform/payments/test-provider";
import { createShop, type Shop } from "../../src/sdk";
import { cookieJarFetch } from "../e2e/support/cookie-jar";
import { BUN, E2E_AUTH_SECRET, ROOT, type RunningServer, startServer } from "../e2e/support/server";
import { createEmptyDatabase } from "../support/database";
import { type RunningNginx, startNginx } from "../support/nginx";
import { ADDRESS } from "../support/orders";
import { contractCheckedFetch } from "../support/sdk";

const run = promisify(execFile);
const services = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);

/** A client of its own: own cookies, own address (nginx and the API believe X-Forwarded-For from 127.0.0.1). */
function client(ip: string) {
  const jar = cookieJarFetch();
  const withAddress = (async (input: Request | string | URL, init?: RequestInit) => {
    const request = input instanceof Request ? new Request(input, init) : new Request(String(input), init);
    request.headers.set("x-forwarded-for", ip);
    return jar.fetch(request);
  }) as typeof fetch;
  const checked = contractCheckedFetch(withAddress);
  return {
    /** The same client (cookies, address) talking to one base URL. */
    at: (baseUrl: string): Shop => createShop({ baseUrl, fetch: checked, retry: { retries: 0 } }),
  };
}

let nextIp = 1;
const freshIp = () => `203.0.113.${nextIp++}`;

async function mailFiles(dataDir: string): Promise<{ to: string; subject: string }[]> {
  const folder = join(dataDir, "outbox");
  let names: string[] = [];
  try {
    names = readdirSync(folder).filter((name) => name.endsWith(".eml"));
  } catch {
    return [];
  }
  return Promise.all(
    names.map(async (name) => {
      const mail = await simpleParser(readFileSync(join(folder, name)));
      return { to: JSON.stringify(mail.to ?? ""), subject: mail.subject ?? "" };
    }),
  );
}

describe.skipIf(!services)("three API instances behind nginx, one PostgreSQL, one Redis", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "jc-cluster-"));
  const staff = { email: `staff-${Date.now()}@example.com`, password: "" };
  let database: { url: string; drop(): Promise<void> };
  let instances: RunningServer[] = [];
  let nginx: RunningNginx;
  const urls = () => instances.map((instance) => instance.url);

  beforeAll(async () => {
    database = await createEmptyDatabase(process.env.DATABASE_URL as string);
    const shared = {
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      AUTH_SECRET: E2E_AUTH_SECRET,
      SEED_PHOTOS: "false",
    };
    // The deployment's order: the one-shot migration job (seeding the empty catalog), then replicas
    // that neither migrate nor seed.
    await run(BUN, ["db/migrate.ts", "--seed"], { cwd: ROOT, env: { ...process.env, ...shared } });
    const created = await run(BUN, ["src/cli/admin-create.ts", staff.email, "Staff"], {
      cwd: ROOT,
      env: { ...process.env, ...shared },
    });
    staff.password = /one-time password: (\S+)/.exec(created.stdout)?.[1] ?? "";
    const port = await freePort();
    // One prefix for the three: they share every key (and this run shares nothing with others).
    const redisPrefix = `jc-cluster-${randomBytes(4).toString("hex")}:`;
    instances = await Promise.all(
      [1, 2, 3].map(() =>
        startServer({
          ...shared,
          REDIS_KEY_PREFIX: redisPrefix,
          MIGRATE_ON_START: "false",
          SEED_ON_START: "false",
          // A worker in every instance: the outbox must still send each mail once.
          RUN_WORKER: "true",
          TRUSTED_PROXIES: "127.0.0.1",
          PUBLIC_URL: `http://127.0.0.1:${port}`,
        }),
      ),
    );
    nginx = await startNginx(
      instances.map((instance) => `127.0.0.1:${instance.port}`),
      port,
    );
  }, 180_000);

  afterAll(async () => {
    await nginx?.stop();
    await Promise.all(instances.map((instance) => instance.stop()));
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it("started every replica without migrating: the job had, and the schema is current", async () => {
    expect((await fetch(`${nginx.url}/nginx-health`)).status).toBe(200);
    for (const instance of instances) {
      expect(instance.logs.join("\n")).not.toMatch(/seed: |waiting for the migration job/);
    }
  });

  it("honours a session made through one instance on the others, and its end on all", async () => {
    const shopper = client(freshIp());
    const email = `cluster-session-${Date.now()}@example.com`;
    const [first, second, third] = urls().map((url) => shopper.at(url)) as [Shop, Shop, Shop];
    const registered = await first.registerAccount({
      body: { email, password: "granny-square-autumn-42", name: "Ada" },
    });
    expect((await second.getCurrentUser()).id).toBe(registered.user.id);
    expect((await third.getCurrentUser()).id).toBe(registered.user.id);
    // The Bearer token signed by one instance's key verifies on the others.
    const signedIn = await second.signIn({ body: { email, password: "granny-square-autumn-42" } });
    if (!("accessToken" in signedIn)) throw new Error("no second factor was set up, yet one is asked for");
    for (const url of urls()) {
      const answer = await fetch(`${url}/api/auth/me`, {
        headers: { authorization: `Bearer ${signedIn.accessToken}` },
      });
      expect(answer.status).toBe(200);
    }
    await third.signOut();
    for (const shop of [first, second, third]) {
      await expect(shop.getCurrentUser()).rejects.toMatchObject({ status: 401 });
    }
  });

  it("continues a cart and a checkout from instance to instance, to one paid order", async () => {
    const shopper = client(freshIp());
    const [first, second, third] = urls().map((url) => shopper.at(url)) as [Shop, Shop, Shop];
    const email = `cluster-buyer-${Date.now()}@example.com`;
    await first.registerAccount({ body: { email, password: "granny-square-autumn-42", name: "Grace" } });
    const product = (await second.listProducts({ query: { limit: 50 } })).data.find(
      (candidate) => candidate.stockLevel !== undefined && candidate.stockLevel >= 2,
    );
    if (!product) throw new Error("the seed has no product with two in stock");
    await first.addCartLine({ body: { productId: product.id, quantity: 1 } });
    const cart = await second.addCartLine({ body: { productId: product.id, quantity: 1 } });
    expect(cart.lines.map((line) => [line.productId, line.quantity])).toEqual([[product.id, 2]]);
    const checkout = await third.startCheckout();
    await first.updateCheckout({
      path: { checkoutId: checkout.id },
      body: { email, shippingAddress: ADDRESS, shippingMethod: "standard" },
    });
    const payment = await second.createPayment({ path: { checkoutId: checkout.id } });
    // The provider's word has not arrived anywhere yet: pending, on an instance that did not make it.
    await expect(third.createOrder({ body: { checkoutId: checkout.id } })).rejects.toMatchObject({
      status: 409,
      code: "payment_pending",
    });
    const event = signedTestEvent(DEVELOPMENT_WEBHOOK_SECRET, payment.providerPaymentId, "succeeded");
    await third.receivePaymentWebhook({
      path: { provider: "test" },
      headers: event.headers,
      body: JSON.parse(event.body),
    });
    const order = await first.createOrder({ body: { checkoutId: checkout.id } });
    expect(order).toMatchObject({ status: "paid", itemCount: 2 });
    // The same event through another instance is a duplicate: one order, whoever receives it.
    const again = await shopper.at(nginx.url).receivePaymentWebhook({
      path: { provider: "test" },
      headers: event.headers,
      body: JSON.parse(event.body),
    });
    expect(again.duplicate).toBe(true);
    for (const shop of [first, second, third]) {
      expect((await shop.listOrders()).data.map((summary) => summary.id)).toEqual([order.id]);
    }
    expect((await third.getCart()).lines).toEqual([]);
  });

  it("shows a catalog write made through one instance at once through the others, cache and all", async () => {
    const admin = client(freshIp());
    const reader = client(freshIp());
    await admin.at(urls()[0] as string).signIn({ body: { email: staff.email, password: staff.password } });
    const id = (await reader.at(nginx.url).listProducts({ query: { limit: 1 } })).data[0]?.id as number;
    // Warm every instance's in-process cache (and Redis) with the current answer.
    const before = await reader.at(urls()[1] as string).getProduct({ path: { id } });
    for (const url of urls())
      for (let read = 0; read < 3; read++) await reader.at(url).getProduct({ path: { id } });
    const cached = await fetch(`${urls()[2]}/api/products/${id}`, {
      headers: { "x-forwarded-for": freshIp() },
    });
    expect(cached.headers.get("x-cache")).toBe("HIT");
    const price = before.price.amount + 111;
    await admin.at(urls()[0] as string).updateProduct({
      path: { id },
      headers: { "if-match": "*" },
      body: { price: { amount: price, currency: "EUR" } },
    });
    for (const url of [...urls(), nginx.url]) {
      expect((await reader.at(url).getProduct({ path: { id } })).price.amount).toBe(price);
      const listed = await reader.at(url).listProducts({ query: { limit: 100 } });
      const row = listed.data.find((product) => product.id === id);
      if (row) expect(row.price.amount).toBe(price);
    }
  });

  it("counts the rate limit once for all instances: the 101st request in a minute is refused on each", async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let request = 0; request < 100; request++) {
      const url = urls()[request % 3] as string;
      const answer = await fetch(`${url}/api/cart`, { headers: { "x-forwarded-for": ip } });
      statuses.push(answer.status);
      await answer.arrayBuffer();
    }
    expect(statuses.filter((status) => status === 429)).toEqual([]);
    for (const url of [...urls(), nginx.url]) {
      const answer = await fetch(`${url}/api/cart`, { headers: { "x-forwarded-for": ip } });
      expect(answer.status).toBe(429);
      expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(0);
      await answer.arrayBuffer();
    }
    // Another client is not affected.
    expect((await fetch(`${nginx.url}/api/cart`, { headers: { "x-forwarded-for": freshIp() } })).status).toBe(
      200,
    );
  });

  it("sends each mail once although every instance runs the outbox worker", async () => {
    const stamp = Date.now();
    const addresses = Array.from({ length: 12 }, (_, index) => `cluster-mail-${stamp}-${index}@example.com`);
    await Promise.all(
      addresses.map((email, index) =>
        client(freshIp())
          .at(urls()[index % 3] as string)
          .registerAccount({ body: { email, password: "granny-square-autumn-42", name: "Mail" } }),
      ),
    );
    const deadline = Date.now() + 20_000;
    const countsOf = async () => {
      const mails = await mailFiles(dataDir);
      return addresses.map((email) => mails.filter((mail) => mail.to.includes(email)).length);
    };
    while ((await countsOf()).some((count) => count === 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Long enough for a second delivery by another worker to show, were there one.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await countsOf()).toEqual(addresses.map(() => 1));
  });

  it("loses no request when an instance is stopped with SIGTERM under load: zero 5xx, zero errors", async () => {
    const paths = [
      "/api/products?limit=20",
      "/api/categories",
      "/api/products/1",
      "/health/ready",
      "/api/cart",
    ];
    let sent = 0;
    let writes = 0;
    const statuses = new Map<number, number>();
    const load = new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: nginx.url,
          connections: 16,
          duration: 8,
          requests: [
            {
              setupRequest: (request) => {
                sent += 1;
                // A different address every 50 requests keeps the load under each client's limit.
                const n = Math.floor(sent / 50);
                const headers = {
                  ...request.headers,
                  "x-forwarded-for": `198.18.${(n >> 8) & 255}.${n & 255}`,
                };
                // One in six writes (a guest's new cart line), which nginx never retries.
                if (sent % 6 === 0) {
                  writes += 1;
                  return {
                    ...request,
                    method: "POST",
                    path: "/api/cart/lines",
                    headers: { ...headers, "content-type": "application/json" },
                    body: JSON.stringify({ productId: 1, quantity: 1 }),
                  };
                }
                return {
                  ...request,
                  method: "GET",
                  path: paths[sent % paths.length] as string,
                  headers,
                  body: undefined,
                };
              },
            },
          ],
        },
        (error, result) => (error ? reject(error) : resolve(result)),
      );
      instance.on("response", (_client, statusCode) => {
        statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
      });
    });
    const stopped = instances[2] as RunningServer;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const exit = stopped.stop("SIGTERM");
    const result = await load;
    expect(await exit).toBe(0);
    expect(stopped.logs.join("\n")).toContain('"msg":"stopped"');
    const serverErrors = [...statuses].filter(([status]) => status >= 500);
    expect({ errors: result.errors, timeouts: result.timeouts, serverErrors }).toEqual({
      errors: 0,
      timeouts: 0,
      serverErrors: [],
    });
    expect(result.requests.total).toBeGreaterThan(500);
    // Reads and cart lines alike answered 200 (a cached read may be 304).
    expect([...statuses.keys()].every((status) => status === 200 || status === 304)).toBe(true);
    expect(writes).toBeGreaterThan(100);
  }, 60_000);
});
