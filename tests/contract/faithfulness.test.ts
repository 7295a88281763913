import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentBase } from "../../generated/server";
import { breakingChanges } from "../../openapi/codegen/breaking";
import { createTestApp, type TestApp } from "../support/app";
import { contract } from "../support/contract";

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** `METHOD /path/:param` for every operation the contract declares. */
function contractRouteTable(): string[] {
  return Object.entries(contract.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => item?.[method]).map(
      (method) => `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ":$1")}`,
    ),
  );
}

describe("the mounted app is the contract", () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await createTestApp({ seed: false });
  });
  afterAll(async () => {
    await api.close();
  });

  it("mounts every operation of the contract and nothing else", () => {
    // Middleware is registered for every method ("ALL"); operations are registered per method.
    // Each operation appears once per handler in its chain (marker, validators, handler).
    const mounted = api.app.routes
      .filter((route) => route.method !== "ALL")
      .map((r) => `${r.method} ${r.path}`);
    expect([...new Set(mounted)].sort()).toEqual(contractRouteTable().sort());
  });

  // optic takes seconds alone, and minutes beside other test files on two busy cores.
  it("builds a document with no breaking difference from the contract, in either direction", {
    timeout: 300_000,
  }, async () => {
    const built = api.app.getOpenAPIDocument({ ...documentBase } as never);
    const forward = await breakingChanges(contract, built);
    expect(forward.breaking, forward.output).toBe(false);
    const backward = await breakingChanges(built, contract);
    expect(backward.breaking, backward.output).toBe(false);
  });

  it("would see a breaking change if there were one", { timeout: 300_000 }, async () => {
    const weakened = structuredClone(contract);
    const node = weakened.components?.schemas?.CategoryNode as { required: string[] };
    node.required = ["id"];
    const result = await breakingChanges(contract, weakened);
    expect(result.output).toMatch(/breaking change/i);
    expect(result.breaking).toBe(true);
  });

  it("keeps the contract's component names in the document built from the routes", () => {
    const built = api.app.getOpenAPIDocument({ ...documentBase } as never);
    const used = JSON.stringify(built.paths).match(/#\/components\/schemas\/[A-Za-z]+/g) ?? [];
    expect(used.length).toBeGreaterThan(0);
    for (const ref of new Set(used)) {
      const name = ref.split("/").pop() as string;
      expect(contract.components?.schemas, name).toHaveProperty(name);
    }
  });
});
