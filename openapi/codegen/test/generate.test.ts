// The generator on a contract holding every construct it supports: stable output, routes named
// by operationId, the policy table, code that type-checks, a document built from the routes that
// says what the contract says, and requests validated as the contract means.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { OpenAPIV3 } from "openapi-types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../generate";
import { withStubs } from "../stubs";
import { FIXTURE_APP } from "./fixture-app";
import {
  CONSTRUCTS_CONFIG,
  CONSTRUCTS_ROOT,
  type Generated,
  generateAndLoad,
  removeDir,
  scratchDir,
  snapshot,
  TEST_DIR,
} from "./support";

type Schema = OpenAPIV3.SchemaObject | OpenAPIV3.ReferenceObject;
const REPOSITORY = resolve(TEST_DIR, "../../..");

let out: Generated;
let app: OpenAPIHono;
const scratch: string[] = [];

beforeAll(async () => {
  const dir = scratchDir();
  scratch.push(dir);
  out = await generateAndLoad(CONSTRUCTS_ROOT, CONSTRUCTS_CONFIG, dir);
  writeFileSync(join(dir, "app.ts"), FIXTURE_APP);
  const module = (await import(pathToFileURL(join(dir, "app.ts")).href)) as { buildApp(): OpenAPIHono };
  app = module.buildApp();
});

afterAll(() => {
  for (const dir of scratch) removeDir(dir);
});

describe("generated output", () => {
  it("is byte-identical when generated twice", async () => {
    const again = scratchDir();
    scratch.push(again);
    await generate(CONSTRUCTS_ROOT, CONSTRUCTS_CONFIG, again);
    const first = snapshot(out.dir);
    first.delete("app.ts");
    const second = snapshot(again);
    expect([...second.keys()]).toEqual([...first.keys()]);
    expect(second.size).toBeGreaterThanOrEqual(10);
    for (const [path, bytes] of first) expect(second.get(path)?.equals(bytes), path).toBe(true);
  });

  it("exports one route per operation, named by its operationId, in the contract's order", () => {
    const ids = Object.values(out.document.paths).flatMap((item) =>
      (["get", "put", "post", "delete", "patch"] as const).flatMap((m) => item?.[m]?.operationId ?? []),
    );
    expect(ids).toEqual([
      "listPatterns",
      "createPattern",
      "getPattern",
      "replacePatternItems",
      "getShowcase",
    ]);
    expect(Object.keys(out.routes)).toEqual(ids);
    for (const id of ids) {
      expect(out.server[id], id).toBe(out.routes[id]);
      expect((out.routes[id] as { operationId: string }).operationId).toBe(id);
    }
  });

  it("reads the policy table from security, x-roles, scopes, x-cache, x-rate-limit and bodies", () => {
    const none = {
      cache: null,
      invalidates: [],
      rateLimit: null,
      generalRateLimit: true,
      idempotency: null,
      body: null,
      tags: ["patterns"],
    };
    expect(out.server.policies).toEqual({
      listPatterns: {
        ...none,
        operationId: "listPatterns",
        method: "GET",
        path: "/patterns",
        honoPath: "/patterns",
        auth: { required: false, schemes: [] },
        roles: [],
        cache: { ttl: 30, tags: ["patterns"] },
      },
      createPattern: {
        ...none,
        operationId: "createPattern",
        method: "POST",
        path: "/patterns",
        honoPath: "/patterns",
        auth: { required: true, schemes: ["bearerAuth", "oauth"] },
        roles: ["admin", "patterns:write"],
        invalidates: ["patterns"],
        rateLimit: { limit: 10, windowSeconds: 60, by: ["user"] },
        body: { required: true, mediaTypes: ["application/json"], maxBytes: null },
      },
      getPattern: {
        ...none,
        operationId: "getPattern",
        method: "GET",
        path: "/patterns/{patternId}",
        honoPath: "/patterns/:patternId",
        auth: { required: false, schemes: ["bearerAuth"] },
        roles: [],
      },
      replacePatternItems: {
        ...none,
        operationId: "replacePatternItems",
        method: "PUT",
        path: "/patterns/{patternId}/items",
        honoPath: "/patterns/:patternId/items",
        auth: { required: true, schemes: ["bearerAuth"] },
        roles: [],
        body: { required: true, mediaTypes: ["application/json"], maxBytes: null },
      },
      getShowcase: {
        ...none,
        operationId: "getShowcase",
        method: "GET",
        path: "/showcase",
        honoPath: "/showcase",
        auth: { required: false, schemes: [] },
        roles: [],
        generalRateLimit: false,
      },
    });
  });

  // tsc on the whole fixture takes seconds alone and far longer beside other test files on two cores.
  it("writes the SDK's operation table: every operation, its method and path, in the contract's order", async () => {
    const { operations } = (await import(pathToFileURL(join(out.dir, "client/operations.ts")).href)) as {
      operations: Record<
        string,
        { method: string; path: string; idempotencyKey: boolean; paginated: boolean }
      >;
    };
    expect(Object.keys(operations)).toEqual(Object.keys(out.routes));
    for (const [id, entry] of Object.entries(operations)) {
      const route = out.routes[id] as { method: string; path: string };
      expect(entry.method, id).toBe(route.method.toUpperCase());
      expect(entry.path, id).toBe(route.path);
    }
  });

  it("type-checks, and Handlers refuses a set of handlers with one missing", { timeout: 180_000 }, () => {
    writeFileSync(
      join(out.dir, "tsconfig.json"),
      JSON.stringify({ extends: join(REPOSITORY, "tsconfig.json"), include: ["**/*.ts"] }),
    );
    // A stub as `npm run generate` writes it for an operation without a handler must compile too.
    writeFileSync(
      join(out.dir, "stub-check.ts"),
      withStubs("", "patterns", ["listPatterns"], {
        handlers: "./server",
        env: join(REPOSITORY, "src/http/env"),
        notImplemented: join(REPOSITORY, "src/http/not-implemented"),
      }),
    );
    const tsc = join(REPOSITORY, "node_modules/.bin/tsc");
    // A missing handler makes `@ts-expect-error` in app.ts hold; any other error fails here.
    const run = () =>
      execFileSync(tsc, ["--noEmit", "-p", join(out.dir, "tsconfig.json")], { encoding: "utf8" });
    expect(run).not.toThrow();
  });
});

