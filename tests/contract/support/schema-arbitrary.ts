// Values that satisfy an OpenAPI 3.0 schema, generated with fast-check. Written from the
// contract's semantics (JSON Schema plus 3.0's `nullable` and boolean `exclusiveMinimum`), not
// from the generator, so that the differential test compares two independent readings.
import fc from "fast-check";
import type { OpenAPIV3 } from "openapi-types";
import { formatValue } from "./formats";

export type Schema = OpenAPIV3.SchemaObject | OpenAPIV3.ReferenceObject;
export type Components = Record<string, Schema>;

/** How many `$ref`s deep a value may nest; deeper, arrays are empty and optional keys absent. */
export const DEFAULT_DEPTH = 3;

export function resolveRef(components: Components, ref: string): { name: string; schema: Schema } {
  const name = ref.replace("#/components/schemas/", "");
  const schema = components[name];
  if (!schema) throw new Error(`unknown component ${ref}`);
  return { name, schema };
}

/** The schema an object-valued schema describes, following `$ref` and `allOf` wrappers. */
export function objectParts(
  components: Components,
  schema: Schema,
): { properties: Record<string, Schema>; required: string[] } {
  if ("$ref" in schema) return objectParts(components, resolveRef(components, schema.$ref).schema);
  const parts = (schema.allOf ?? []).map((member) => objectParts(components, member));
  return {
    properties: Object.assign({}, ...parts.map((p) => p.properties), schema.properties ?? {}),
    required: [...parts.flatMap((p) => p.required), ...(schema.required ?? [])],
  };
}

export class ValueArbitraries {
  private readonly cache = new Map<string, fc.Arbitrary<unknown>>();

  constructor(private readonly components: Components) {}

  /** Any value the schema accepts, nesting at most `depth` references deep. */
  valid(schema: Schema, depth = DEFAULT_DEPTH): fc.Arbitrary<unknown> {
    if (depth < -DEFAULT_DEPTH) throw new Error("a schema requires itself: no finite value exists");
    if ("$ref" in schema) {
      const key = `${schema.$ref}@${depth}`;
      let arbitrary = this.cache.get(key);
      if (!arbitrary) {
        arbitrary = this.valid(resolveRef(this.components, schema.$ref).schema, depth - 1);
        this.cache.set(key, arbitrary);
      }
      return arbitrary;
    }
    const base = this.base(schema, depth);
    return schema.nullable
      ? fc.oneof({ arbitrary: base, weight: 4 }, { arbitrary: fc.constant(null), weight: 1 })
      : base;
  }

  private base(schema: OpenAPIV3.SchemaObject, depth: number): fc.Arbitrary<unknown> {
    if (schema.allOf) return this.allOf(schema.allOf, depth);
    if (schema.oneOf) return fc.oneof(...schema.oneOf.map((member) => this.valid(member, depth)));
    switch (schema.type) {
      case "string":
        return this.string(schema);
      case "integer":
        return integers(schema);
      case "number":
        return numbers(schema);
      case "boolean":
        return fc.boolean();
      case "array": {
        const minLength = schema.minItems ?? 0;
        const maxLength = depth > 0 ? Math.min(schema.maxItems ?? minLength + 3, minLength + 3) : minLength;
        if (maxLength === 0) return fc.constant([]); // past the depth bound: where recursion ends
        return fc.array(this.valid(schema.items, depth), { minLength, maxLength });
      }
      case "object":
        return this.object(schema, depth);
      default:
        // A schema without a type (documentation only) accepts any value.
        return fc.jsonValue({ maxDepth: 2 });
    }
  }

