// The differential harness: the generated zod schemas against ajv on the contract's own JSON
// Schema, over generated valid values, near misses and arbitrary values. Shared by the main
// contract's test and the generator's fixture test.
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { fullFormats } from "ajv-formats/dist/formats.js";
import fc from "fast-check";
import type { OpenAPIV3 } from "openapi-types";
import type { z } from "zod";
import { toJsonSchema } from "../../support/json-schema";
import { Mutations } from "./mutations";
import type { Components, Schema } from "./schema-arbitrary";
import { decodeParameter, encodeParameter, type Wire } from "./wire";

type Json = Parameters<typeof toJsonSchema>[0];
export type SampleKind = "valid" | "mutated" | "anything";

export interface Target {
  /** `schema Money`, `listCategories query`, `createPattern body application/json`. */
  name: string;
  zod: z.ZodType;
  /** ajv on what the contract reads from a sample (the sample itself for JSON). */
  contract: ValidateFunction;
  decode(sample: unknown): unknown;
  samples: Record<SampleKind, fc.Arbitrary<unknown>>;
  /** The value's schema: the body's, or an object of the group's parameters by name. */
  schema: Schema;
  /** A value as it arrives: itself for JSON, text for each parameter. */
  encode(value: unknown): unknown;
}

export interface Tally {
  target: string;
  /** Samples each side accepted, by kind (they are the same: a difference fails the test). */
  accepted: Record<SampleKind, number>;
  refused: Record<SampleKind, number>;
}

/**
 * Where this API reads a format more narrowly than ajv-formats, on purpose (see STRING_FORMATS in
 * openapi/codegen/zod.ts). Each narrowing is pinned by a test in openapi/codegen/test/, so that
 * it stays a decision rather than a drift:
 * - uuid: the 8-4-4-4-12 string of RFC 4122 §3; ajv-formats also takes the URN `urn:uuid:...`.
 * - date-time: RFC 3339 §5.6 with upper-case `T` and `Z` (the §5.6 note allows lower case),
 *   `±hh:mm` offsets (ajv-formats also takes `+hhmm` and `+hh`, which RFC 3339 does not) and
 *   no leap second (RFC 3339 allows `:60`; a JavaScript Date cannot hold one).
 */
const API_FORMATS = {
  uuid: /^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i,
  "date-time": (value: string) =>
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:[0-5]\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/.test(value) && looseDateTime(value),
};

function looseDateTime(value: string): boolean {
  const format = fullFormats["date-time"];
  return typeof format === "object" && "validate" in format && typeof format.validate === "function"
    ? (format.validate as (value: string) => boolean)(value)
    : false;
}

/**
 * ajv with the contract's components under `contract#/$defs/`, as tests/support/contract.ts does;
 * `apiFormats: false` leaves ajv-formats' own reading of every format.
 */
export function contractAjv(document: OpenAPIV3.Document, { apiFormats = true } = {}): Ajv2020 {
  // strictNumbers: NaN and Infinity are not JSON, so no request can carry them; ajv's default
  // under `strict: false` would call them numbers.
  const ajv = new Ajv2020({ strict: false, strictNumbers: true, allErrors: true });
  addFormats.default(ajv);
  if (apiFormats) for (const [name, format] of Object.entries(API_FORMATS)) ajv.addFormat(name, format);
  const defs = Object.fromEntries(
    Object.entries(document.components?.schemas ?? {}).map(([name, schema]) => [
      name,
      toJsonSchema(schema as Json, "contract#/$defs/"),
    ]),
  );
  ajv.addSchema({ $id: "contract", $defs: defs } as never);
  return ajv;
}

interface GeneratedModules {
  schemas: Record<string, unknown>;
  routes: Record<string, { request?: RouteRequest }>;
}

interface RouteRequest {
  query?: z.ZodType;
  params?: z.ZodType;
  headers?: z.ZodType;
  cookies?: z.ZodType;
  body?: { content: Record<string, { schema: unknown }> };
}

