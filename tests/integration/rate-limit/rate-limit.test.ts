import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createRoute, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { OperationPolicy } from "../../../generated/server";
import type { SocketAddressSource } from "../../../src/http/client-ip";
import type { AppEnv } from "../../../src/http/env";
import { createOpenApiApp } from "../../../src/http/openapi-app";
import { HttpProblem } from "../../../src/http/problem";
import { exemptFromGeneralLimit, generalRateLimit, operationRateLimit } from "../../../src/http/rate-limit";
import { trustedProxies as parseTrustedProxies } from "../../../src/net/ip";
import { createLogger } from "../../../src/platform/logger";
import {
  createMemoryRateLimiter,
  createRedisRateLimiter,
  openRateLimiter,
  type RateLimiter,
  withFallback,
} from "../../../src/platform/rate-limit";
import { connectRedis } from "../../../src/platform/redis";

const REDIS_URL = process.env.REDIS_URL;

// ---------------------------------------------------------------------------------------------
// A fixture app on the real app factory: a plain read, a login-like write with its own limit,
// and a probe exempt from the general limit; policies shaped as the generator writes them.

const policy = (overrides: Partial<OperationPolicy>): OperationPolicy => ({
  operationId: "",
  method: "GET",
  path: "",
  honoPath: "",
  tags: [],
  auth: { required: false, schemes: [] },
  roles: [],
  cache: null,
  invalidates: [],
  rateLimit: null,
  generalRateLimit: true,
  idempotency: null,
  body: null,
  ...overrides,
});

const policies = {
  listThings: policy({ operationId: "listThings", path: "/api/things", honoPath: "/api/things" }),
  signIn: policy({
    operationId: "signIn",
    method: "POST",
    path: "/api/login",
    honoPath: "/api/login",
    rateLimit: { limit: 5, windowSeconds: 60, by: ["ip", "email"] },
  }),
  getHealth: policy({
    operationId: "getHealth",
    path: "/health",
    honoPath: "/health",
    generalRateLimit: false,
  }),
  changePassword: policy({
    operationId: "changePassword",
    method: "POST",
    path: "/api/me/password",
    honoPath: "/api/me/password",
    rateLimit: { limit: 2, windowSeconds: 300, by: ["user"] },
  }),
};

const listThings = createRoute({
  method: "get",
  path: "/api/things",
  responses: { 200: { description: "things" } },
});
const signIn = createRoute({
  method: "post",
  path: "/api/login",
  request: {
    body: {
      required: true,
      content: {
        "application/json": { schema: z.strictObject({ email: z.email(), password: z.string().min(8) }) },
      },
    },
  },
  responses: { 200: { description: "signed in" } },
});
const getHealth = createRoute({ method: "get", path: "/health", responses: { 200: { description: "up" } } });
const changePassword = createRoute({
  method: "post",
  path: "/api/me/password",
  responses: { 204: { description: "changed" } },
});

/** Stands in for authentication, which sets `userId` for the signed-in caller. */
const fakeAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const user = c.req.header("x-test-user");
  if (user) c.set("userId", user);
  await next();
};

interface FixtureOptions {
  limiter: RateLimiter;
  perMinute?: number;
  trustedProxies?: string[];
}

function fixtureApp({ limiter, perMinute = 100, trustedProxies: proxyList = [] }: FixtureOptions) {
  const trustedProxies = parseTrustedProxies(proxyList);
  const app = createOpenApiApp(createLogger("silent"));
  app.use(
    generalRateLimit({
      limiter,
      perMinute,
      trustedProxies,
      exempt: exemptFromGeneralLimit(Object.values(policies)),
    }),
  );
  app.use(
    bodyLimit({
      maxSize: 16 * 1024,
      onError: () => {
        throw new HttpProblem({ status: 413, code: "payload_too_large", title: "Payload too large" });
      },
    }),
  );
  app.openapi(listThings, (c) => c.json({ things: [] }, 200));
  app.openapi(
    { ...signIn, middleware: [operationRateLimit(policies.signIn, { limiter, trustedProxies })] },
    (c) => c.json({ email: c.req.valid("json").email }, 200),
  );
  app.openapi(getHealth, (c) => c.json({ status: "ok" }, 200));
  app.openapi(
    {
      ...changePassword,
      middleware: [fakeAuth, operationRateLimit(policies.changePassword, { limiter, trustedProxies })],
    },
    (c) => c.body(null, 204),
  );
  return app;
}

type FixtureApp = ReturnType<typeof fixtureApp>;

/** Bun.serve's `c.env`, telling the app which address the connection comes from. */
const from = (address: string): SocketAddressSource => ({
  requestIP: () => ({ address, family: address.includes(":") ? "IPv6" : "IPv4", port: 40_000 }),
});

