import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/app";
import { assertMatchesContract } from "../support/contract";

const problem = (status: number, code: string) =>
  JSON.stringify({
    type: "about:blank",
    title: "Failure",
    status,
    detail: "It failed.",
    code,
    requestId: "r-1",
  });

function respond(status: number, body: string) {
  const response = new Response(body, { status, headers: { "content-type": "application/problem+json" } });
  return { response, text: body };
}

describe("the contract check of every test response", () => {
  it("fails a 500 the contract declares, unless the test expects a server error", () => {
    const { response, text } = respond(500, problem(500, "internal_error"));
    expect(() => assertMatchesContract("GET", "/api/categories", response, text)).toThrow(
      /GET \/api\/categories → 500: a server error the test did not expect/,
    );
    expect(() =>
      assertMatchesContract("GET", "/api/categories", response, text, { expectServerError: true }),
    ).not.toThrow();
  });

  it("fails any other 5xx too, declared or not", () => {
    const ready = respond(503, problem(503, "not_ready"));
    expect(() => assertMatchesContract("GET", "/health/ready", ready.response, ready.text)).toThrow(
      /server error the test did not expect/,
    );
    const gateway = respond(502, problem(502, "bad_gateway"));
    expect(() => assertMatchesContract("GET", "/api/categories", gateway.response, gateway.text)).toThrow(
      /server error the test did not expect/,
    );
  });

  it("still checks the body of an expected server error against the contract", () => {
    const { response, text } = respond(500, JSON.stringify({ message: "boom" }));
    expect(() =>
      assertMatchesContract("GET", "/api/categories", response, text, { expectServerError: true }),
    ).toThrow(/body does not match the contract/);
  });

  it("fails a test that expects a server error and gets none", () => {
    const { response, text } = respond(404, problem(404, "not_found"));
    expect(() =>
      assertMatchesContract("GET", "/api/products/999", response, text, { expectServerError: true }),
    ).toThrow(/expected a server error/);
  });
});

describe("requests of the test app", () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await createTestApp({ seed: false });
    await api.database.close(); // every read of the catalog now fails with 500
  });
  afterAll(async () => {
    await api.close();
  });

  it("reject a 500 on a plain request and return it when the test asks for one", async () => {
    await expect(api.request("/api/categories")).rejects.toThrow(
      /→ 500: a server error the test did not expect/,
    );
    const failed = await api.requestExpectingServerError("/api/categories");
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ code: "internal_error", status: 500 });
  });
});
