// /metrics tells anyone the request counts per operation and status: production keeps it for
// operators (METRICS_TOKEN as a Bearer token), the embedded default leaves it open.
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../support/app";
import { TEST_WEBHOOK_SECRET } from "../../support/orders";

const TOKEN = "metrics-token-of-the-operators-0123456789";
const METRIC = "http_request_duration_seconds";

describe("who may read /metrics", () => {
  let api: TestApp | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it("is open on a developer's machine with no token configured", async () => {
    api = await createTestApp({ env: { NODE_ENV: "development" } });
    const response = await api.request("/metrics");
    expect(response.status).toBe(200);
    expect(response.text).toContain(METRIC);
  });

  it("needs the configured token as a Bearer token, refusing none, a wrong one and a user's", async () => {
    api = await createTestApp({ env: { NODE_ENV: "development", METRICS_TOKEN: TOKEN } });
    const refusals = [
      await api.request("/metrics"),
      await api.request("/metrics", { headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}x` } }),
      await api.request("/metrics", { headers: { authorization: `Basic ${TOKEN}` } }),
      await api.request("/metrics", { headers: { authorization: "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln" } }),
    ];
    for (const refused of refusals) {
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ code: "unauthenticated", status: 401 });
      expect(refused.headers.get("www-authenticate")).toContain("Bearer");
      expect(refused.text).not.toContain(METRIC);
    }
    const allowed = await api.request("/metrics", { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(allowed.status).toBe(200);
    expect(allowed.text).toContain(METRIC);
  });

  it("stays closed in production until a token is configured", async () => {
    api = await createTestApp({
      env: {
        NODE_ENV: "production",
        PUBLIC_URL: "https://shop.example",
        PAYMENT_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      },
    });
    const response = await api.request("/metrics");
    expect(response.status).toBe(401);
    expect(response.body.detail).toContain("METRICS_TOKEN");
    expect(response.text).not.toContain(METRIC);
  });

  it("opens in production to the configured token", async () => {
    api = await createTestApp({
      env: {
        NODE_ENV: "production",
        PUBLIC_URL: "https://shop.example",
        PAYMENT_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
        METRICS_TOKEN: TOKEN,
      },
    });
    const response = await api.request("/metrics", { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.text).toContain(METRIC);
  });
});
