// Bad input is a 400, everywhere, by one mechanism (the contract's formats, bounds and string
// rule, enforced by the generated validators): every string and integer of every operation's
// path, query and body is sent once with what the database cannot hold — NUL in text, an integer
// past the column — through the whole app, with credentials good enough for every operation, and
// must answer 400 validation_failed naming that field. The response checker fails any 5xx.
import type { OpenAPIV3 } from "openapi-types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completeValue, leafAt, leavesOf, replacedAt, unstorable } from "../../contract/support/leaves";
import type { Components, Schema } from "../../contract/support/schema-arbitrary";
import { encodeParameter } from "../../contract/support/wire";
import { createTestApp, type TestApp } from "../../support/app";
import { json, newAccount, staffCredentials } from "../../support/auth";
import { contract, exampleHeaders } from "../../support/contract";

const components = (contract.components?.schemas ?? {}) as Components;
const METHODS = ["get", "put", "post", "delete", "patch"] as const;
/** The places a value can be swept from; headers cannot carry NUL on the wire at all. */
const SWEPT = ["path", "query"] as const;

interface Operation {
  operationId: string;
  method: string;
  path: string;
  parameters: OpenAPIV3.ParameterObject[];
  body?: { mediaType: string; schema: Schema };
}

function resolve<T>(value: T | OpenAPIV3.ReferenceObject): T {
  if (!value || typeof value !== "object" || !("$ref" in value)) return value as T;
  const [, , section, name] = value.$ref.split("/");
  return (contract.components as Record<string, Record<string, T>>)[section as string]?.[name as string] as T;
}

const operations: Operation[] = Object.entries(contract.paths).flatMap(([path, item]) =>
  METHODS.flatMap((method) => {
    const operation = item?.[method];
    if (!operation?.operationId) return [];
    const parameters = [...(item?.parameters ?? []), ...(operation.parameters ?? [])].map((p) =>
      resolve<OpenAPIV3.ParameterObject>(p),
    );
    const requestBody = operation.requestBody && resolve<OpenAPIV3.RequestBodyObject>(operation.requestBody);
    const [mediaType, media] = Object.entries(requestBody?.content ?? {})[0] ?? [];
    return [
      {
        operationId: operation.operationId,
        method: method.toUpperCase(),
        path,
        parameters,
        ...(mediaType && media?.schema ? { body: { mediaType, schema: media.schema } } : {}),
      },
    ];
  }),
);

/** One value per swept parameter, and the body, each complete (optional parts included). */
interface Input {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  body?: unknown;
}

function completeInput(operation: Operation): Input {
  const group = (location: string) =>
    Object.fromEntries(
      operation.parameters
        .filter((p) => p.in === location)
        .map((p) => [p.name, completeValue(components, p.schema as Schema)]),
    );
  return {
    path: group("path"),
    query: group("query"),
    ...(operation.body ? { body: completeValue(components, operation.body.schema) } : {}),
  };
}

interface Sweep {
  name: string;
  operation: Operation;
  input: Input;
  /** Where the refusal must point: the location and the JSON pointer of the field. */
  location: "path" | "query" | "body";
  pointer: string;
}

const sweeps: Sweep[] = operations.flatMap((operation) => {
  const input = completeInput(operation);
  const found: Sweep[] = [];
  /** Each leaf of `value` (at `prefix` in its location), replaced in turn. */
  const add = (
    location: Sweep["location"],
    prefix: string[],
    schema: Schema,
    value: unknown,
    wrap: (changed: unknown) => Input,
  ) => {
    for (const leaf of leavesOf(components, schema, value)) {
      for (const bad of unstorable(leaf, leafAt(value, leaf.path))) {
        const path = [...prefix, ...leaf.path];
        found.push({
          name: `${operation.operationId} ${location} ${path.join(".")} = ${bad.label}`,
          operation,
          input: wrap(replacedAt(value, leaf.path, bad.value)),
          location,
          pointer: `/${path.join("/")}`,
        });
      }
    }
  };
  for (const location of SWEPT) {
    for (const parameter of operation.parameters.filter((p) => p.in === location)) {
      add(
        location,
        [parameter.name],
        parameter.schema as Schema,
        input[location][parameter.name],
        (changed) => ({
          ...input,
          [location]: { ...input[location], [parameter.name]: changed },
        }),
      );
    }
  }
  if (operation.body)
    add("body", [], operation.body.schema, input.body, (changed) => ({ ...input, body: changed }));
  return found;
});

