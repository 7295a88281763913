import { describe, expect, it } from "vitest";
import { type OperationPolicy, policies } from "../../../generated/server";
import { createOpenApiApp } from "../../../src/http/openapi-app";
import {
  enforceTransportLimits,
  nativeCeilings,
  requestHeadBytes,
  transportLimits,
} from "../../../src/http/transport-limits";
import { createLogger } from "../../../src/platform/logger";

const MiB = 1024 * 1024;
const withBody = (maxBytes: number | null) =>
  ({ body: { required: true, mediaTypes: ["application/json"], maxBytes } }) as OperationPolicy;
const withoutBody = { body: null } as OperationPolicy;

describe("transport limits", () => {
  it("take the largest body any operation accepts: its x-body-limit, or the JSON limit", () => {
    const operations = [withBody(null), withBody(3 * MiB), withoutBody, withBody(2 * MiB)];
    expect(transportLimits(MiB, operations).bodyBytes).toBe(3 * MiB);
    expect(transportLimits(8 * MiB, operations).bodyBytes).toBe(8 * MiB);
    expect(transportLimits(MiB, [withoutBody]).bodyBytes).toBe(MiB);
  });

  it("come from the contract by default, whose photo upload takes the largest body", () => {
    const photoLimit = policies.uploadProductImage.body?.maxBytes;
    expect(photoLimit).toBeGreaterThan(5_000_000);
    expect(transportLimits(MiB).bodyBytes).toBe(photoLimit);
  });

  it("leave Bun's own ceilings well above them", () => {
    const limits = transportLimits(MiB);
    const ceilings = nativeCeilings(limits);
    expect(ceilings.bodyBytes).toBeGreaterThanOrEqual(2 * limits.bodyBytes);
    expect(ceilings.headerBytes).toBeGreaterThanOrEqual(2 * limits.headerBytes);
  });

  it("count the request line and every header field as they travel over HTTP/1.1", () => {
    const request = new Request("http://shop.test/api/products?limit=5", {
      headers: { accept: "application/json", "x-request-id": "abc" },
    });
    const wire = [
      "GET /api/products?limit=5 HTTP/1.1",
      "accept: application/json",
      "x-request-id: abc",
      "",
      "",
    ].join("\r\n");
    expect(requestHeadBytes(request)).toBe(wire.length);
  });
});

describe("the transport-limit middleware", () => {
  const limits = { bodyBytes: 1000, headerBytes: 2000 };
  function fixtureApp() {
    const app = createOpenApiApp(createLogger("silent"));
    app.use(enforceTransportLimits(limits));
    // Takes no body: only the transport limit can refuse a large one here.
    app.post("/ping", (c) => c.text("pong"));
    return app;
  }
  const post = (headers: Record<string, string>) =>
    fixtureApp().request("/ping", { method: "POST", headers });

  it("refuses a declared body over the limit with a problem+json 413, before routing", async () => {
    const response = await post({ "content-length": String(limits.bodyBytes + 1) });
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 413, code: "payload_too_large" });
    expect((await post({ "content-length": String(limits.bodyBytes) })).status).toBe(200);
  });

  it("refuses a request head over the limit with a problem+json 431", async () => {
    const head = (padding: number) =>
      requestHeadBytes(
        new Request("http://localhost/ping", {
          method: "POST",
          headers: { "x-padding": "a".repeat(padding) },
        }),
      );
    const fitting = limits.headerBytes - head(0);
    expect(head(fitting)).toBe(limits.headerBytes);
    expect((await post({ "x-padding": "a".repeat(fitting) })).status).toBe(200);

    const response = await post({ "x-padding": "a".repeat(fitting + 1) });
    expect(response.status).toBe(431);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 431, code: "request_header_fields_too_large" });
  });
});
