import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiResponse, createTestApp, type TestApp } from "../../support/app";

const ORIGIN = "https://shop.example";
/** Fields whose values differ from one answer to the next by nature. */
const PER_REQUEST = new Set(["x-request-id", "server-timing", "ratelimit"]);

/** Every field of an answer, with the values that are the same for the same question. */
function stableFields(answer: ApiResponse): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of answer.headers) fields[name] = PER_REQUEST.has(name) ? "(per request)" : value;
  return fields;
}

// The fast path answers fresh in-process hits of requests without credentials; a cookie sends the
// same question through the router and the middleware chain, so the two answers can be compared.
const THROUGH_THE_APP = { cookie: "unrelated=1" };

describe("cached reads answered on the fast path", () => {
  let api: TestApp;
  let answered: number;

  beforeAll(async () => {
    api = await createTestApp({
      seed: "catalog",
      env: { CORS_ORIGINS: ORIGIN, RATE_LIMIT_PER_MINUTE: "12" },
    });
    // Counts the lookups that go through the app's caching middleware.
    const answer = api.cache.answer.bind(api.cache);
    answered = 0;
    api.cache.answer = (...args) => {
      answered++;
      return answer(...args);
    };
  });
  afterAll(async () => {
    await api.close();
  });

  it("gives the same answer as the app, without the app, and counts each request once", async () => {
    const path = "/api/products?maxPrice=5000&limit=5";
    const from = { ip: "203.0.113.7" };
    const first = await api.request(path, { headers: { origin: ORIGIN } }, from);
    expect(first.status).toBe(200);
    expect(first.headers.get("x-cache")).toBe("MISS");
    expect(answered).toBe(1);

    const fast = await api.request(path, { headers: { origin: ORIGIN } }, from);
    expect(answered).toBe(1);
    const slow = await api.request(path, { headers: { origin: ORIGIN, ...THROUGH_THE_APP } }, from);
    expect(answered).toBe(2);

    expect(fast.status).toBe(200);
    expect(fast.text).toBe(slow.text);
    expect(stableFields(fast)).toEqual(stableFields(slow));
    expect(fast.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(fast.headers.get("x-cache")).toBe("HIT");
    expect(fast.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    // One count per request, whichever way it went: 12 allowed, 3 used so far.
    expect(fast.headers.get("ratelimit")).toMatch(/^"general";r=10;t=\d+$/);
    expect(slow.headers.get("ratelimit")).toMatch(/^"general";r=9;t=\d+$/);
  });

  it("answers 304 to a current ETag as the app does, and keeps a plain request id", async () => {
    const path = "/api/products?limit=3";
    const from = { ip: "203.0.113.8" };
    const etag = (await api.request(path, {}, from)).headers.get("etag") as string;
    const before = answered;
    const headers = { "if-none-match": etag, "x-request-id": "trace-42" };
    const fast = await api.request(path, { headers }, from);
    const slow = await api.request(path, { headers: { ...headers, ...THROUGH_THE_APP } }, from);
    expect(answered).toBe(before + 1);
    expect(fast.status).toBe(304);
    expect(fast.text).toBe("");
    expect(stableFields(fast)).toEqual(stableFields(slow));
    expect(fast.headers.get("x-request-id")).toBe("trace-42");
  });

  it("leaves the refusal to the app once the limit is reached, counted once", async () => {
    const path = "/api/products?limit=2";
    const from = { ip: "203.0.113.9" };
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await api.request(path, {}, from)).status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(12);
    const refused = await api.request(path, {}, from);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("writes the same access log line as the app", async () => {
    const path = "/api/products?limit=4";
    const from = { ip: "203.0.113.10" };
    await api.request(path, {}, from);
    const fast = await api.request(path, {}, from);
    const line = api.logs.find((entry) => entry.requestId === fast.headers.get("x-request-id"));
    expect(line).toMatchObject({
      msg: "request",
      operationId: "listProducts",
      method: "GET",
      path: "/api/products",
      status: 200,
    });
  });
});