function login(app: FixtureApp, ip: string, email: string, extra: Record<string, string> = {}) {
  return app.request(
    "/api/login",
    {
      method: "POST",
      headers: { "content-type": "application/json", ...extra },
      body: JSON.stringify({ email, password: "correct horse battery" }),
    },
    from(ip),
  );
}

// ---------------------------------------------------------------------------------------------
// Counters: Redis (shared, with the in-process fallback) when REDIS_URL is set, in-process
// otherwise; on a frozen clock in the middle of a window, so no window boundary makes a test flaky.

const FROZEN_NOW = 30_000_000 * 60_000 + 30_000;
const frozen = () => FROZEN_NOW;
const connections: Redis[] = [];
const fallbacks: unknown[] = [];

async function connect(keyPrefix: string): Promise<Redis> {
  const redis = connectRedis(REDIS_URL as string, { keyPrefix, onError: () => {} });
  connections.push(redis);
  if (redis.status !== "ready") await once(redis, "ready");
  return redis;
}

async function countersFor(keyPrefix = `test:${randomUUID()}:`): Promise<RateLimiter> {
  const memory = createMemoryRateLimiter({ now: frozen });
  if (!REDIS_URL) return memory;
  const redis = await connect(keyPrefix);
  return withFallback(createRedisRateLimiter(redis, { now: frozen }), memory, (error) =>
    fallbacks.push(error),
  );
}

afterEach(() => {
  // Counted in Redis, not silently in the fallback.
  expect(fallbacks).toEqual([]);
});

afterAll(async () => {
  if (!REDIS_URL) return;
  const plain = connectRedis(REDIS_URL);
  if (plain.status !== "ready") await once(plain, "ready");
  for (const redis of connections) {
    const keys = await plain.keys(`${redis.options.keyPrefix}*`);
    if (keys.length > 0) await plain.del(...keys);
    redis.disconnect();
  }
  plain.disconnect();
});

