import fc from "fast-check";
import type { OpenAPIV3 } from "openapi-types";
import { CodegenError, escapePointerSegment as seg } from "./errors";
import type { Operation } from "./operations";
import { componentNameOfRef, STRING_FORMATS } from "./zod";

type Schema = OpenAPIV3.SchemaObject | OpenAPIV3.ReferenceObject;

/** A pattern that says "any text PostgreSQL can store", for strings with no rule of their own. */
export const NUL_FREE_PATTERN = "^[^\\u0000]*$";

/** Values of each pattern the check tries NUL inside; fixed, so that the verdict never flickers. */
const SAMPLES = 40;
const SEED = 20_260_101;

/**
 * PostgreSQL text cannot hold NUL (U+0000), so a string a request can carry must say it refuses
 * NUL: it is an enum, has a format the generator translates (each refuses NUL), is a file, or has
 * a pattern that refuses it. Response-only strings are not checked: the database wrote them.
 *
 * A pattern's verdict is tested, not read: NUL is put at every place of values the pattern
 * accepts, and none of those may match. The differential and bad-input tests prove the rest.
 */
export function checkRequestStrings(document: OpenAPIV3.Document, operations: Operation[]): void {
  const components = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const seen = new Set<string>();
  const visit = (schema: Schema | undefined, pointer: string): void => {
    if (!schema) return;
    if ("$ref" in schema) {
      const name = componentNameOfRef(schema.$ref, pointer);
      if (seen.has(name)) return;
      seen.add(name);
      visit(components[name], `#/components/schemas/${seg(name)}`);
      return;
    }
    if (schema.type === "string") checkString(schema, pointer);
    for (const [key, members] of [
      ["allOf", schema.allOf],
      ["oneOf", schema.oneOf],
      ["anyOf", schema.anyOf],
    ] as const) {
      for (const [index, member] of (members ?? []).entries()) visit(member, `${pointer}/${key}/${index}`);
    }
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      visit(property, `${pointer}/properties/${seg(name)}`);
    }
    if (schema.type === "array") visit(schema.items, `${pointer}/items`);
    if (typeof schema.additionalProperties === "object") {
      visit(schema.additionalProperties, `${pointer}/additionalProperties`);
    }
  };
  for (const operation of operations) {
    for (const parameter of operation.parameters) {
      const at = operation.parameterPointers.get(parameter) ?? operation.pointer;
      visit(parameter.schema, `${at}/schema`);
    }
    for (const [mediaType, media] of Object.entries(operation.requestBody?.content ?? {})) {
      visit(media.schema, `${operation.pointer}/requestBody/content/${seg(mediaType)}/schema`);
    }
  }
}

function checkString(schema: OpenAPIV3.SchemaObject, pointer: string): void {
  if (schema.enum || schema.format === "binary") return;
  if (schema.format !== undefined && schema.format in STRING_FORMATS) return;
  if (schema.pattern === undefined) {
    throw new CodegenError(
      pointer,
      `a string a request carries must refuse NUL, which PostgreSQL text cannot hold: give it a pattern (${NUL_FREE_PATTERN} for free text), an enum or a format`,
    );
  }
  const accepted = withNulAccepted(new RegExp(schema.pattern, "u"));
  if (accepted !== undefined) {
    throw new CodegenError(
      pointer,
      `pattern '${schema.pattern}' accepts ${JSON.stringify(accepted)}, which holds NUL (PostgreSQL text cannot); exclude \\u0000 from it`,
    );
  }
}

/** A value holding NUL that `pattern` accepts, if the probes find one. */
function withNulAccepted(pattern: RegExp): string | undefined {
  const values = ["", ...fc.sample(fc.stringMatching(pattern), { numRuns: SAMPLES, seed: SEED })];
  for (const value of values) {
    for (let at = 0; at <= value.length; at++) {
      const probe = `${value.slice(0, at)}\u0000${value.slice(at)}`;
      if (pattern.test(probe)) return probe;
    }
  }
  return undefined;
}
