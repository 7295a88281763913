// The generator refuses what it cannot translate faithfully, loudly: a CodegenError naming the
// place in the bundled contract, the file of the split contract that holds it and the pointer
// there. Each case is a tiny contract (root + schemas.yaml + paths.yaml) with one fault.
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CodegenError } from "../errors";
import { generate } from "../generate";
import { removeDir, scratchDir, writeContract } from "./support";

type Json = Record<string, unknown>;

const ok = { 200: { description: "OK" } };
/** What every operation that takes a body declares beside its success. */
const withBody = { ...ok, 415: { description: "Unsupported media type" } };
const operation = (extra: Json = {}): Json => ({
  operationId: "getThing",
  summary: "Get a thing",
  description: "A thing.",
  responses: "requestBody" in extra ? withBody : ok,
  ...extra,
});
/** An integer as the contract must write it: a format and both bounds within it. */
const int32: Json = { type: "integer", format: "int32", minimum: 0, maximum: 1000 };
/** Free text as a request may carry it: anything PostgreSQL text can hold. */
const text: Json = { type: "string", pattern: "^[^\\u0000]*$" };
const strictObject = (properties: Json, extra: Json = {}): Json => ({
  type: "object",
  additionalProperties: false,
  properties,
  ...extra,
});
const jsonBody = (schema: Json): Json => ({ required: true, content: { "application/json": { schema } } });

interface Case {
  schemas?: Record<string, Json>;
  /** Path items by path; written to paths.yaml under a key derived from the path. */
  paths?: Record<string, Json>;
  pointer: string;
  file: "schemas.yaml" | "paths.yaml" | "openapi.yaml";
  filePointer: string;
  reason: RegExp;
}

const ref = (name: string) => ({ $ref: `#/${name}` }); // inside schemas.yaml
const schemaRef = (name: string) => ({ $ref: `schemas.yaml#/${name}` }); // from paths.yaml
const thing = (schema: Json) => ({ schemas: { Thing: schema } });
const at = (rest: string) => `#/components/schemas/Thing${rest}`;
const inFile = (rest: string) => `#/Thing${rest}`;