describe(`rate limits (${REDIS_URL ? "Redis" : "in-process"} counters)`, () => {
  it("lets 100 requests a minute through per client, then answers 429 with Retry-After and RateLimit fields", async () => {
    const app = fixtureApp({ limiter: await countersFor() });
    for (let i = 1; i <= 100; i++) {
      const response = await app.request("/api/things", {}, from("198.51.100.1"));
      expect(response.status).toBe(200);
      expect(response.headers.get("ratelimit-policy")).toBe('"general";q=100;w=60');
      expect(response.headers.get("ratelimit")).toBe(`"general";r=${100 - i};t=90`);
    }
    const refused = await app.request("/api/things", {}, from("198.51.100.1"));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    const retryAfter = Number(refused.headers.get("retry-after"));
    // All 100 sit in the current window, half over: one more fits once they have decayed to
    // 99 in the next window, 30.6 s away.
    expect(retryAfter).toBe(31);
    expect(refused.headers.get("ratelimit")).toBe('"general";r=0;t=90');
    expect(refused.headers.get("ratelimit-policy")).toBe('"general";q=100;w=60');
    expect(await refused.json()).toMatchObject({
      type: "https://joxicrochet.shop/problems/rate_limited",
      title: "Too many requests",
      status: 429,
      code: "rate_limited",
      detail: "Limit of 100 requests per 60 seconds reached; retry in 31 seconds",
      instance: "/api/things",
      requestId: refused.headers.get("x-request-id"),
    });
    // Another client is not affected.
    expect((await app.request("/api/things", {}, from("198.51.100.2"))).status).toBe(200);
  });

  it("counts unknown paths and failed requests, and puts the fields on them", async () => {
    const app = fixtureApp({ limiter: await countersFor(), perMinute: 3 });
    const notFound = await app.request("/api/unicorns", {}, from("198.51.100.3"));
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get("ratelimit")).toBe('"general";r=2;t=90');
    const invalid = await app.request(
      "/api/login",
      { method: "POST", headers: { "content-type": "application/json" }, body: "{" },
      from("198.51.100.3"),
    );
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get("ratelimit-policy")).toBe('"general";q=3;w=60, "signIn";q=5;w=60');
    expect(invalid.headers.get("ratelimit")).toBe('"general";r=1;t=90');
    expect((await app.request("/api/things", {}, from("198.51.100.3"))).status).toBe(200);
    expect((await app.request("/api/things", {}, from("198.51.100.3"))).status).toBe(429);
  });

  it("does not limit nor label operations exempt from the general limit (probes)", async () => {
    const app = fixtureApp({ limiter: await countersFor(), perMinute: 2 });
    for (let i = 0; i < 5; i++) {
      for (const method of ["GET", "HEAD"]) {
        const response = await app.request("/health", { method }, from("198.51.100.4"));
        expect(response.status).toBe(200);
        expect(response.headers.get("ratelimit")).toBeNull();
      }
    }
    expect((await app.request("/api/things", {}, from("198.51.100.4"))).status).toBe(200);
  });

  it("refuses the 6th sign-in for one e-mail, even from another address", async () => {
    const app = fixtureApp({ limiter: await countersFor() });
    for (let i = 1; i <= 5; i++) {
      const response = await login(app, `203.0.113.${i}`, "ada@example.com");
      expect(response.status).toBe(200);
      // Validation still reads the body the limiter has read for the e-mail.
      expect(await response.json()).toEqual({ email: "ada@example.com" });
      expect(response.headers.get("ratelimit-policy")).toBe('"general";q=100;w=60, "signIn";q=5;w=60');
      expect(response.headers.get("ratelimit")).toBe(`"signIn";r=${5 - i};t=90`);
    }
    // Case and spaces do not make another e-mail.
    const refused = await login(app, "203.0.113.99", "  ADA@Example.com ");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("42");
    expect(refused.headers.get("ratelimit")).toBe('"signIn";r=0;t=90');
    expect(refused.headers.get("ratelimit-policy")).toBe('"general";q=100;w=60, "signIn";q=5;w=60');
    expect(await refused.json()).toMatchObject({
      status: 429,
      code: "rate_limited",
      detail: "Limit of 5 requests per 60 seconds for signIn reached; retry in 42 seconds",
    });
    expect((await login(app, "203.0.113.99", "grace@example.com")).status).toBe(200);
  });

  it("refuses the 6th sign-in from one address, whatever the e-mail", async () => {
    const app = fixtureApp({ limiter: await countersFor() });
    for (let i = 1; i <= 5; i++)
      expect((await login(app, "203.0.113.50", `user${i}@example.com`)).status).toBe(200);
    const refused = await login(app, "203.0.113.50", "someone-else@example.com");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("ratelimit")).toBe('"signIn";r=0;t=90');
    // Without an e-mail in the body, the address still counts.
    const noBody = await app.request("/api/login", { method: "POST" }, from("203.0.113.50"));
    expect(noBody.status).toBe(429);
    // The rest of the API is still open to that address.
    expect((await app.request("/api/things", {}, from("203.0.113.50"))).status).toBe(200);
  });

  it("still validates what it has read: unknown fields are refused after the e-mail was counted", async () => {
    const app = fixtureApp({ limiter: await countersFor() });
    const response = await app.request(
      "/api/login",
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "eve@example.com", password: "long enough", role: "admin" }),
      },
      from("203.0.113.60"),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "validation_failed" });
    expect(response.headers.get("ratelimit")).toBe('"signIn";r=4;t=90');
  });

  it("reads the e-mail of a streamed body that bodyLimit buffered, and counts the address read before it", async () => {
    const app = fixtureApp({ limiter: await countersFor() });
    const send = async () => {
      const body = new Blob([JSON.stringify({ email: "bob@example.com", password: "long enough" })]).stream();
      const request = new Request("http://localhost/api/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        duplex: "half",
      } as RequestInit);
      // Like Bun, the server knows the peer only of the request it received, not of bodyLimit's copy.
      const env: SocketAddressSource = {
        requestIP: (r) => (r === request ? { address: "203.0.113.70", family: "IPv4", port: 1 } : null),
      };
      return app.request(request, undefined, env);
    };
    for (let i = 1; i <= 5; i++) expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(429);
    const otherEmail = await login(app, "203.0.113.70", "carol@example.com");
    expect(otherEmail.status).toBe(429); // the ip dimension knew the address: not "unknown"
  });

  it("takes the client address from X-Forwarded-For only behind a trusted proxy", async () => {
    const app = fixtureApp({ limiter: await countersFor(), perMinute: 2, trustedProxies: ["10.0.0.0/8"] });
    const viaProxy = (client: string) =>
      app.request("/api/things", { headers: { "x-forwarded-for": `6.6.6.6, ${client}` } }, from("10.1.2.3"));
    expect((await viaProxy("198.51.100.10")).status).toBe(200);
    expect((await viaProxy("198.51.100.10")).status).toBe(200);
    expect((await viaProxy("198.51.100.10")).status).toBe(429);
    expect((await viaProxy("198.51.100.11")).status).toBe(200);
    // A client talking to the app directly cannot pick a fresh address per request.
    const spoofed = (n: number) =>
      app.request("/api/things", { headers: { "x-forwarded-for": `198.18.0.${n}` } }, from("198.51.100.12"));
    expect((await spoofed(1)).status).toBe(200);
    expect((await spoofed(2)).status).toBe(200);
    expect((await spoofed(3)).status).toBe(429);
  });

  it("counts per signed-in user where the operation says `user`, and not the anonymous", async () => {
    const app = fixtureApp({ limiter: await countersFor() });
    const change = (user?: string) =>
      app.request(
        "/api/me/password",
        { method: "POST", headers: user ? { "x-test-user": user } : {} },
        from("203.0.113.110"),
      );
    expect((await change("usr_1")).headers.get("ratelimit")).toBe('"changePassword";r=1;t=570');
    expect((await change("usr_1")).status).toBe(204);
    const refused = await change("usr_1");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("ratelimit-policy")).toBe('"general";q=100;w=60, "changePassword";q=2;w=300');
    expect((await change("usr_2")).status).toBe(204); // same address, another user
    const anonymous = await change();
    expect(anonymous.status).toBe(204); // authentication, not this limit, turns the anonymous away
    expect(anonymous.headers.get("ratelimit-policy")).toBe('"general";q=100;w=60');
  });

  it("counts an IPv6 client per /64", async () => {
    const app = fixtureApp({ limiter: await countersFor(), perMinute: 2 });
    expect((await app.request("/api/things", {}, from("2001:db8:5:6::1"))).status).toBe(200);
    expect((await app.request("/api/things", {}, from("2001:db8:5:6::2"))).status).toBe(200);
    expect((await app.request("/api/things", {}, from("2001:db8:5:6:ffff::9"))).status).toBe(429);
    expect((await app.request("/api/things", {}, from("2001:db8:5:7::1"))).status).toBe(200);
  });
});

