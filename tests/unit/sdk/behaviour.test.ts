// What the SDK does between a call and its answer, against a scripted fetch: which failures it
// retries (and with which key), how long it waits, when it refreshes a token, when it gives up.
import { describe, expect, it } from "vitest";
import { ApiError, createShop, type ShopOptions } from "../../../src/sdk";

const problem = (status: number, code: string, headers: Record<string, string> = {}) =>
  new Response(
    JSON.stringify({
      type: `https://joxicrochet.shop/problems/${code}`,
      title: code,
      status,
      code,
      requestId: "r-1",
    }),
    {
      status,
      headers: { "content-type": "application/problem+json", ...headers },
    },
  );
const ok = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** A fetch that answers from a script, one entry per request, and keeps what it was sent. */
function scripted(...answers: (Response | Error | (() => Promise<Response>))[]) {
  const sent: Request[] = [];
  const fetch = (async (input: Request) => {
    sent.push(input.clone() as unknown as Request);
    const next = answers.shift();
    if (next === undefined) throw new Error("the script ran out");
    if (next instanceof Error) throw next;
    return typeof next === "function" ? next() : next;
  }) as typeof globalThis.fetch;
  return { fetch, sent };
}

const shopWith = (fetch: typeof globalThis.fetch, options: Partial<ShopOptions> = {}) =>
  createShop({ baseUrl: "http://shop.test", fetch, retry: { baseDelayMs: 1, maxDelayMs: 5 }, ...options });

const health = { status: "ok", version: "0.1.0", uptimeSeconds: 1 };

describe("the SDK's retries, keys, tokens and time limits", () => {
  it("retries a safe call after a network error and a 503, waiting what Retry-After says", async () => {
    const { fetch, sent } = scripted(
      new TypeError("connection reset"),
      problem(503, "overloaded", { "retry-after": "1" }),
      ok(health),
    );
    const started = Date.now();
    await expect(shopWith(fetch).getHealth()).resolves.toEqual(health);
    expect(sent).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("gives up after the retries it was allowed, with the last problem as an ApiError", async () => {
    const { fetch, sent } = scripted(
      problem(429, "rate_limited"),
      problem(429, "rate_limited"),
      problem(429, "rate_limited"),
    );
    const failing = await shopWith(fetch, { retry: { retries: 2, baseDelayMs: 1 } })
      .getHealth()
      .catch((e: unknown) => e);
    expect(failing).toBeInstanceOf(ApiError);
    expect(failing).toMatchObject({ status: 429, code: "rate_limited", requestId: "r-1" });
    expect(sent).toHaveLength(3);
  });

  it("never retries a write without an idempotency key; retries one with it, with the same key each time", async () => {
    const plain = scripted(problem(503, "overloaded"));
    const refused = await shopWith(plain.fetch)
      .addCartLine({ body: { productId: 1, quantity: 1 } })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 503 });
    expect(plain.sent).toHaveLength(1);

    const order = { id: "ord_Hq2Vb8Kc4Lm7Np1Rs5Tw9X" };
    const keyed = scripted(new TypeError("socket hang up"), problem(503, "overloaded"), ok(order, 201));
    await shopWith(keyed.fetch).createOrder({ body: { checkoutId: "chk_Zx3kQ9v2Lp8Rt5Wm1Yb7Nc" } });
    const keys = keyed.sent.map((request) => request.headers.get("idempotency-key"));
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    const given = scripted(ok(order, 201));
    await shopWith(given.fetch).createOrder({
      body: { checkoutId: "chk_Zx3kQ9v2Lp8Rt5Wm1Yb7Nc" },
      idempotencyKey: "my-own-key-001",
    });
    expect(given.sent[0]?.headers.get("idempotency-key")).toBe("my-own-key-001");
  });

  it("on a 401 refreshes the access token once and repeats the call with the new one", async () => {
    const tokens: string[] = [];
    const { fetch, sent } = scripted(
      problem(401, "invalid_token"),
      ok({ accessToken: "fresh-token", tokenType: "Bearer", expiresIn: 900 }),
      ok(health),
    );
    const shop = shopWith(fetch, {
      accessToken: "stale-token",
      onAccessToken: (token) => tokens.push(token),
    });
    await shop.getHealth();
    expect(sent.map((request) => new URL(request.url).pathname)).toEqual([
      "/health",
      "/api/auth/refresh",
      "/health",
    ]);
    expect(sent[0]?.headers.get("authorization")).toBe("Bearer stale-token");
    expect(sent[2]?.headers.get("authorization")).toBe("Bearer fresh-token");
    expect(sent[1]?.credentials).toBe("include");
    expect(tokens).toEqual(["fresh-token"]);
    expect(shop.accessToken).toBe("fresh-token");

    const refused = scripted(problem(401, "invalid_token"), problem(401, "unauthenticated"));
    const error = await shopWith(refused.fetch, { accessToken: "stale" })
      .getHealth()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, code: "invalid_token" });
    expect(refused.sent).toHaveLength(2);
  });

  it("gives up at the time limit, and when the caller aborts", async () => {
    const never = () => new Promise<Response>(() => {});
    const slow = scripted(never);
    const timedOut = await shopWith(slow.fetch)
      .getHealth({ timeoutMs: 50 })
      .catch((e: unknown) => e);
    expect((timedOut as Error).name).toBe("TimeoutError");

    const controller = new AbortController();
    const waiting = scripted(problem(503, "overloaded", { "retry-after": "30" }));
    const pending = shopWith(waiting.fetch)
      .getHealth({ signal: controller.signal })
      .catch((e: unknown) => e);
    controller.abort();
    expect(((await pending) as Error).name).toBe("AbortError");
  });
});
