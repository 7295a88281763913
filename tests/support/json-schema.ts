// The contract's OpenAPI 3.0 schemas as JSON Schema (draft 2020-12) for ajv: an implementation
// independent of the generator, so that the two can be compared. (The published converter,
// @openapi-contrib/openapi-schema-to-json-schema, drops `nullable` beside `allOf`, one of the
// traps these tests exist to catch.)

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type SchemaObject = { [key: string]: Json };

const DOCUMENTATION_ONLY = new Set([
  "example",
  "examples",
  "xml",
  "externalDocs",
  "deprecated",
  "discriminator",
]);

/** JavaScript numbers are exact up to 2^53; the contract's `integer` means a safe integer. */
const SAFE_INTEGER = { minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };

export function toJsonSchema(schema: Json, refBase = "#/components/schemas/"): Json {
  if (Array.isArray(schema)) return schema.map((item) => toJsonSchema(item, refBase));
  if (schema === null || typeof schema !== "object") return schema;
  const source = schema as SchemaObject;
  if (typeof source.$ref === "string") {
    return { $ref: source.$ref.replace("#/components/schemas/", refBase) };
  }
  const out: SchemaObject = {};
  for (const [key, value] of Object.entries(source)) {
    if (DOCUMENTATION_ONLY.has(key) || key.startsWith("x-") || key === "nullable") continue;
    if (key === "exclusiveMinimum" || key === "exclusiveMaximum") continue;
    if (key === "properties" && value && typeof value === "object" && !Array.isArray(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, toJsonSchema(sub, refBase)]),
      );
    } else if (["items", "additionalProperties", "not"].includes(key) && typeof value === "object") {
      out[key] = toJsonSchema(value, refBase);
    } else if (["allOf", "oneOf", "anyOf"].includes(key)) {
      out[key] = toJsonSchema(value, refBase);
    } else {
      out[key] = value;
    }
  }
  if (source.exclusiveMinimum === true && typeof source.minimum === "number") {
    delete out.minimum;
    out.exclusiveMinimum = source.minimum;
  }
  if (source.exclusiveMaximum === true && typeof source.maximum === "number") {
    delete out.maximum;
    out.exclusiveMaximum = source.maximum;
  }
  if (source.type === "integer") {
    out.minimum = Math.max(Number(out.minimum ?? SAFE_INTEGER.minimum), SAFE_INTEGER.minimum);
    out.maximum = Math.min(Number(out.maximum ?? SAFE_INTEGER.maximum), SAFE_INTEGER.maximum);
  }
  if (source.nullable === true) return { anyOf: [out, { type: "null" }] };
  return out;
}