describe.skipIf(!REDIS_URL)("rate limits shared through Redis", () => {
  it("shares counters between two app instances on the same Redis prefix", async () => {
    const prefix = `test:${randomUUID()}:`;
    const one = fixtureApp({ limiter: await countersFor(prefix), perMinute: 4 });
    const two = fixtureApp({ limiter: await countersFor(prefix), perMinute: 4 });
    expect((await login(one, "203.0.113.80", "dan@example.com")).status).toBe(200);
    expect((await login(two, "203.0.113.81", "dan@example.com")).status).toBe(200);
    expect((await login(one, "203.0.113.82", "dan@example.com")).status).toBe(200);
    expect((await login(two, "203.0.113.83", "dan@example.com")).status).toBe(200);
    expect((await login(one, "203.0.113.84", "dan@example.com")).status).toBe(200);
    const refused = await login(two, "203.0.113.85", "dan@example.com");
    expect(refused.status).toBe(429);
    // The general limit too: 4 a minute for one address, across both instances.
    for (const app of [one, two, one, two]) {
      expect((await app.request("/api/things", {}, from("198.51.100.90"))).status).toBe(200);
    }
    expect((await one.request("/api/things", {}, from("198.51.100.90"))).status).toBe(429);
    expect((await two.request("/api/things", {}, from("198.51.100.90"))).status).toBe(429);
  });

  it("runs on the Redis server's clock in production wiring (openRateLimiter)", async () => {
    const redis = await connect(`test:${randomUUID()}:`);
    const errors: unknown[] = [];
    const app = fixtureApp({ limiter: openRateLimiter(redis, (e) => errors.push(e)) });
    for (let i = 0; i < 5; i++)
      expect((await login(app, "203.0.113.90", "erin@example.com")).status).toBe(200);
    const refused = await login(app, "203.0.113.91", "erin@example.com");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });
});

describe("Redis down", () => {
  let redis: Redis;
  beforeAll(() => {
    redis = connectRedis("redis://127.0.0.1:1", { onError: () => {} });
  });
  afterAll(() => redis.disconnect());

  it("keeps answering and keeps limiting, with in-process counters", async () => {
    const errors: unknown[] = [];
    const app = fixtureApp({ limiter: openRateLimiter(redis, (e) => errors.push(e)) });
    const started = performance.now();
    for (let i = 0; i < 5; i++) {
      const response = await login(app, "203.0.113.100", "frank@example.com");
      expect(response.status).toBe(200);
      expect(response.headers.get("ratelimit")).toMatch(/^"signIn";r=\d;t=\d+$/);
    }
    expect((await login(app, "203.0.113.101", "frank@example.com")).status).toBe(429);
    expect((await app.request("/api/things", {}, from("203.0.113.100"))).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(errors.length).toBeGreaterThan(0);
  });
});