const CASES: Record<string, Case> = {
  "an unsupported keyword (not)": {
    ...thing({ type: "string", not: { enum: ["x"] } }),
    pointer: at(""),
    file: "schemas.yaml",
    filePointer: inFile(""),
    reason: /unsupported keyword 'not'/,
  },
  anyOf: {
    ...thing(strictObject({ value: { anyOf: [{ type: "string" }, { type: "integer" }] } })),
    pointer: at("/properties/value"),
    file: "schemas.yaml",
    filePointer: inFile("/properties/value"),
    reason: /unsupported keyword 'anyOf'/,
  },
  "oneOf without a discriminator": {
    schemas: { A: strictObject({}), B: strictObject({}), Thing: { oneOf: [ref("A"), ref("B")] } },
    pointer: at(""),
    file: "schemas.yaml",
    filePointer: inFile(""),
    reason: /oneOf is supported only with a discriminator/,
  },
  "a discriminator property that is not a required string enum": {
    schemas: {
      A: strictObject({ kind: { type: "string" } }, { required: ["kind"] }),
      B: strictObject({ kind: { type: "string", enum: ["b"] } }, { required: ["kind"] }),
      Thing: { oneOf: [ref("A"), ref("B")], discriminator: { propertyName: "kind" } },
    },
    pointer: at("/oneOf/0"),
    file: "schemas.yaml",
    filePointer: inFile("/oneOf/0"),
    reason: /'A' must require 'kind' as a string enum/,
  },
  "two oneOf members with the same discriminator value": {
    schemas: {
      A: strictObject({ kind: { type: "string", enum: ["a"] } }, { required: ["kind"] }),
      B: strictObject({ kind: { type: "string", enum: ["b", "a"] } }, { required: ["kind"] }),
      Thing: { oneOf: [ref("A"), ref("B")], discriminator: { propertyName: "kind" } },
    },
    pointer: at("/oneOf/1"),
    file: "schemas.yaml",
    filePointer: inFile("/oneOf/1"),
    reason: /'B' and 'A' both take 'kind: a'/,
  },
  "an unsupported string format (hostname)": {
    ...thing(strictObject({ host: { type: "string", format: "hostname" } })),
    pointer: at("/properties/host"),
    file: "schemas.yaml",
    filePointer: inFile("/properties/host"),
    reason: /unsupported string format 'hostname'/,
  },
  "keywords beside $ref": {
    schemas: { Name: { type: "string" }, Thing: strictObject({ name: { ...ref("Name"), nullable: true } }) },
    pointer: at("/properties/name"),
    file: "schemas.yaml",
    filePointer: inFile("/properties/name"),
    reason: /keywords beside \$ref are ignored/,
  },
  "an allOf extension that redeclares a base property": {
    schemas: {
      Base: { type: "object", required: ["id"], properties: { id: int32 } },
      Thing: { allOf: [ref("Base"), { type: "object", properties: { id: { type: "string" } } }] },
    },
    pointer: at("/allOf/1/properties/id"),
    file: "schemas.yaml",
    filePointer: inFile("/allOf/1/properties/id"),
    reason: /'id' is already declared by 'Base'/,
  },
  "an allOf extension of an object with typed additional properties": {
    schemas: {
      Base: { type: "object", additionalProperties: int32 },
      Thing: { allOf: [ref("Base"), { type: "object", properties: { name: { type: "string" } } }] },
    },
    pointer: at(""),
    file: "schemas.yaml",
    filePointer: inFile(""),
    reason: /'Base' types its additional properties/,
  },
  "an allOf extension of a string": {
    schemas: {
      Base: { type: "string" },
      Thing: { allOf: [ref("Base"), { type: "object", properties: {} }] },
    },
    pointer: at(""),
    file: "schemas.yaml",
    filePointer: inFile(""),
    reason: /'Base' is not an object/,
  },
  "a required property with a default": {
    ...thing(strictObject({ size: { ...int32, default: 3 } }, { required: ["size"] })),
    pointer: at("/properties/size"),
    file: "schemas.yaml",
    filePointer: inFile("/properties/size"),
    reason: /a required value cannot have a default/,
  },
  "an enum on a boolean": {
    ...thing(strictObject({ flag: { type: "boolean", enum: [true] } })),
    pointer: at("/properties/flag"),
    file: "schemas.yaml",
    filePointer: inFile("/properties/flag"),
    reason: /enum is supported on strings only/,
  },
  "a fractional multipleOf": {
    ...thing(strictObject({ step: { type: "number", multipleOf: 0.1 } })),
    pointer: at("/properties/step"),
    file: "schemas.yaml",
    filePointer: inFile("/properties/step"),
    reason: /multipleOf must be a positive whole number/,
  },
  "a pattern that is not a Unicode regular expression": {
    ...thing(strictObject({ code: { type: "string", pattern: "^a\\-b$" } })),
    pointer: at("/properties/code"),
    file: "schemas.yaml",
    filePointer: inFile("/properties/code"),
    reason: /pattern does not compile as a Unicode regular expression/,
  },
  "a JSON request body without additionalProperties: false": {
    schemas: { Thing: { type: "object", properties: { name: text } } },
    paths: { "/things": { post: operation({ requestBody: jsonBody(schemaRef("Thing")) }) } },
    pointer: at(""),
    file: "schemas.yaml",
    filePointer: inFile(""),
    reason: /a JSON request body must set additionalProperties: false/,
  },
  "an open object nested in a strict request body": {
    paths: {
      "/things": {
        post: operation({
          requestBody: jsonBody(strictObject({ meta: { type: "object", properties: {} } })),
        }),
      },
    },
    pointer: "#/paths/~1things/post/requestBody/content/application~1json/schema/properties/meta",
    file: "paths.yaml",
    filePointer: "#/things/post/requestBody/content/application~1json/schema/properties/meta",
    reason: /additionalProperties: false \(inside the request body/,
  },
  "an allOf extension as a request body": {
    schemas: {
      Base: { type: "object", properties: { id: int32 } },
      Thing: { allOf: [ref("Base"), { type: "object", properties: { name: text } }] },
    },
    paths: { "/things": { post: operation({ requestBody: jsonBody(schemaRef("Thing")) }) } },
    pointer: at(""),
    file: "schemas.yaml",
    filePointer: inFile(""),
    reason: /an allOf extension is open to unknown fields/,
  },
  "a missing operationId": {
    paths: { "/things": { get: { ...operation(), operationId: undefined } } },
    pointer: "#/paths/~1things/get",
    file: "paths.yaml",
    filePointer: "#/things/get",
    reason: /every operation needs an operationId/,
  },
  "a duplicate operationId": {
    paths: { "/things": { get: operation(), post: operation() } },
    pointer: "#/paths/~1things/post",
    file: "paths.yaml",
    filePointer: "#/things/post",
    reason: /operationId 'getThing' is also used at #\/paths\/~1things\/get/,
  },
  "an undeclared path parameter": {
    paths: { "/things/{id}": { get: operation() } },
    pointer: "#/paths/~1things~1{id}/get",
    file: "paths.yaml",
    filePointer: "#/things_id/get",
    reason: /path parameter 'id' is not declared/,
  },
  "a path parameter missing from the path": {
    paths: {
      "/things": {
        get: operation({
          parameters: [{ name: "id", in: "path", required: true, schema: int32 }],
        }),
      },
    },
    pointer: "#/paths/~1things/get/parameters/0",
    file: "paths.yaml",
    filePointer: "#/things/get/parameters/0",
    reason: /path parameter 'id' is not in the path/,
  },
  "an object query parameter": {
    paths: {
      "/things": {
        get: operation({
          parameters: [{ name: "filter", in: "query", schema: strictObject({ a: text }) }],
        }),
      },
    },
    pointer: "#/paths/~1things/get/parameters/0/schema",
    file: "paths.yaml",
    filePointer: "#/things/get/parameters/0/schema",
    reason: /a query parameter must be a string, number, integer or boolean, or an array of those/,
  },
  "an array header parameter (comma-separated)": {
    paths: {
      "/things": {
        get: operation({
          parameters: [{ name: "X-Tags", in: "header", schema: { type: "array", items: text } }],
        }),
      },
    },
    pointer: "#/paths/~1things/get/parameters/0/schema",
    file: "paths.yaml",
    filePointer: "#/things/get/parameters/0/schema",
    reason: /a header parameter must be a string, number, integer or boolean/,
  },
  "a path-level array path parameter": {
    paths: {
      "/things/{ids}": {
        parameters: [{ name: "ids", in: "path", required: true, schema: { type: "array", items: int32 } }],
        get: operation(),
      },
    },
    pointer: "#/paths/~1things~1{ids}/parameters/0/schema",
    file: "paths.yaml",
    filePointer: "#/things_ids/parameters/0/schema",
    reason: /a path parameter must be a string, number, integer or boolean/,
  },
  "a required query parameter with a default": {
    paths: {
      "/things": {
        get: operation({
          parameters: [{ name: "limit", in: "query", required: true, schema: { ...int32, default: 20 } }],
        }),
      },
    },
    pointer: "#/paths/~1things/get/parameters/0/schema",
    file: "paths.yaml",
    filePointer: "#/things/get/parameters/0/schema",
    reason: /a required value cannot have a default/,
  },
  "an unknown x- extension": {
    paths: { "/things": { get: operation({ "x-cached": { ttl: 5 } }) } },
    pointer: "#/paths/~1things/get",
    file: "paths.yaml",
    filePointer: "#/things/get",
    reason: /unknown extension 'x-cached'/,
  },
  "a malformed x-cache": {
    paths: { "/things": { get: operation({ "x-cache": { ttl: "soon", tags: [] } }) } },
    pointer: "#/paths/~1things/get/x-cache",
    file: "paths.yaml",
    filePointer: "#/things/get/x-cache",
    reason: /ttl/,
  },
  "an integer without a format": {
    ...thing(strictObject({ size: { type: "integer", minimum: 0, maximum: 10 } })),
    pointer: at("/properties/size"),
    file: "schemas.yaml",
    filePointer: inFile("/properties/size"),
    reason: /an integer must name its format, int32 or int64/,
  },
  "an int32 without a maximum (a database integer column stops at 2^31-1)": {
    ...thing(strictObject({ size: { type: "integer", format: "int32", minimum: 1 } })),
    pointer: at("/properties/size"),
    file: "schemas.yaml",
    filePointer: inFile("/properties/size"),
    reason: /an int32 integer needs a maximum within its range \(2147483647\)/,
  },
  "an int32 whose maximum is beyond 2^31-1": {
    ...thing(strictObject({ size: { type: "integer", format: "int32", minimum: 1, maximum: 2 ** 31 } })),
    pointer: at("/properties/size"),
    file: "schemas.yaml",
    filePointer: inFile("/properties/size"),
    reason: /an int32 integer needs a maximum within its range/,
  },
  "an int64 beyond what a JSON number carries exactly": {
    ...thing(strictObject({ size: { type: "integer", format: "int64", minimum: 0, maximum: 2 ** 63 } })),
    pointer: at("/properties/size"),
    file: "schemas.yaml",
    filePointer: inFile("/properties/size"),
    reason: /an int64 integer needs a maximum within its range \(9007199254740991\)/,
  },
  "a request string with no rule against NUL": {
    schemas: { Thing: strictObject({ name: { type: "string", maxLength: 10 } }) },
    paths: { "/things": { post: operation({ requestBody: jsonBody(schemaRef("Thing")) }) } },
    pointer: at("/properties/name"),
    file: "schemas.yaml",
    filePointer: inFile("/properties/name"),
    reason: /a string a request carries must refuse NUL/,
  },
  "a request string whose pattern lets NUL through (^\\S checks the first character only)": {
    schemas: { Thing: strictObject({ name: { type: "string", pattern: "^\\S" } }) },
    paths: { "/things": { post: operation({ requestBody: jsonBody(schemaRef("Thing")) }) } },
    pointer: at("/properties/name"),
    file: "schemas.yaml",
    filePointer: inFile("/properties/name"),
    reason: /pattern '\^\\S' accepts ".*\\u0000.*", which holds NUL/,
  },
  "a query string with no rule against NUL": {
    paths: {
      "/things": { get: operation({ parameters: [{ name: "q", in: "query", schema: { type: "string" } }] }) },
    },
    pointer: "#/paths/~1things/get/parameters/0/schema",
    file: "paths.yaml",
    filePointer: "#/things/get/parameters/0/schema",
    reason: /a string a request carries must refuse NUL/,
  },
  "an operation with a body that does not declare 415": {
    schemas: { Thing: strictObject({ name: text }) },
    paths: {
      "/things": {
        post: { ...operation({ requestBody: jsonBody(schemaRef("Thing")) }), responses: ok },
      },
    },
    pointer: "#/paths/~1things/post/responses",
    file: "paths.yaml",
    filePointer: "#/things/post/responses",
    reason: /an operation that takes a request body must declare 415/,
  },
};

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) removeDir(dir);
});