describe("the document built from the routes", () => {
  const built = () =>
    app.getOpenAPIDocument({ openapi: "3.0.3", info: { title: "t", version: "1" } }) as OpenAPIV3.Document;

  it("requires exactly the properties the contract requires (optional is not exactOptional)", () => {
    const document = built();
    const theirs = (document.components?.schemas ?? {}) as Record<string, Schema>;
    const ours = (out.document.components?.schemas ?? {}) as Record<string, Schema>;
    for (const [name, schema] of Object.entries(ours)) {
      expect(theirs[name], `component ${name} is missing`).toBeDefined();
      expect(presence(theirs, theirs[name] as Schema), name).toEqual(presence(ours, schema));
    }
    // The optional nullable allOf is optional in both.
    expect(presence(ours, ours.Pattern as Schema).price).toBe(false);
    expect(presence(ours, ours.Pattern as Schema).title).toBe(true);
  });

  it("marks exactly the required parameters as required", () => {
    const document = built();
    for (const [path, item] of Object.entries(out.document.paths)) {
      for (const method of ["get", "put", "post"] as const) {
        const operation = item?.[method];
        if (!operation) continue;
        const contractParameters = [...(item?.parameters ?? []), ...(operation.parameters ?? [])].map((p) =>
          resolveParameter(out.document, p),
        );
        const builtParameters = (document.paths[path]?.[method]?.parameters ??
          []) as OpenAPIV3.ParameterObject[];
        const summary = (list: OpenAPIV3.ParameterObject[]) =>
          list.map((p) => `${p.in}:${p.name}:${p.required === true}`).sort();
        expect(summary(builtParameters), `${method} ${path}`).toEqual(summary(contractParameters));
      }
    }
  });

  it("keeps the contract's component names and refers to them by $ref", () => {
    const document = built();
    expect(Object.keys(document.components?.schemas ?? {}).sort()).toEqual(
      Object.keys(out.document.components?.schemas ?? {}).sort(),
    );
    const create = document.paths["/patterns"]?.post;
    const body = create?.requestBody as OpenAPIV3.RequestBodyObject;
    expect(body.content["application/json"]?.schema).toEqual({ $ref: "#/components/schemas/PatternCreate" });
    const created = create?.responses["201"] as OpenAPIV3.ResponseObject;
    expect(created.content?.["application/json"]?.schema).toEqual({ $ref: "#/components/schemas/Pattern" });
    expect(JSON.stringify(document.components?.schemas?.Item)).toContain("#/components/schemas/Yarn");
  });
});

