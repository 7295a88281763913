// `npm run bench -- checkout`: many buyers at once, each going from cart to paid order in a loop
// (a closed model: every buyer starts the next purchase when the last one ends), against the real
// server, and the same six-request loop against a bare Bun server in the same run as the baseline.
// A buyer's purchase: add a line (as a new guest), start the checkout, set its details, create the
// payment, have the test provider report it paid (its signed webhook, as the provider would send
// it), and create the order. Figures: orders/s, the purchase's p50/p99 and each step's p99.
//   BENCH_BUYERS (32)   BENCH_DURATION (s, 20)   DATABASE_URL / REDIS_URL select the services

import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { DEVELOPMENT_WEBHOOK_SECRET } from "../src/config";
import { signedTestEvent } from "../src/platform/payments/test-provider";
import { record } from "./paired";
import { BUN, REPOSITORY, startServer } from "./server";
import { type LatencySummary, round, Samples } from "./stats";
import { startBareServer } from "./throughput";

const BUYERS = Number(process.env.BENCH_BUYERS ?? 32);
const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 20);
const PRODUCTS = 20;
const STEPS = ["cart", "checkout", "details", "payment", "webhook", "order"] as const;
type Step = (typeof STEPS)[number];

const DEMO_ADMIN = { email: "admin@joxicrochet.test", password: "crochet-admin-demo" };
const BENCH_ADMIN = {
  email: "bench-admin@joxicrochet.test",
  password: "bench-admin-password-crochet",
  name: "Bench Admin",
};
const ADDRESS = {
  name: "Bench Buyer",
  line1: "1 Load Street",
  postalCode: "10115",
  city: "Berlin",
  country: "DE",
};

interface Outcome {
  purchases: number;
  failed: number;
  failures: Record<string, number>;
  wallSeconds: number;
  purchase: LatencySummary;
  steps: Record<Step, LatencySummary>;
}