  private string(schema: OpenAPIV3.SchemaObject): fc.Arbitrary<string> {
    if (schema.enum) return fc.constantFrom(...(schema.enum as string[]));
    const minLength = schema.minLength ?? 0;
    const fits = (value: string) =>
      [...value].length >= minLength && [...value].length <= (schema.maxLength ?? Number.POSITIVE_INFINITY);
    if (schema.format) return formatValue(schema.format).filter(fits);
    if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern, "u")).filter(fits);
    const maxLength = schema.maxLength ?? minLength + 12;
    // Astral characters (emoji) count once in JSON Schema lengths but twice in `String.length`.
    return fc.oneof(
      fc.string({ minLength, maxLength }),
      fc.string({ minLength, maxLength, unit: "binary" }),
      fc.string({ minLength, maxLength, unit: fc.constantFrom("🧶", "é", "a", "\u0000", " ") }),
    );
  }

  private object(schema: OpenAPIV3.SchemaObject, depth: number): fc.Arbitrary<Record<string, unknown>> {
    const declared = schema.properties ?? {};
    const required = new Set(schema.required ?? []);
    // Past the depth bound only required keys are generated, so that recursion ends.
    const names = Object.keys(declared).filter((name) => depth > 0 || required.has(name));
    const shape = Object.fromEntries(
      names.map((name) => [name, this.valid(declared[name] as Schema, depth)]),
    );
    const known = fc.record(shape, { requiredKeys: names.filter((name) => required.has(name)) });
    const extra = schema.additionalProperties;
    if (extra === false || depth <= 0) return known;
    const value =
      extra === undefined || extra === true ? fc.jsonValue({ maxDepth: 1 }) : this.valid(extra, depth - 1);
    const key = fc.string({ maxLength: 6 }).filter((name) => !(name in declared) && name !== "__proto__");
    return fc
      .tuple(known, fc.dictionary(key, value, { maxKeys: 3 }))
      .map(([own, more]) => ({ ...more, ...own }));
  }

  /** `[$ref]` is the referenced schema; `[$ref, object]` merges two objects. */
  private allOf(members: Schema[], depth: number): fc.Arbitrary<unknown> {
    const [first, ...rest] = members;
    if (!first) throw new Error("empty allOf");
    if (rest.length === 0) return this.valid(first, depth);
    const extensions = rest.map((member) => objectParts(this.components, member));
    const baseDeclared = new Set(Object.keys(objectParts(this.components, first).properties));
    return fc.tuple(...members.map((member) => this.valid(member, depth))).map((values) => {
      const [base, ...more] = values as Record<string, unknown>[];
      const merged: Record<string, unknown> = { ...base };
      // A loose member may generate an extra key that another member declares; the declaring
      // member's schema decides what that key holds, so the other's guess is dropped, both ways.
      for (const extension of extensions)
        for (const name of Object.keys(extension.properties)) delete merged[name];
      for (const [index, value] of more.entries()) {
        const own = extensions[index]?.properties ?? {};
        for (const [name, held] of Object.entries(value ?? {})) {
          if (name in own || !baseDeclared.has(name)) merged[name] = held;
        }
      }
      return merged;
    });
  }
}

function integers(schema: OpenAPIV3.SchemaObject): fc.Arbitrary<number> {
  let min = schema.minimum ?? Number.MIN_SAFE_INTEGER;
  let max = schema.maximum ?? Number.MAX_SAFE_INTEGER;
  min = schema.exclusiveMinimum ? Math.floor(min) + 1 : Math.ceil(min);
  max = schema.exclusiveMaximum ? Math.ceil(max) - 1 : Math.floor(max);
  min = Math.max(min, Number.MIN_SAFE_INTEGER);
  max = Math.min(max, Number.MAX_SAFE_INTEGER);
  const step = schema.multipleOf ?? 1;
  return fc.integer({ min: Math.ceil(min / step), max: Math.floor(max / step) }).map((k) => k * step + 0);
}

function numbers(schema: OpenAPIV3.SchemaObject): fc.Arbitrary<number> {
  if (schema.multipleOf !== undefined) return integers({ ...schema, type: "integer" });
  const bounded = fc.double({
    min: schema.minimum,
    max: schema.maximum,
    minExcluded: schema.exclusiveMinimum === true,
    maxExcluded: schema.exclusiveMaximum === true,
    noNaN: true,
    noDefaultInfinity: true,
  });
  // Boundaries and whole numbers are where an off-by-one hides; doubles rarely land on them.
  const edges = [schema.minimum, schema.maximum, 0, 1, -1]
    .filter((value): value is number => value !== undefined)
    .flatMap((value) => [value, Math.trunc(value)]);
  const within = (value: number) =>
    (schema.minimum === undefined ||
      (schema.exclusiveMinimum ? value > schema.minimum : value >= schema.minimum)) &&
    (schema.maximum === undefined ||
      (schema.exclusiveMaximum ? value < schema.maximum : value <= schema.maximum));
  const exact = edges.filter(within);
  return exact.length > 0 ? fc.oneof(bounded, fc.constantFrom(...exact)) : bounded;
}
