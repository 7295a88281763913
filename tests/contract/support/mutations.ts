// Candidates for the invalid side: valid values with one thing changed somewhere inside them
// (a key dropped or added, a wrong type, a bound crossed, a pattern broken). A candidate may
// happen to stay valid; the differential test only asks that both validators agree on it.
import fc from "fast-check";
import type { OpenAPIV3 } from "openapi-types";
import { formatNearMiss } from "./formats";
import {
  type Components,
  DEFAULT_DEPTH,
  objectParts,
  resolveRef,
  type Schema,
  ValueArbitraries,
} from "./schema-arbitrary";

const WRONG_TYPES: unknown[] = [
  "text",
  "",
  "1",
  "true",
  7,
  0,
  -1,
  2.5,
  true,
  false,
  null,
  [],
  [1],
  {},
  { a: 1 },
];

/** Keys an object schema must refuse when strict, and that look like fields a client might slip in. */
const UNKNOWN_KEYS = ["role", "status", "total", "__extra", "constructor", ""];

export class Mutations {
  readonly values: ValueArbitraries;

  constructor(private readonly components: Components) {
    this.values = new ValueArbitraries(components);
  }

  /** A valid value of `schema` with one change, at the top or nested inside it. */
  mutated(schema: Schema, depth = DEFAULT_DEPTH): fc.Arbitrary<unknown> {
    if ("$ref" in schema) return this.mutated(resolveRef(this.components, schema.$ref).schema, depth - 1);
    const local = [fc.constantFrom(...WRONG_TYPES), ...this.local(schema)];
    const nested = depth > 0 ? this.nested(schema, depth) : [];
    return fc.oneof(...local, ...nested);
  }

  private local(schema: OpenAPIV3.SchemaObject): fc.Arbitrary<unknown>[] {
    if (schema.allOf || schema.oneOf) return this.objectLocal(schema);
    switch (schema.type) {
      case "string":
        return this.stringLocal(schema);
      case "integer":
      case "number":
        return [numberEdges(schema)];
      case "boolean":
        return [fc.constantFrom("true", "false", 0, 1)];
      case "array": {
        const items = this.values.valid(schema.items, 0);
        const tooMany = schema.maxItems ?? 3;
        return [
          fc.array(items, { minLength: tooMany + 1, maxLength: tooMany + 2 }),
          fc.array(items, { maxLength: Math.max(0, (schema.minItems ?? 0) - 1) }),
        ];
      }
      case "object":
        return this.objectLocal(schema);
      default:
        return [];
    }
  }

  private stringLocal(schema: OpenAPIV3.SchemaObject): fc.Arbitrary<unknown>[] {
    const valid = this.values.valid({ ...schema, nullable: false }, 0) as fc.Arbitrary<string>;
    const out: fc.Arbitrary<unknown>[] = [];
    if (schema.enum) {
      const values = schema.enum as string[];
      out.push(
        fc.constantFrom(...values.map((v) => v.toUpperCase()), ...values.map((v) => ` ${v}`), "other"),
      );
    }
    if (schema.format) out.push(formatNearMiss(schema.format));
    // NUL, which PostgreSQL text cannot hold, anywhere in an otherwise valid value.
    out.push(
      fc.tuple(valid, fc.nat()).map(([value, at]) => {
        const index = at % (value.length + 1);
        return `${value.slice(0, index)}\u0000${value.slice(index)}`;
      }),
    );
    // Lengths are in characters: an emoji is one character and two UTF-16 units.
    const filler = fc.constantFrom("x", "🧶", "é");
    if (schema.maxLength !== undefined) {
      const over = schema.maxLength + 1;
      out.push(
        fc
          .tuple(valid, filler)
          .map(([value, unit]) => value + unit.repeat(Math.max(1, over - [...value].length))),
      );
      out.push(fc.string({ unit: filler, minLength: schema.maxLength, maxLength: over }));
    }
    if (schema.minLength !== undefined && schema.minLength > 0) {
      out.push(valid.map((value) => [...value].slice(0, (schema.minLength as number) - 1).join("")));
      out.push(
        fc.string({
          unit: filler,
          minLength: Math.max(0, schema.minLength - 1),
          maxLength: schema.minLength,
        }),
      );
    }
    if (schema.pattern) {
      const breaker = fc.constantFrom(" ", "-", "a", "A", "0", "_", "é", "🧶", "\n");
      out.push(
        fc.tuple(valid, fc.nat(), breaker).map(([value, at, text]) => {
          const index = at % (value.length + 1);
          return value.slice(0, index) + text + value.slice(index);
        }),
        // Same length in characters, twice the UTF-16 units: where a counted pattern read without
        // the `u` flag (`{1,8}` over code units) parts from JSON Schema's reading.
        valid.map((value) => "🧶".repeat([...value].length)),
        fc.tuple(valid, fc.nat()).map(([value, at]) => {
          const characters = [...value];
          characters[at % Math.max(1, characters.length)] = "🧶";
          return characters.join("");
        }),
      );
    }
    return out;
  }