/** A root file indexing schemas.yaml and paths.yaml, as the real contract indexes its files. */
function writeCase(dir: string, fault: Case): string {
  const schemas = fault.schemas ?? {};
  const paths = fault.paths ?? { "/things": { get: operation() } };
  const key = (path: string) => path.replace(/^\//, "").replace(/[{}]/g, "").replaceAll("/", "_");
  return writeContract(dir, {
    "openapi.yaml": {
      openapi: "3.0.3",
      info: { title: "Fault", version: "1.0.0" },
      security: [],
      paths: Object.fromEntries(
        Object.keys(paths).map((path) => [path, { $ref: `paths.yaml#/${key(path)}` }]),
      ),
      components: {
        schemas: Object.fromEntries(
          Object.keys(schemas).map((name) => [name, { $ref: `schemas.yaml#/${name}` }]),
        ),
      },
    },
    "schemas.yaml": Object.keys(schemas).length > 0 ? schemas : { Unused: { type: "string" } },
    "paths.yaml": Object.fromEntries(Object.entries(paths).map(([path, item]) => [key(path), item])),
  });
}

describe("the generator refuses, naming the file and the pointer", () => {
  it.each(Object.entries(CASES))("%s", async (_name, fault) => {
    const dir = scratchDir();
    dirs.push(dir);
    const root = writeCase(dir, fault);
    const error = await generate(root, join(dir, "redocly.yaml"), join(dir, "out")).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(CodegenError);
    const refusal = error as CodegenError;
    expect(refusal.reason).toMatch(fault.reason);
    expect(refusal.pointer).toBe(fault.pointer);
    expect(refusal.file).toBe(relative(process.cwd(), join(dir, fault.file)));
    expect(refusal.filePointer).toBe(fault.filePointer);
    expect(refusal.message).toContain(`${refusal.file}${fault.filePointer}`);
    expect(refusal.message).toContain(fault.pointer);
  });

  it("accepts the same tiny contract without a fault (the cases fail for their fault alone)", async () => {
    const dir = scratchDir();
    dirs.push(dir);
    const root = writeCase(dir, {
      schemas: { Thing: strictObject({ name: text, size: int32 }) },
      paths: { "/things": { post: operation({ requestBody: jsonBody(schemaRef("Thing")) }) } },
      pointer: "",
      file: "openapi.yaml",
      filePointer: "",
      reason: /never/,
    });
    await expect(generate(root, join(dir, "redocly.yaml"), join(dir, "out"))).resolves.toBeUndefined();
  });
});
