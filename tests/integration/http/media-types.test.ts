// Every operation that takes a body refuses a body of another media type with 415, and says so in
// its contract: the response checker no longer counts 415 among the statuses any operation may
// answer, so an operation that does not declare it fails here.
import type { OpenAPIV3 } from "openapi-types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../support/app";
import { staffCredentials } from "../../support/auth";
import { contract, exampleHeaders, examplePath } from "../../support/contract";

const METHODS = ["put", "post", "patch", "delete"] as const;

const withBodies = Object.entries(contract.paths).flatMap(([path, item]) =>
  METHODS.flatMap((method) => {
    const operation = item?.[method] as OpenAPIV3.OperationObject | undefined;
    if (!operation?.requestBody) return [];
    // A well-formed path (each parameter's example): the media type is refused before any lookup.
    const url = examplePath(path, method);
    return [
      [operation.operationId as string, method.toUpperCase(), url, exampleHeaders(path, method)] as const,
    ];
  }),
);

describe("a body of a media type the operation does not take", () => {
  let api: TestApp;
  let credentials: Record<string, string>;

  beforeAll(async () => {
    api = await createTestApp({ env: { RATE_LIMIT_SCALE: "1000", RATE_LIMIT_PER_MINUTE: "100000" } });
    credentials = await staffCredentials(api);
  });
  afterAll(async () => {
    await api?.close();
  });

  it("covers the auth operations, which answered an undeclared 415 before", () => {
    const names = withBodies.map(([operationId]) => operationId);
    expect(names).toEqual(expect.arrayContaining(["registerAccount", "signIn", "resetPassword"]));
    expect(names.length).toBeGreaterThan(15);
  });

  it.each(withBodies)(
    "%s answers 415, as its contract declares",
    async (_operationId, method, url, required) => {
      const response = await api.request(url, {
        method,
        headers: { ...credentials, ...required, "content-type": "text/plain" },
        body: "email=ada@example.com",
      });
      expect(response.status).toBe(415);
      expect(response.body).toMatchObject({ code: "unsupported_media_type", status: 415 });
    },
  );
});