function requestOf(
  operation: Operation,
  input: Input,
  headers: Record<string, string>,
): [string, RequestInit] {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(String(encodeParameter(input.path[name]))),
  );
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(input.query)) {
    const wire = encodeParameter(value);
    for (const text of wire === undefined ? [] : [wire].flat()) query.append(name, text);
  }
  const url = query.size > 0 ? `${path}?${query}` : path;
  if (!operation.body) return [url, { method: operation.method, headers }];
  if (operation.body.mediaType === "multipart/form-data") {
    const form = new FormData();
    for (const [name, value] of Object.entries(input.body as Record<string, unknown>)) {
      form.append(name, typeof value === "string" ? value : String(value));
    }
    // The file itself is checked by the handler, after validation; any bytes will do here.
    form.set("file", new File([new Uint8Array([137, 80, 78, 71])], "photo.png", { type: "image/png" }));
    return [url, { method: operation.method, headers, body: form }];
  }
  return [url, { ...json(input.body, headers), method: operation.method }];
}

describe("what the database cannot hold is refused as bad input, in every field of every operation", () => {
  let api: TestApp;
  /** A staff member's Bearer token and session cookie: enough for every operation. */
  let credentials: Record<string, string>;

  beforeAll(async () => {
    api = await createTestApp({
      seed: "catalog",
      env: { RATE_LIMIT_SCALE: "1000", RATE_LIMIT_PER_MINUTE: "100000" },
    });
    credentials = await staffCredentials(api);
  });

  afterAll(async () => {
    await api?.close();
  });

  it("sweeps every operation that takes a string or an integer in its path, query or body", () => {
    const swept = new Set(sweeps.map((sweep) => sweep.operation.operationId));
    const taking = operations.filter(
      (operation) => operation.body || operation.parameters.some((p) => SWEPT.some((l) => l === p.in)),
    );
    expect(taking.map((operation) => operation.operationId).filter((id) => !swept.has(id))).toEqual([]);
    expect(sweeps.length).toBeGreaterThan(80);
  });

  it("answers the issue's own cases with 400: q with NUL, a name with NUL, a category id past 2^31-1", async () => {
    const search = await api.request("/api/products?q=abc%00");
    expect(search.status).toBe(400);
    const register = await api.request("/api/auth/register", json({ ...newAccount(), name: "N\u0000ul" }));
    expect(register.status).toBe(400);
    expect(register.body.errors).toEqual([expect.objectContaining({ location: "body", pointer: "/name" })]);
    const create = await api.request(
      "/api/products",
      json(
        { name: "Too Far", description: "x", price: { amount: 100, currency: "EUR" }, categoryId: 2 ** 31 },
        credentials,
      ),
    );
    expect(create.status).toBe(400);
    expect(create.body.errors).toEqual([expect.objectContaining({ pointer: "/categoryId" })]);
  });

  it("refuses a cursor this API did not sign before anything in it reaches the database", async () => {
    const forged = Buffer.from(
      JSON.stringify({ createdAt: "2026-01-01T00:00:00Z", id: "a\u0000b" }),
    ).toString("base64url");
    const users = await api.request(`/api/admin/users?cursor=${forged}`, { headers: credentials });
    expect(users.status).toBe(400);
    expect(users.body.code).toBe("invalid_cursor");
  });

  it.each(sweeps.map((sweep) => [sweep.name, sweep] as const))("%s", async (_name, sweep) => {
    const required = exampleHeaders(sweep.operation.path, sweep.operation.method);
    const [url, init] = requestOf(sweep.operation, sweep.input, { ...credentials, ...required });
    const response = await api.request(url, init);
    expect(response.status, response.text).toBe(400);
    expect(response.body.code).toBe("validation_failed");
    expect(response.body.errors).toContainEqual(
      expect.objectContaining({ location: sweep.location, pointer: sweep.pointer }),
    );
  });
});