async function call(url: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${url}${path}`, {
    ...init,
    headers: { "content-type": "application/json", ...init.headers },
  });
}

/** A staff token: the embedded shop's demo admin, or a bench admin promoted on PostgreSQL. */
async function staffToken(url: string): Promise<string> {
  let credentials = DEMO_ADMIN;
  if (process.env.DATABASE_URL) {
    await (
      await call(url, "/api/auth/register", { method: "POST", body: JSON.stringify(BENCH_ADMIN) })
    ).arrayBuffer();
    execFileSync(BUN, ["src/cli/admin-create.ts", BENCH_ADMIN.email], { cwd: REPOSITORY, stdio: "ignore" });
    credentials = BENCH_ADMIN;
  }
  const login = await call(url, "/api/auth/login", {
    method: "POST",
    body: JSON.stringify({ email: credentials.email, password: credentials.password }),
  });
  if (!login.ok) throw new Error(`bench admin login: ${login.status} ${await login.text()}`);
  return ((await login.json()) as { accessToken: string }).accessToken;
}

/** Products with stock enough for the whole run. */
async function stockedProducts(url: string, token: string): Promise<number[]> {
  const ids: number[] = [];
  for (let index = 0; index < PRODUCTS; index += 1) {
    const created = await call(url, "/api/products", {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({
        name: `Bench Bunny ${randomUUID().slice(0, 8)}`,
        price: { amount: 1500 + index * 100, currency: "EUR" },
        categoryId: 2,
        stockLevel: 100_000,
        status: "active",
      }),
    });
    if (created.status !== 201) throw new Error(`bench product: ${created.status} ${await created.text()}`);
    ids.push(((await created.json()) as { id: number }).id);
  }
  return ids;
}

type Flow = (url: string, products: number[], time: (step: Step, started: number) => void) => Promise<void>;

/** One purchase through the shop's API; throws with the step and status that failed. */
const purchase: Flow = async (url, products, time) => {
  const step = async (name: Step, path: string, init: RequestInit, expected: number[]) => {
    const started = performance.now();
    const response = await call(url, path, init);
    const body = await response.text();
    if (!expected.includes(response.status)) throw new Error(`${name} ${response.status}`);
    time(name, started);
    return { response, body: body ? JSON.parse(body) : {} };
  };
  const productId = products[Math.floor(Math.random() * products.length)];
  const cart = await step(
    "cart",
    "/api/cart/lines",
    { method: "POST", body: JSON.stringify({ productId, quantity: 1 }) },
    [200],
  );
  const cookie = (cart.response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const headers = { cookie };
  const checkout = await step("checkout", "/api/checkouts", { method: "POST", headers }, [201]);
  const id = checkout.body.id as string;
  await step(
    "details",
    `/api/checkouts/${id}`,
    {
      method: "PATCH",
      headers,
      body: JSON.stringify({
        email: "buyer@joxicrochet.test",
        shippingAddress: ADDRESS,
        shippingMethod: "standard",
      }),
    },
    [200],
  );
  const payment = await step(
    "payment",
    `/api/checkouts/${id}/payment`,
    { method: "POST", headers: { ...headers, "idempotency-key": randomUUID() } },
    [201],
  );
  const paid = signedTestEvent(DEVELOPMENT_WEBHOOK_SECRET, payment.body.providerPaymentId, "succeeded");
  await step(
    "webhook",
    "/api/payments/webhooks/test",
    { method: "POST", headers: { ...paid.headers }, body: paid.body },
    [200],
  );
  await step(
    "order",
    "/api/orders",
    {
      method: "POST",
      headers: { ...headers, "idempotency-key": randomUUID() },
      body: JSON.stringify({ checkoutId: id }),
    },
    [200, 201],
  );
};

/** The same six requests in the same order against the bare server, which answers each at once. */
const baselineLoop: Flow = async (url, _products, time) => {
  for (const name of STEPS) {
    const started = performance.now();
    const response = await fetch(`${url}/`, { method: "POST", body: "{}" });
    await response.arrayBuffer();
    time(name, started);
  }
};

async function drive(
  url: string,
  products: number[],
  flow: Flow,
  seconds = DURATION_SECONDS,
): Promise<Outcome> {
  const steps = Object.fromEntries(STEPS.map((name) => [name, new Samples()])) as Record<Step, Samples>;
  const whole = new Samples();
  const failures: Record<string, number> = {};
  let purchases = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const buyer = async () => {
    while (performance.now() < deadline) {
      const begun = performance.now();
      try {
        await flow(url, products, (name, at) => steps[name].add(performance.now() - at));
        whole.add(performance.now() - begun);
        purchases += 1;
      } catch (error) {
        failed += 1;
        const reason = error instanceof Error ? error.message : String(error);
        failures[reason] = (failures[reason] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: BUYERS }, buyer));
  return {
    purchases,
    failed,
    failures,
    wallSeconds: round((performance.now() - started) / 1000),
    purchase: whole.summary(),
    steps: Object.fromEntries(STEPS.map((name) => [name, steps[name].summary()])) as Record<
      Step,
      LatencySummary
    >,
  };
}

export async function runCheckout(runtime: string): Promise<void> {
  const baselineServer = await startBareServer(new TextEncoder().encode("{}"), [
    ["content-type", "application/json"],
  ]);
  let baseline: Outcome;
  try {
    await drive(baselineServer.url, [], baselineLoop, 5); // warm-up at the same concurrency
    baseline = await drive(baselineServer.url, [], baselineLoop);
  } finally {
    await baselineServer.stop();
  }
  const server = await startServer();
  let shop: Outcome;
  try {
    const products = await stockedProducts(server.url, await staffToken(server.url));
    console.log(`checkout: ${BUYERS} buyers for ${DURATION_SECONDS} s (after a 5 s warm-up)`);
    await drive(server.url, products, purchase, 5);
    shop = await drive(server.url, products, purchase);
  } finally {
    await server.stop();
  }
  const ordersPerSecond = round(shop.purchases / shop.wallSeconds);
  const baselinePerSecond = round(baseline.purchases / baseline.wallSeconds);
  const rows = [
    {
      run: "baseline: bare Bun.serve, the same 6 requests",
      "loops/s": baselinePerSecond,
      "p50 ms": baseline.purchase.p50Ms,
      "p99 ms": baseline.purchase.p99Ms,
      failed: baseline.failed,
    },
    {
      run: "shop: cart to paid order",
      "loops/s": ordersPerSecond,
      "p50 ms": shop.purchase.p50Ms,
      "p99 ms": shop.purchase.p99Ms,
      failed: shop.failed,
    },
  ];
  console.table(rows);
  console.log(
    `orders/s: ${ordersPerSecond} (${round((100 * ordersPerSecond) / baselinePerSecond, 1)} % of the baseline's loops/s)`,
  );
  console.table(
    Object.fromEntries(
      STEPS.map((name) => [name, { "p50 ms": shop.steps[name].p50Ms, "p99 ms": shop.steps[name].p99Ms }]),
    ),
  );
  if (shop.failed > 0) console.log("failures:", shop.failures);
  record("checkout", runtime, {
    buyers: BUYERS,
    durationSeconds: DURATION_SECONDS,
    ordersPerSecond,
    baselineLoopsPerSecond: baselinePerSecond,
    shop,
    baseline,
  });
}