const GROUPS: Record<string, keyof RouteRequest> = {
  query: "query",
  path: "params",
  header: "headers",
  cookie: "cookies",
};
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** Every component schema, parameter group and JSON request body of the contract. */
export function targetsOf(document: OpenAPIV3.Document, generated: GeneratedModules): Target[] {
  const components = (document.components?.schemas ?? {}) as Components;
  const ajv = contractAjv(document);
  const mutations = new Mutations(components);
  const compile = (schema: Schema) => ajv.compile(toJsonSchema(schema as Json, "contract#/$defs/") as object);
  const targets: Target[] = [];

  for (const name of Object.keys(components)) {
    const zod = generated.schemas[`${name}Schema`];
    if (!isZod(zod)) throw new Error(`generated schemas have no ${name}Schema`);
    const ref: Schema = { $ref: `#/components/schemas/${name}` };
    targets.push(jsonTarget(`schema ${name}`, zod, compile(ref), mutations, ref));
  }

  for (const item of Object.values(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item?.[method];
      if (!operation?.operationId) continue;
      const request = generated.routes[operation.operationId]?.request;
      const parameters = parametersOf(document, item?.parameters ?? [], operation.parameters ?? []);
      for (const [location, group] of Object.entries(GROUPS)) {
        const own = parameters.filter((p) => p.in === location);
        if (own.length === 0) continue;
        const zod = request?.[group];
        if (!isZod(zod))
          throw new Error(`${operation.operationId}: no ${group} schema for its ${location} parameters`);
        targets.push(
          parameterTarget(
            `${operation.operationId} ${location}`,
            zod,
            own,
            components,
            compile,
            mutations,
            location,
          ),
        );
      }
      const body =
        operation.requestBody && resolveIn<OpenAPIV3.RequestBodyObject>(document, operation.requestBody);
      for (const [mediaType, media] of Object.entries(body?.content ?? {})) {
        if (!/json/.test(mediaType) || !media.schema) continue;
        const zod = request?.body?.content[mediaType]?.schema;
        if (!isZod(zod)) throw new Error(`${operation.operationId}: no schema for its ${mediaType} body`);
        const name = `${operation.operationId} body ${mediaType}`;
        targets.push(jsonTarget(name, zod, compile(media.schema), mutations, media.schema));
      }
    }
  }
  return targets;
}

function jsonTarget(
  name: string,
  zod: z.ZodType,
  contract: ValidateFunction,
  mutations: Mutations,
  schema: Schema,
): Target {
  return {
    name,
    zod,
    contract,
    schema,
    decode: (sample) => sample,
    encode: (value) => value,
    samples: {
      valid: mutations.values.valid(schema),
      mutated: mutations.mutated(schema),
      // What JSON.parse can produce; fc.anything() goes through JSON so that both sides see JSON.
      anything: fc.oneof(
        fc.jsonValue(),
        fc.anything().map((value) => {
          const text = JSON.stringify(value);
          return text === undefined ? null : JSON.parse(text);
        }),
      ),
    },
  };
}

/** Raw text that parameter parsers get wrong: blanks, signs, hex, words for numbers and booleans. */
const AWKWARD_TEXT = [
  "",
  " ",
  "5",
  " 5",
  "5 ",
  "+5",
  "-5",
  "05",
  "5.",
  ".5",
  "1.5",
  "1.0",
  "1e2",
  "1e400",
  "-0",
  "0x10",
  "0b1",
  "Infinity",
  "NaN",
  "null",
  "true",
  "false",
  "TRUE",
  "True",
  "1",
  "0",
  "yes",
  "no",
  "on",
  "abc",
  "red",
  "RED",
];

function parameterTarget(
  name: string,
  zod: z.ZodType,
  parameters: OpenAPIV3.ParameterObject[],
  components: Components,
  compile: (schema: Schema) => ValidateFunction,
  mutations: Mutations,
  location: string,
): Target {
  const schemaOf = (p: OpenAPIV3.ParameterObject) => p.schema as Schema;
  const required = (p: OpenAPIV3.ParameterObject) => p.in === "path" || p.required === true;
  const group: Schema = {
    type: "object",
    required: parameters.filter(required).map((p) => p.name),
    properties: Object.fromEntries(parameters.map((p) => [p.name, schemaOf(p)])),
  };
  const contract = compile(group);
  // Only a query parameter can repeat; elsewhere each parameter is one string.
  const texts: fc.Arbitrary<Wire> =
    location === "query"
      ? fc.oneof(
          fc.constantFrom(...AWKWARD_TEXT),
          fc.string(),
          fc.array(fc.constantFrom(...AWKWARD_TEXT), { minLength: 2, maxLength: 3 }),
        )
      : fc.oneof(fc.constantFrom(...AWKWARD_TEXT), fc.string());
  const encoded = (values: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(values)
        .map(([key, value]) => [key, encodeParameter(value)] as const)
        .filter(([, wire]) => wire !== undefined && (location === "query" || typeof wire === "string")),
    );
  const valid = fc.record(
    Object.fromEntries(parameters.map((p) => [p.name, mutations.values.valid(schemaOf(p))])),
    { requiredKeys: parameters.filter(required).map((p) => p.name) },
  );
  // Built once per parameter: building an arbitrary (a pattern's generator above all) inside
  // `chain` would rebuild it for every sample, which made slug parameters take minutes.
  const changes = new Map(
    parameters.map((p) => [p, fc.oneof(mutations.mutated(schemaOf(p)), fc.constant(undefined))] as const),
  );
  const oneChanged = fc.tuple(valid, fc.constantFrom(...parameters)).chain(([values, parameter]) =>
    (changes.get(parameter) ?? fc.constant(undefined)).map((changed) => ({
      ...values,
      [parameter.name]: changed,
    })),
  );
  const oneRaw = fc
    .tuple(valid.map(encoded), fc.constantFrom(...parameters), texts)
    .map(([wire, parameter, text]) => ({ ...wire, [parameter.name]: text }));
  const names = fc.oneof(fc.constantFrom(...parameters.map((p) => p.name)), fc.string({ maxLength: 4 }));
  return {
    name,
    zod,
    contract,
    schema: group,
    encode: (value) => encoded(value as Record<string, unknown>),
    decode(sample) {
      const wire = sample as Record<string, Wire>;
      const decoded: Record<string, unknown> = { ...wire };
      for (const parameter of parameters) {
        const text = wire[parameter.name];
        if (text !== undefined)
          decoded[parameter.name] = decodeParameter(components, schemaOf(parameter), text);
      }
      return decoded;
    },
    samples: {
      // `[]` and arrays outside the query cannot be written, so such values are not valid samples.
      valid: valid.map(encoded).filter((wire) => parameters.every((p) => !required(p) || p.name in wire)),
      mutated: fc.oneof(oneChanged.map(encoded), oneRaw),
      anything: fc.dictionary(names, texts, { maxKeys: parameters.length + 1 }),
    },
  };
}

