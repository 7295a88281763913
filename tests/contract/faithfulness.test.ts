import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentBase } from "../../generated/server";
import { createTestApp, type TestApp } from "../support/app";
import { contract } from "../support/contract";

const run = promisify(execFile);
const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** `METHOD /path/:param` for every operation the contract declares. */
function contractRouteTable(): string[] {
  return Object.entries(contract.paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => item?.[method]).map(
      (method) => `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ":$1")}`,
    ),
  );
}

/**
 * JSON key order means nothing, but optic resolves recursive schemas in the order it meets them;
 * both documents are written in one canonical order so that only real differences remain.
 */
function canonical(document: object): string {
  const { openapi, info, servers, tags, paths, components, ...rest } = document as Record<string, unknown>;
  return JSON.stringify({ openapi, info, servers, tags, paths, components, ...rest });
}

async function opticDiff(from: string, to: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run("node_modules/.bin/optic", ["diff", from, to, "--check"], {
      env: { ...process.env, OPTIC_TELEMETRY_LEVEL: "none", CI: "true" },
    });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

describe("the mounted app is the contract", () => {
  let api: TestApp;
  let folder: string;

  beforeAll(async () => {
    api = await createTestApp({ seed: false });
    folder = await mkdtemp(join(tmpdir(), "jc-contract-"));
  });
  afterAll(async () => {
    await api.close();
    await rm(folder, { recursive: true, force: true });
  });

  it("mounts every operation of the contract and nothing else", () => {
    // Middleware is registered for every method ("ALL"); operations are registered per method.
    // Each operation appears once per handler in its chain (marker, validators, handler).
    const mounted = api.app.routes
      .filter((route) => route.method !== "ALL")
      .map((r) => `${r.method} ${r.path}`);
    expect([...new Set(mounted)].sort()).toEqual(contractRouteTable().sort());
  });

  it("builds a document with no breaking difference from the contract, in either direction", async () => {
    const built = api.app.getOpenAPIDocument({ ...documentBase } as never);
    const source = join(folder, "contract.json");
    const generated = join(folder, "from-routes.json");
    await writeFile(source, canonical(contract));
    await writeFile(generated, canonical(built));

    const forward = await opticDiff(source, generated);
    expect(forward.output, forward.output).not.toMatch(/breaking change/i);
    expect(forward.code, forward.output).toBe(0);
    const backward = await opticDiff(generated, source);
    expect(backward.output, backward.output).not.toMatch(/breaking change/i);
    expect(backward.code, backward.output).toBe(0);
  });

  it("would see a breaking change if there were one", async () => {
    const weakened = structuredClone(contract);
    const node = weakened.components?.schemas?.CategoryNode as { required: string[] };
    node.required = ["id"];
    const source = join(folder, "contract.json");
    const changed = join(folder, "weakened.json");
    await writeFile(source, canonical(contract));
    await writeFile(changed, canonical(weakened));
    const result = await opticDiff(source, changed);
    expect(result.output).toMatch(/breaking change/i);
    expect(result.code).not.toBe(0);
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
