import { describe, expect, it } from "vitest";
import { CodegenError } from "../errors";
import type { Operation } from "../operations";
import { policyOf } from "../policy";

const operation = (over: Partial<Operation>): Operation => ({
  operationId: "getThing",
  method: "get",
  path: "/things/{id}",
  pointer: "#/paths/~1things~1{id}/get",
  tags: ["things"],
  summary: "Get a thing",
  description: "A thing.",
  security: [],
  parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer" } }],
  parameterPointers: new Map(),
  requestBody: undefined,
  responses: [],
  extensions: {},
  ...over,
});

describe("x-cache in the policy table", () => {
  it("carries ttl and tags of a public read", () => {
    const policy = policyOf(
      operation({ extensions: { "x-cache": { ttl: 3600, tags: ["things", "thing:{id}"] } } }),
    );
    expect(policy.cache).toEqual({ ttl: 3600, tags: ["things", "thing:{id}"] });
  });

  it("refuses it on a read whose answer depends on the caller", () => {
    const secured = operation({
      security: [{ bearerAuth: [] }],
      extensions: { "x-cache": { ttl: 60, tags: ["things"] } },
    });
    expect(() => policyOf(secured)).toThrow(CodegenError);
    expect(() => policyOf(secured)).toThrow(/same for every caller/);
  });
});
