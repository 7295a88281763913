// Query, path and header parameters travel as text. Hono hands a route's validator one string per
// parameter, or an array of strings when a query parameter repeats; these functions turn a value
// into that text (to generate requests) and text back into the value the contract means (for ajv).
import type { OpenAPIV3 } from "openapi-types";
import { type Components, resolveRef, type Schema } from "./schema-arbitrary";

export type Wire = string | string[];

/** What arrives for a parameter holding `value`; undefined when nothing arrives (absent, or `[]`). */
export function encodeParameter(value: unknown): Wire | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    const items = value.map(encodeScalar);
    if (items.length === 0) return undefined; // `?tag` with no values cannot be written
    return items.length === 1 ? (items[0] as string) : items; // one value arrives as a plain string
  }
  return encodeScalar(value);
}

function encodeScalar(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The value the contract reads from the text, by the parameter's type. Text that is not a number
 * (or not exactly `true`/`false`) stays text, so that the schema refuses it.
 */
export function decodeParameter(components: Components, schema: Schema, wire: Wire): unknown {
  const resolved = concrete(components, schema);
  if (resolved.type === "array") {
    const items = resolved.items;
    return (typeof wire === "string" ? [wire] : wire).map((item) => decodeScalar(components, items, item));
  }
  // A scalar parameter repeated (`?limit=1&limit=2`) is not a scalar: it stays a list, and is refused.
  return typeof wire === "string" ? decodeScalar(components, resolved, wire) : wire;
}

/** A decimal numeral as people write it: no sign but minus, no blanks, no hex, no `Infinity`. */
const DECIMAL = /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

function decodeScalar(components: Components, schema: Schema, text: string): unknown {
  const resolved = concrete(components, schema);
  switch (resolved.type) {
    case "integer":
    case "number":
      return DECIMAL.test(text) ? Number(text) : text;
    case "boolean":
      return text === "true" ? true : text === "false" ? false : text;
    default:
      return text;
  }
}

/** Follows `$ref` and single-member `allOf` wrappers to the schema that has the type. */
function concrete(components: Components, schema: Schema): OpenAPIV3.SchemaObject {
  if ("$ref" in schema) return concrete(components, resolveRef(components, schema.$ref).schema);
  const [only, ...rest] = schema.allOf ?? [];
  if (only && rest.length === 0) return concrete(components, only);
  return schema;
}