  private objectLocal(schema: OpenAPIV3.SchemaObject): fc.Arbitrary<unknown>[] {
    const valid = this.values.valid(schema, 1) as fc.Arbitrary<Record<string, unknown>>;
    const { properties, required } = objectParts(this.components, schema);
    const out: fc.Arbitrary<unknown>[] = [
      fc
        .tuple(valid, fc.constantFrom(...UNKNOWN_KEYS), fc.jsonValue({ maxDepth: 1 }))
        .map(([value, key, extra]) => (isObject(value) ? { ...value, [key]: extra } : value)),
    ];
    if (required.length > 0) {
      out.push(
        fc.tuple(valid, fc.constantFrom(...required)).map(([value, key]) => {
          if (!isObject(value)) return value;
          const { [key]: _dropped, ...rest } = value;
          return rest;
        }),
      );
    }
    const names = Object.keys(properties);
    if (names.length > 0) {
      out.push(
        fc
          .tuple(valid, fc.constantFrom(...names), fc.constantFrom(...WRONG_TYPES))
          .map(([value, key, wrong]) => (isObject(value) ? { ...value, [key]: wrong } : value)),
      );
    }
    return out;
  }

  /** One property, item or oneOf member changed, the rest valid. */
  private nested(schema: OpenAPIV3.SchemaObject, depth: number): fc.Arbitrary<unknown>[] {
    if (schema.oneOf) return schema.oneOf.map((member) => this.mutated(member, depth));
    if (schema.allOf || schema.type === "object") {
      const valid = this.values.valid(schema, depth) as fc.Arbitrary<Record<string, unknown>>;
      const { properties } = objectParts(this.components, schema);
      const out = Object.entries(properties).map(([name, property]) =>
        fc
          .tuple(valid, this.mutated(property, depth - 1))
          .map(([value, changed]) => (isObject(value) ? { ...value, [name]: changed } : value)),
      );
      const extra = schema.additionalProperties;
      if (typeof extra === "object") {
        out.push(
          fc
            .tuple(valid, fc.string({ minLength: 1, maxLength: 4 }), this.mutated(extra, depth - 1))
            .map(([value, key, changed]) =>
              key in properties || !isObject(value) ? value : { ...value, [key]: changed },
            ),
        );
      }
      return out;
    }
    if (schema.type === "array") {
      return [
        fc
          .tuple(
            this.values.valid(schema, depth) as fc.Arbitrary<unknown[]>,
            fc.nat(),
            this.mutated(schema.items, depth - 1),
          )
          .map(([items, at, changed]) => {
            const copy = [...items];
            copy[items.length === 0 ? 0 : at % items.length] = changed;
            return copy;
          }),
      ];
    }
    return [];
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The bounds, one step either side, fractions, and integers too large to be exact. */
function numberEdges(schema: OpenAPIV3.SchemaObject): fc.Arbitrary<number> {
  // 2^31 and -2^31-1 lie just past PostgreSQL's `integer`; 2^63 past `bigint`.
  const edges = [
    0,
    -0,
    0.5,
    -1,
    1e21,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53,
    -(2 ** 53),
    2 ** 63,
    Number.MAX_SAFE_INTEGER,
    Number.MIN_VALUE,
  ];
  for (const bound of [schema.minimum, schema.maximum]) {
    if (bound !== undefined)
      edges.push(bound, bound - 1, bound + 1, bound - 0.5, bound + 0.5, bound - 1e-9, bound + 1e-9);
  }
  if (schema.multipleOf !== undefined)
    edges.push(schema.multipleOf + 1, schema.multipleOf * 2, schema.multipleOf / 2);
  return fc.oneof(
    fc.constantFrom(...edges),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
  );
}