/**
 * Runs every kind of sample through both sides and throws, naming the target and the
 * (shrunk) sample, at the first value on which they differ. A valid sample the contract
 * refuses is a fault of the test's own generator and is reported as such.
 */
export function checkAgreement(target: Target, runs: Record<SampleKind, number>, seed?: number): Tally {
  const tally: Tally = {
    target: target.name,
    accepted: { valid: 0, mutated: 0, anything: 0 },
    refused: { valid: 0, mutated: 0, anything: 0 },
  };
  for (const kind of Object.keys(runs) as SampleKind[]) {
    fc.assert(
      fc.property(target.samples[kind], (sample) => {
        const decoded = target.decode(sample);
        const contractAccepts = target.contract(decoded);
        const result = target.zod.safeParse(sample);
        if (kind === "valid" && !contractAccepts) {
          throw new Error(
            `${target.name}: the test generated a value the contract refuses (a bug in tests/contract/support):\n${show(sample)}\n${errorsOf(target.contract)}`,
          );
        }
        if (result.success !== contractAccepts) {
          const zodSays = result.success
            ? "accepts"
            : `refuses (${result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")})`;
          const contractSays = contractAccepts ? "accepts" : `refuses (${errorsOf(target.contract)})`;
          throw new Error(
            `${target.name}: zod ${zodSays} but the contract ${contractSays}\nsample: ${show(sample)}${decoded === sample ? "" : `\ndecoded: ${show(decoded)}`}`,
          );
        }
        (contractAccepts ? tally.accepted : tally.refused)[kind] += 1;
      }),
      { numRuns: runs[kind], includeErrorInReport: true, ...(seed === undefined ? {} : { seed }) },
    );
  }
  return tally;
}

function errorsOf(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ");
}

function show(value: unknown): string {
  return fc.stringify(value);
}

function isZod(value: unknown): value is z.ZodType {
  return typeof value === "object" && value !== null && "safeParse" in value;
}

function resolveIn<T>(document: OpenAPIV3.Document, value: T | OpenAPIV3.ReferenceObject): T {
  if (!value || typeof value !== "object" || !("$ref" in value)) return value as T;
  const [, , section, name] = value.$ref.split("/");
  const target = (document.components as Record<string, Record<string, unknown>> | undefined)?.[
    section ?? ""
  ]?.[name ?? ""];
  if (!target) throw new Error(`unresolved ${value.$ref}`);
  return resolveIn(document, target as T | OpenAPIV3.ReferenceObject);
}

/** Path-level parameters, overridden by the operation's own of the same name and place. */
function parametersOf(
  document: OpenAPIV3.Document,
  shared: (OpenAPIV3.ParameterObject | OpenAPIV3.ReferenceObject)[],
  own: (OpenAPIV3.ParameterObject | OpenAPIV3.ReferenceObject)[],
): OpenAPIV3.ParameterObject[] {
  const resolved = (list: typeof own) => list.map((p) => resolveIn<OpenAPIV3.ParameterObject>(document, p));
  const mine = resolved(own);
  const key = (p: OpenAPIV3.ParameterObject) => `${p.in}:${p.name}`;
  const overridden = new Set(mine.map(key));
  return [...resolved(shared).filter((p) => !overridden.has(key(p))), ...mine];
}
