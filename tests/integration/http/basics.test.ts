import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../support/app";

const SHOP = "https://shop.joxicrochet.test";

describe("HTTP basics", () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await createTestApp({ env: { CORS_ORIGINS: `${SHOP},http://localhost:5173` } });
  });
  afterAll(async () => {
    await api.close();
  });

  it("echoes a valid X-Request-Id and generates one otherwise", async () => {
    const mine = await api.request("/health", { headers: { "x-request-id": "abc-123_XYZ" } });
    expect(mine.headers.get("x-request-id")).toBe("abc-123_XYZ");
    const generated = await api.request("/health");
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const hostile = await api.request("/health", {
      headers: { "x-request-id": "<script>alert(1)</script>" },
    });
    expect(hostile.headers.get("x-request-id")).not.toContain("<");
  });

  it("writes one structured log line per request", async () => {
    const before = api.logs.length;
    await api.request("/api/categories?depth=1", { headers: { "x-request-id": "log-line-1" } });
    const lines = api.logs.slice(before).filter((line) => line.msg === "request");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      requestId: "log-line-1",
      operationId: "listCategories",
      method: "GET",
      path: "/api/categories",
      status: 200,
    });
    expect(typeof lines[0]?.durationMs).toBe("number");
  });

  it("sends Server-Timing and secure headers", async () => {
    const response = await api.request("/health");
    expect(response.headers.get("server-timing")).toMatch(/total;dur=\d/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(response.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    expect(response.headers.get("x-powered-by")).toBeNull();
  });

  it("allows only configured origins, with credentials and never *", async () => {
    const allowed = await api.request("/api/categories", { headers: { origin: SHOP } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe(SHOP);
    expect(allowed.headers.get("access-control-allow-credentials")).toBe("true");
    expect(allowed.headers.get("access-control-expose-headers")).toContain("X-Request-Id");

    const foreign = await api.request("/api/categories", { headers: { origin: "https://evil.example" } });
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();

    const preflight = await api.request("/api/categories", {
      method: "OPTIONS",
      headers: { origin: SHOP, "access-control-request-method": "GET" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(SHOP);
  });

  it("exposes Prometheus metrics labelled by operationId and status", async () => {
    await api.request("/api/categories");
    await api.request("/api/categories?depth=0");
    const response = await api.request("/metrics");
    expect(response.headers.get("content-type")).toContain("text/plain");
    expect(response.text).toMatch(
      /http_request_duration_seconds_bucket\{le="[^"]+",operationId="listCategories",method="GET",status="200"\} [1-9]/,
    );
    expect(response.text).toMatch(/operationId="listCategories",method="GET",status="400"\} [1-9]/);
    expect(response.text).toContain("process_cpu_user_seconds_total");
  });

  it("serves the bundled contract and the reference page", async () => {
    const document = await api.request("/openapi.json");
    expect(document.body.openapi).toBe("3.0.3");
    expect(Object.keys(document.body.paths)).toContain("/api/categories");
    const page = await api.request("/docs");
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.text).toContain('src="/docs/scalar.js"');
    expect(page.text).not.toMatch(/https?:\/\/(cdn|fonts)\./);
    const script = await api.request("/docs/scalar.js");
    expect(script.headers.get("content-type")).toContain("javascript");
    expect(script.text.length).toBeGreaterThan(100_000);
  });
});
