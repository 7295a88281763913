// Every string and integer a request can carry, each as a place in one complete valid value, and
// the values the database cannot hold for it: the sweep behind "bad input is a 400, everywhere"
// (DESIGN §7: what the database can hold, the contract says).
import fc from "fast-check";
import type { OpenAPIV3 } from "openapi-types";
import { type Components, resolveRef, type Schema, ValueArbitraries } from "./schema-arbitrary";

/** One string or integer inside a value: where it is, and what it is. */
export interface Leaf {
  /** Keys and indexes from the top of the value, e.g. ["price", "amount"] or ["tags", 0]. */
  path: (string | number)[];
  type: "string" | "integer";
  schema: OpenAPIV3.SchemaObject;
}

/** How many references deep the complete value goes; recursive schemas stop there. */
const DEPTH = 4;
const SEED = 8_031_907;

/** PostgreSQL's `integer` column stops here; no contract integer may reach past it unless int64. */
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

/**
 * A valid value of `schema` holding every declared property (optional ones too), one item per
 * array (or its minimum), the first member of a oneOf, and a fixed sample for each scalar.
 */
export function completeValue(components: Components, schema: Schema, depth = DEPTH): unknown {
  const values = new ValueArbitraries(components);
  const build = (current: Schema, left: number): unknown => {
    if ("$ref" in current) return build(resolveRef(components, current.$ref).schema, left - 1);
    if (current.allOf) {
      const members = current.allOf.map((member) => build(member, left));
      // `[$ref]` wraps any schema (a nullable string, say); `[$ref, object]` merges two objects.
      return members.length === 1 ? members[0] : Object.assign({}, ...(members as object[]));
    }
    if (current.oneOf) return build(current.oneOf[0] as Schema, left);
    if (current.type === "object") {
      const names = Object.keys(current.properties ?? {}).filter(
        (name) => left > 0 || (current.required ?? []).includes(name),
      );
      return Object.fromEntries(
        names
          .map((name) => [name, build(current.properties?.[name] as Schema, left)] as const)
          .filter(([, value]) => value !== undefined),
      );
    }
    if (current.type === "array") {
      const count = left > 0 ? Math.max(1, current.minItems ?? 0) : (current.minItems ?? 0);
      // Distinct samples, in case the array's items must differ (image ids to reorder).
      return fc.sample(values.valid({ ...current.items }, 0), { numRuns: count, seed: SEED }).slice(0, count);
    }
    // A file is bytes, not a JSON value: whoever sends the value attaches one.
    if (current.format === "binary") return undefined;
    const [sample] = fc.sample(values.valid({ ...current, nullable: false }, 0), { numRuns: 1, seed: SEED });
    return sample;
  };
  return build(schema, depth);
}

/** The strings and integers inside `value`, read against its schema. */
export function leavesOf(components: Components, schema: Schema, value: unknown): Leaf[] {
  const leaves: Leaf[] = [];
  const visit = (current: Schema, held: unknown, path: (string | number)[]) => {
    if ("$ref" in current) return visit(resolveRef(components, current.$ref).schema, held, path);
    if (current.allOf) {
      for (const member of current.allOf) visit(member, held, path);
      return;
    }
    if (current.oneOf) return visit(current.oneOf[0] as Schema, held, path);
    if (current.type === "string" && !current.enum && current.format !== "binary") {
      leaves.push({ path, type: "string", schema: current });
    } else if (current.type === "integer") {
      leaves.push({ path, type: "integer", schema: current });
    } else if (current.type === "object" && held && typeof held === "object") {
      for (const [name, property] of Object.entries(current.properties ?? {})) {
        if (name in held) visit(property, (held as Record<string, unknown>)[name], [...path, name]);
      }
    } else if (current.type === "array" && Array.isArray(held) && held.length > 0) {
      visit(current.items, held[0], [...path, 0]);
    }
  };
  visit(schema, value, []);
  return leaves;
}

/** `value` with the leaf at `path` replaced. */
export function replacedAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const copy = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
  (copy as Record<string | number, unknown>)[head] = replacedAt(
    (value as Record<string | number, unknown>)[head],
    rest,
    replacement,
  );
  return copy;
}

export function leafAt(value: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((held, key) => (held as Record<string | number, unknown>)?.[key], value);
}

/**
 * What the database cannot hold in this leaf: the valid text with NUL inside it, or a whole
 * number just past the largest (and smallest) an `integer` column stores. An int64 leaf gets the
 * first integer a JSON number cannot carry exactly.
 */
export function unstorable(leaf: Leaf, valid: unknown): { label: string; value: unknown }[] {
  if (leaf.type === "string") {
    const text = typeof valid === "string" ? valid : "";
    const middle = Math.floor(text.length / 2);
    return [{ label: "NUL", value: `${text.slice(0, middle)}\u0000${text.slice(middle)}` }];
  }
  if (leaf.schema.format === "int64") {
    return [{ label: "2^53", value: 2 ** 53 }];
  }
  return [
    { label: "2^31", value: INT32.max + 1 },
    { label: "-2^31-1", value: INT32.min - 1 },
  ];
}