describe("requests, validated as the contract means", () => {
  const call = async (path: string, init?: RequestInit) => {
    const response = await app.request(path, init);
    const echo = response.headers.get("x-echo");
    return { status: response.status, echo: echo ? JSON.parse(echo) : undefined, response };
  };
  const post = (path: string, body: unknown, method = "POST") =>
    call(path, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("coerces query text: integers, exact booleans, one value or repeats for arrays, defaults", async () => {
    expect(await call("/patterns?q=x&limit=5&drafts=false&colour=red")).toMatchObject({
      status: 200,
      echo: { q: "x", limit: 5, drafts: false, colour: ["red"] },
    });
    expect((await call("/patterns?q=x&colour=red&colour=blue")).echo).toEqual({
      q: "x",
      limit: 20,
      colour: ["red", "blue"],
    });
    expect((await call("/patterns?q=x&drafts=true")).echo.drafts).toBe(true);
    expect((await call("/patterns?q=x&minRating=4.5")).echo.minRating).toBe(4.5);
  });

  it.each([
    ["limit=abc"],
    ["limit="],
    ["limit=1.5"],
    ["limit=0"],
    ["limit=101"],
    ["limit=5&limit=6"],
    ["drafts=1"],
    ["drafts=yes"],
    ["drafts="],
    ["drafts=TRUE"],
    ["colour=pink"],
    ["colour=red&colour=red&colour=red&colour=red"],
    ["minRating=5"],
    ["sku=ab-1234"],
  ])("refuses ?q=x&%s with 400", async (query) => {
    expect((await call(`/patterns?q=x&${query}`)).status).toBe(400);
  });

  it("refuses a missing required query parameter", async () => {
    expect((await call("/patterns")).status).toBe(400);
  });

  const create = { title: "Bunny", colour: "red", items: [{ kind: "yarn", weightGrams: 50 }] };

  it("accepts an optional nullable allOf property absent and null, and refuses a wrong one", async () => {
    expect((await post("/patterns", create)).status).toBe(201);
    expect((await post("/patterns", { ...create, price: null })).status).toBe(201);
    expect((await post("/patterns", { ...create, price: { amount: 500, currency: "EUR" } })).status).toBe(
      201,
    );
    expect((await post("/patterns", { ...create, price: { amount: 501, currency: "EUR" } })).status).toBe(
      400,
    );
    expect((await post("/patterns", { ...create, price: "free" })).status).toBe(400);
  });

  it("refuses unknown body keys, at the top and nested, with 400", async () => {
    expect((await post("/patterns", { ...create, role: "admin" })).status).toBe(400);
    expect(
      (await post("/patterns", { ...create, items: [{ kind: "yarn", weightGrams: 50, total: 1 }] })).status,
    ).toBe(400);
    expect(
      (await post("/patterns", { ...create, price: { amount: 5, currency: "EUR", vat: 1 } })).status,
    ).toBe(400);
  });

  it("coerces an integer path parameter and reads header parameters in any case", async () => {
    const answer = await call("/patterns/7", {
      headers: { "x-depth": "2", "X-Trace-Id": "123e4567-e89b-12d3-a456-426614174000" },
    });
    expect(answer).toMatchObject({
      status: 200,
      echo: {
        params: { patternId: 7 },
        headers: { "X-Depth": 2, "X-Trace-Id": "123e4567-e89b-12d3-a456-426614174000" },
      },
    });
    expect((await call("/patterns/0", { headers: { "x-depth": "2" } })).status).toBe(400);
    expect((await call("/patterns/abc", { headers: { "x-depth": "2" } })).status).toBe(400);
    expect((await call("/patterns/7")).status).toBe(400);
    expect((await call("/patterns/7", { headers: { "x-depth": "4" } })).status).toBe(400);
  });

  it("validates a path-level parameter and a body holding a record with typed extras", async () => {
    const body = { items: [{ kind: "yarn", weightGrams: 1 }], settings: { theme: "dark", font: "serif" } };
    expect(await post("/patterns/3/items", body, "PUT")).toMatchObject({
      status: 204,
      echo: { params: { patternId: 3 }, body },
    });
    expect(
      (await post("/patterns/3/items", { ...body, settings: { theme: "dark", font: "too long!" } }, "PUT"))
        .status,
    ).toBe(400);
    expect((await post("/patterns/x/items", body, "PUT")).status).toBe(400);
  });
});

/** Each property of an object schema (through $ref and allOf) and whether it is required. */
function presence(components: Record<string, Schema>, schema: Schema): Record<string, boolean> {
  if ("$ref" in schema) {
    const target = components[schema.$ref.replace("#/components/schemas/", "")];
    return target ? presence(components, target) : {};
  }
  const merged: Record<string, boolean> = {};
  for (const member of schema.allOf ?? []) Object.assign(merged, presence(components, member));
  for (const name of Object.keys(schema.properties ?? {})) merged[name] = false;
  for (const name of schema.required ?? []) merged[name] = true;
  return merged;
}

function resolveParameter(
  document: OpenAPIV3.Document,
  parameter: OpenAPIV3.ParameterObject | OpenAPIV3.ReferenceObject,
): OpenAPIV3.ParameterObject {
  if (!("$ref" in parameter)) return parameter;
  const name = parameter.$ref.replace("#/components/parameters/", "");
  return document.components?.parameters?.[name] as OpenAPIV3.ParameterObject;
}
