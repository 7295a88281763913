import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../support/app";

describe("errors are problem documents", () => {
  let api: TestApp;
  beforeEach(async () => {
    api = await createTestApp();
  });
  afterEach(async () => {
    await api.close();
  });

  it("names each invalid query field with a JSON pointer", async () => {
    const response = await api.request("/api/categories?depth=9&includeEmpty=yes");
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.body).toMatchObject({
      status: 400,
      code: "validation_failed",
      instance: "/api/categories",
      requestId: response.headers.get("x-request-id"),
    });
    const byField = Object.fromEntries(response.body.errors.map((e: { field: string }) => [e.field, e]));
    expect(byField.depth).toMatchObject({ location: "query", pointer: "/depth" });
    expect(byField.includeEmpty).toMatchObject({ location: "query", pointer: "/includeEmpty" });
    expect(response.body.errors).toHaveLength(2);
  });

  it("answers an unknown route with 404", async () => {
    const response = await api.request("/api/unicorns");
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: "route_not_found", status: 404 });
  });

  it("answers a known path with the wrong method with 405 and Allow", async () => {
    const response = await api.request("/api/categories", { method: "DELETE" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, POST, HEAD");
    expect(response.body).toMatchObject({ code: "method_not_allowed", status: 405 });
  });

  it("refuses a body over the limit with 413 before reading it", async () => {
    const response = await api.request("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(5 * 1024 * 1024) },
      body: "x".repeat(5 * 1024 * 1024),
    });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ code: "payload_too_large", status: 413 });
  });

  it("answers an unexpected failure with 500, a request id and no stack; the log has the stack", async () => {
    await api.database.close(); // the database goes away under the app
    const response = await api.requestExpectingServerError("/api/categories", {
      headers: { "x-request-id": "trace-me-500" },
    });
    expect(response.status).toBe(500);
    expect(response.body).toMatchObject({ code: "internal_error", status: 500, requestId: "trace-me-500" });
    expect(response.text).not.toMatch(/at .*\.(ts|js):\d+/);
    const logged = api.logs.find((line) => line.level === 50 && line.requestId === "trace-me-500");
    expect((logged?.err as { stack?: string } | undefined)?.stack).toMatch(/\n\s+at /);
  });
});
