import type { OpenAPIV3 } from "openapi-types";
import { CodegenError, escapePointerSegment as seg } from "./errors";

type Schema = OpenAPIV3.SchemaObject | OpenAPIV3.ReferenceObject;

/**
 * Where a schema sits decides how its values arrive: JSON keeps types, while query, path and
 * header values are strings that must be coerced as the contract says.
 */
export type SchemaMode = "json" | "string-encoded" | "form" | "form-field" | "raw";
// "form" is a multipart/form-data body: an object whose fields ("form-field") arrive as strings,
// coerced as in a query, or as uploaded files (`format: binary`). "raw" is a body that is not
// JSON (an image, a script), described for the document only.

const SUPPORTED_KEYWORDS = new Set([
  "$ref",
  "type",
  "format",
  "enum",
  "nullable",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "pattern",
  "items",
  "minItems",
  "maxItems",
  "properties",
  "required",
  "additionalProperties",
  "allOf",
  "oneOf",
  "discriminator",
  "default",
  "description",
  "example",
  "title",
  "deprecated",
]);

/**
 * String formats and their zod translation; other formats are refused. Where zod's builder reads a
 * format differently from the contract (JSON Schema), the check comes from runtime/formats.ts.
 */
export const STRING_FORMATS: Record<string, string> = {
  email: "z.email({ pattern: EMAIL })",
  // RFC 4122 spells a UUID as 8-4-4-4-12 hex digits, whatever its version and variant bits;
  // `z.uuid()` also demands RFC 9562 version and variant bits.
  uuid: "z.guid()",
  // Stricter than RFC 3339 on purpose (upper-case `T`/`Z`, `±hh:mm`, no leap second), so a handler's
  // `new Date(value)` always works; tests/contract/support/differential.ts states the same reading.
  "date-time": "z.iso.datetime({ offset: true })",
  date: "z.iso.date()",
  // Not `z.url()`: the WHATWG parser trims and rewrites the value and takes what RFC 3986 refuses.
  uri: 'z.string().refine(isUri, "Invalid URI")',
};

/** The names generated code imports from formats.ts, the runtime file that defines them. */
export const FORMAT_HELPERS = ["EMAIL", "isUri"] as const;

export const schemaConstName = (componentName: string) => `${componentName}Schema`;

export function componentNameOfRef(ref: string, pointer: string): string {
  const match = /^#\/components\/schemas\/([A-Za-z0-9_]+)$/.exec(ref);
  if (!match?.[1])
    throw new CodegenError(pointer, `unsupported $ref '${ref}' (only #/components/schemas/<Name>)`);
  return match[1];
}

export interface ObjectShape {
  properties: Record<string, Schema>;
  required: string[];
  additional: OpenAPIV3.SchemaObject["additionalProperties"];
}

export interface ZodEmitterOptions {
  /** Resolves a component by name, to check what an allOf extends. */
  component(name: string): Schema | undefined;
  /** Components not yet defined where this schema is emitted: referenced lazily through a getter. */
  isForward(name: string): boolean;
}

/** Turns OpenAPI 3.0 schemas into zod 4 source code, refusing what it cannot translate faithfully. */
export class ZodEmitter {
  constructor(private readonly options: ZodEmitterOptions) {}

  /** A schema as a zod expression. Named components are referenced by their constant. */
  expression(schema: Schema, pointer: string, mode: SchemaMode): string {
    this.checkKeywords(schema, pointer);
    if ("$ref" in schema) return this.reference(schema.$ref, pointer, mode);
    const base = this.base(schema, pointer, mode);
    const nullable = schema.nullable ? `${base}.nullable()` : base;
    return withMeta(nullable, schema);
  }

  /** The expression of a named component: the same as any schema, plus its name for the document. */
  component(name: string, schema: Schema, pointer: string): string {
    if ("$ref" in schema) {
      throw new CodegenError(
        pointer,
        "a component that is only a $ref is an alias; reference the target instead",
      );
    }
    this.checkKeywords(schema, pointer);
    const base = this.base(schema, pointer, "json");
    const nullable = schema.nullable ? `${base}.nullable()` : base;
    return `${nullable}.openapi(${JSON.stringify(name)}${metaArgument(schema, ", ")})`;
  }

  private reference(ref: string, pointer: string, mode: SchemaMode): string {
    const name = componentNameOfRef(ref, pointer);
    const target = this.options.component(name);
    if (!target) throw new CodegenError(pointer, `unknown component '${name}'`);
    if (mode === "string-encoded" && ("$ref" in target || target.type !== "string")) {
      // A string needs no coercion; anything else is re-emitted inline so that its coercion applies.
      return this.expression(target, `#/components/schemas/${name}`, mode);
    }
    return schemaConstName(name);
  }

  private base(schema: OpenAPIV3.SchemaObject, pointer: string, mode: SchemaMode): string {
    // Only string enums are translated (z.enum); elsewhere `enum` would be silently dropped.
    if (schema.enum && schema.type !== "string") {
      throw new CodegenError(pointer, `enum is supported on strings only, not on '${String(schema.type)}'`);
    }
    if (schema.allOf) return this.allOf(schema, pointer, mode);
    if (schema.oneOf) return this.oneOf(schema, pointer);
    switch (schema.type) {
      case "string":
        return this.string(schema, pointer, mode);
      case "integer":
      case "number":
        return coerceIn(mode, "numberFromString", this.number(schema, pointer));
      case "boolean":
        return coerceIn(mode, "booleanFromString", "z.boolean()");
      case "array":
        return this.array(schema, pointer, mode);
      case "object":
        return this.object(schema, pointer, mode);
      case undefined:
        if (
          Object.keys(schema).every((key) => key === "description" || key === "example" || key === "title")
        ) {
          // Any JSON value, but a value: `z.unknown()` alone accepts undefined, which the document
          // built from the routes reads as optional, so a required free-form property lost `required`.
          return 'z.unknown().refine((value) => value !== undefined, "Required")';
        }
        throw new CodegenError(pointer, "a schema with constraints must name its type");
      default:
        throw new CodegenError(pointer, `unsupported type '${String((schema as { type: unknown }).type)}'`);
    }
  }

  private string(schema: OpenAPIV3.SchemaObject, pointer: string, mode: SchemaMode): string {
    if (schema.format === "binary") return binary(schema, pointer, mode);
    if (schema.enum) {
      if (!schema.enum.every((value) => typeof value === "string")) {
        throw new CodegenError(pointer, "a string enum must list strings only");
      }
      if (
        schema.format ||
        schema.pattern ||
        schema.minLength !== undefined ||
        schema.maxLength !== undefined
      ) {
        throw new CodegenError(pointer, "an enum takes no format, pattern or length");
      }
      return `z.enum(${JSON.stringify(schema.enum)})`;
    }
    let code = "z.string()";
    if (schema.format !== undefined) {
      const builder = STRING_FORMATS[schema.format];
      if (!builder) throw new CodegenError(pointer, `unsupported string format '${schema.format}'`);
      code = builder;
    }
    if (schema.minLength !== undefined) code += `.min(${schema.minLength})`;
    if (schema.maxLength !== undefined) code += `.max(${schema.maxLength})`;
    if (schema.pattern !== undefined) {
      // JSON Schema patterns are Unicode-aware (ajv compiles them with the `u` flag): without it
      // `{1,8}` counts UTF-16 units, so eight emoji would be sixteen, and `\p{L}` means "p{L}".
      try {
        new RegExp(schema.pattern, "u");
      } catch (error) {
        throw new CodegenError(
          pointer,
          `pattern does not compile as a Unicode regular expression: ${String(error)}`,
        );
      }
      code += `.regex(new RegExp(${JSON.stringify(schema.pattern)}, "u"))`;
    }
    return code;
  }

  private number(schema: OpenAPIV3.SchemaObject, pointer: string): string {
    if (schema.enum) throw new CodegenError(pointer, "numeric enums are not supported");
    if (schema.format && !["int32", "int64", "float", "double"].includes(schema.format)) {
      throw new CodegenError(pointer, `unsupported numeric format '${schema.format}'`);
    }
    if (schema.type === "integer") checkIntegerRange(schema, pointer);
    // `integer` is a safe integer: JavaScript cannot represent larger ones exactly.
    let code = schema.type === "integer" ? "z.int()" : "z.number()";
    const bounds = [
      ["minimum", "exclusiveMinimum", "min", "gt"],
      ["maximum", "exclusiveMaximum", "max", "lt"],
    ] as const;
    for (const [bound, exclusiveKeyword, inclusive, exclusive] of bounds) {
      const value = schema[bound];
      const isExclusive = schema[exclusiveKeyword] === true;
      if (isExclusive && value === undefined) {
        throw new CodegenError(
          pointer,
          `${exclusiveKeyword} needs ${bound} (OpenAPI 3.0: it is a boolean modifier)`,
        );
      }
      if (value !== undefined) code += `.${isExclusive ? exclusive : inclusive}(${value})`;
    }
    if (schema.multipleOf !== undefined) {
      // Whether 0.3 is a multiple of 0.1 depends on how binary floating point is handled, and zod
      // and JSON Schema validators answer differently; whole steps are exact.
      if (!Number.isInteger(schema.multipleOf) || schema.multipleOf <= 0) {
        throw new CodegenError(
          pointer,
          `multipleOf must be a positive whole number, not ${schema.multipleOf}`,
        );
      }
      code += `.multipleOf(${schema.multipleOf})`;
    }
    return code;
  }

  private array(schema: OpenAPIV3.ArraySchemaObject, pointer: string, mode: SchemaMode): string {
    if (!schema.items) throw new CodegenError(pointer, "an array needs items");
    const items = this.expression(schema.items, `${pointer}/items`, mode);
    let code = `z.array(${items})`;
    if (schema.minItems !== undefined) code += `.min(${schema.minItems})`;
    if (schema.maxItems !== undefined) code += `.max(${schema.maxItems})`;
    // `?tag=a` arrives as one string, `?tag=a&tag=b` as a list: both are the same array.
    return coerceIn(mode, "arrayFromString", code);
  }

  private object(schema: OpenAPIV3.SchemaObject, pointer: string, mode: SchemaMode): string {
    if (mode === "string-encoded" || mode === "form-field") {
      throw new CodegenError(
        pointer,
        "an object cannot arrive as a string (query, path, header or form field)",
      );
    }
    const propertyMode: SchemaMode = mode === "form" ? "form-field" : "json";
    const required = new Set(schema.required ?? []);
    const properties = Object.entries(schema.properties ?? {});
    for (const name of required) {
      if (!schema.properties?.[name])
        throw new CodegenError(pointer, `required property '${name}' is not declared`);
    }
    const members = properties.map(([name, property]) =>
      this.property(name, property, required.has(name), pointer, propertyMode),
    );
    const shape = `{ ${members.join(", ")} }`;
    const extra = schema.additionalProperties;
    if (extra === false) return `z.strictObject(${shape})`;
    if (extra === undefined || extra === true) return `z.looseObject(${shape})`;
    const value = this.expression(extra, `${pointer}/additionalProperties`, "json");
    return properties.length === 0
      ? `z.record(z.string(), ${value})`
      : `z.object(${shape}).catchall(${value})`;
  }

  private property(
    name: string,
    schema: Schema,
    required: boolean,
    objectPointer: string,
    mode: SchemaMode = "json",
  ): string {
    const pointer = `${objectPointer}/properties/${seg(name)}`;
    const key = JSON.stringify(name);
    const value = withPresence(this.expression(schema, pointer, mode), schema, required, pointer);
    // A reference to a component defined later (or to itself) is read lazily, which is how zod 4 recurses.
    if (this.referencesForward(schema)) return `get ${key}() { return ${value}; }`;
    return `${key}: ${value}`;
  }

  private referencesForward(schema: Schema): boolean {
    if ("$ref" in schema) return this.options.isForward(componentNameOfRef(schema.$ref, ""));
    const children: Schema[] = [
      ...(schema.type === "array" && schema.items ? [schema.items] : []),
      ...(schema.allOf ?? []),
      ...(schema.oneOf ?? []),
      ...Object.values(schema.properties ?? {}),
    ];
    if (typeof schema.additionalProperties === "object") children.push(schema.additionalProperties);
    return children.some((child) => this.referencesForward(child));
  }

  private allOf(schema: OpenAPIV3.SchemaObject, pointer: string, mode: SchemaMode): string {
    const parts = schema.allOf ?? [];
    if (schema.type !== undefined || schema.properties) {
      throw new CodegenError(
        pointer,
        "allOf beside type or properties is ambiguous; move them into an allOf member",
      );
    }
    const [first, second, ...rest] = parts;
    if (!first || !("$ref" in first) || rest.length > 0) {
      throw new CodegenError(pointer, "allOf is supported as [$ref] or [$ref, inline object] only");
    }
    const baseName = componentNameOfRef(first.$ref, `${pointer}/allOf/0`);
    const base = this.expression(first, `${pointer}/allOf/0`, mode);
    if (!second) return base;
    const extension = second;
    if ("$ref" in extension || extension.type !== "object" || extension.additionalProperties !== undefined) {
      throw new CodegenError(
        `${pointer}/allOf/1`,
        "the second allOf member must be an inline object without additionalProperties",
      );
    }
    // `.extend()` is faithful to allOf only when the base is an open object and the extension
    // adds new properties: JSON Schema applies both members to every property, zod only one.
    const target = this.objectShape({ $ref: first.$ref });
    if (!target) throw new CodegenError(pointer, `'${baseName}' is not an object, so nothing can extend it`);
    if (target.additional === false) {
      throw new CodegenError(
        pointer,
        `'${baseName}' forbids additional properties, so nothing can extend it`,
      );
    }
    if (target.additional !== undefined && target.additional !== true) {
      throw new CodegenError(
        pointer,
        `'${baseName}' types its additional properties, which would constrain the extension's properties too`,
      );
    }
    for (const name of Object.keys(extension.properties ?? {})) {
      if (name in target.properties) {
        throw new CodegenError(
          `${pointer}/allOf/1/properties/${seg(name)}`,
          `'${name}' is already declared by '${baseName}'; allOf would apply both declarations, zod's extend only this one`,
        );
      }
    }
    for (const name of extension.required ?? []) {
      if (!extension.properties?.[name]) {
        throw new CodegenError(`${pointer}/allOf/1`, `required property '${name}' is not declared beside it`);
      }
    }
    const required = new Set(extension.required ?? []);
    const members = Object.entries(extension.properties ?? {}).map(([name, property]) =>
      this.property(name, property, required.has(name), `${pointer}/allOf/1`),
    );
    return `${base}.extend({ ${members.join(", ")} })`;
  }

  private oneOf(schema: OpenAPIV3.SchemaObject, pointer: string): string {
    const discriminator = schema.discriminator;
    if (!discriminator || discriminator.mapping) {
      throw new CodegenError(
        pointer,
        "oneOf is supported only with a discriminator (propertyName, no mapping)",
      );
    }
    const seen = new Map<string, string>();
    const members = (schema.oneOf ?? []).map((member, index) => {
      const at = `${pointer}/oneOf/${index}`;
      if (!("$ref" in member)) throw new CodegenError(at, "oneOf members must be $refs");
      const name = componentNameOfRef(member.$ref, at);
      // zod picks the member by the discriminator's value (and throws at import when it cannot);
      // that is oneOf's meaning only when each member requires the property as a string enum of
      // its own values, so that no value matches two members.
      const shape = this.objectShape(member);
      const property = shape?.properties[discriminator.propertyName];
      const values = property ? this.stringEnum(property) : undefined;
      if (!shape?.required.includes(discriminator.propertyName) || !values) {
        throw new CodegenError(
          at,
          `'${name}' must require '${discriminator.propertyName}' as a string enum to be told apart by it`,
        );
      }
      for (const value of values) {
        const twin = seen.get(value);
        if (twin)
          throw new CodegenError(
            at,
            `'${name}' and '${twin}' both take '${discriminator.propertyName}: ${value}'`,
          );
        seen.set(value, name);
      }
      return schemaConstName(name);
    });
    return `z.discriminatedUnion(${JSON.stringify(discriminator.propertyName)}, [${members.join(", ")}])`;
  }

  /** Properties, required names and additionalProperties of an object, through $ref and allOf. */
  objectShape(schema: Schema, depth = 0): ObjectShape | undefined {
    if (depth > 32) return undefined;
    if ("$ref" in schema) {
      const target = this.options.component(componentNameOfRef(schema.$ref, ""));
      return target ? this.objectShape(target, depth + 1) : undefined;
    }
    if (schema.allOf) {
      const [base, extension] = schema.allOf;
      const shape = base ? this.objectShape(base, depth + 1) : undefined;
      if (!shape || !extension) return shape;
      if ("$ref" in extension) return undefined;
      return {
        properties: { ...shape.properties, ...extension.properties },
        required: [...shape.required, ...(extension.required ?? [])],
        additional: shape.additional,
      };
    }
    if (schema.type !== "object") return undefined;
    return {
      properties: schema.properties ?? {},
      required: schema.required ?? [],
      additional: schema.additionalProperties,
    };
  }

  private stringEnum(schema: Schema): string[] | undefined {
    const resolved = this.resolve(schema);
    return resolved?.type === "string" && resolved.enum ? (resolved.enum as string[]) : undefined;
  }

  /** The schema itself, or what a $ref or a one-member allOf wrapper stands for. */
  resolve(schema: Schema, depth = 0): OpenAPIV3.SchemaObject | undefined {
    if (depth > 32) return undefined;
    if ("$ref" in schema) {
      const target = this.options.component(componentNameOfRef(schema.$ref, ""));
      return target ? this.resolve(target, depth + 1) : undefined;
    }
    const [only, ...rest] = schema.allOf ?? [];
    return only && rest.length === 0 ? this.resolve(only, depth + 1) : schema;
  }

  /**
   * Parameters travel as text: a string, number, integer or boolean, or, in the query only, an
   * array of those (`?tag=a&tag=b`). Objects, unions and arrays elsewhere (comma-separated in a
   * path or a header) have encodings this generator does not decode, so they are refused.
   */
  checkParameterSchema(schema: Schema, location: string, pointer: string): void {
    const resolved = this.resolve(schema);
    const scalar = (s: OpenAPIV3.SchemaObject | undefined) =>
      s !== undefined &&
      !s.oneOf &&
      !s.allOf &&
      ["string", "number", "integer", "boolean"].includes(String(s.type));
    if (scalar(resolved)) return;
    if (resolved?.type === "array" && location === "query" && scalar(this.resolve(resolved.items))) return;
    throw new CodegenError(
      pointer,
      location === "query"
        ? "a query parameter must be a string, number, integer or boolean, or an array of those"
        : `a ${location} parameter must be a string, number, integer or boolean`,
    );
  }

  private checkKeywords(schema: Schema, pointer: string): void {
    for (const key of Object.keys(schema)) {
      if (key.startsWith("x-")) continue;
      if (!SUPPORTED_KEYWORDS.has(key)) throw new CodegenError(pointer, `unsupported keyword '${key}'`);
    }
    if ("$ref" in schema && Object.keys(schema).some((key) => key !== "$ref" && !key.startsWith("x-"))) {
      throw new CodegenError(
        pointer,
        "keywords beside $ref are ignored in OpenAPI 3.0; wrap the $ref in allOf",
      );
    }
  }
}

/**
 * The values an integer format can hold. `int32` is PostgreSQL's `integer`; `int64` is `bigint`
 * as far as a JSON number carries it exactly (a safe integer).
 */
export const INTEGER_RANGES = {
  int32: { min: -(2 ** 31), max: 2 ** 31 - 1 },
  int64: { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
} as const;

/**
 * What the database can hold, the contract says: every integer names its format and both bounds
 * within it, so a value the column cannot store is refused as bad input (400), never met by the
 * database (500).
 */
function checkIntegerRange(schema: OpenAPIV3.SchemaObject, pointer: string): void {
  const range = INTEGER_RANGES[schema.format as keyof typeof INTEGER_RANGES];
  if (!range) {
    throw new CodegenError(
      pointer,
      "an integer must name its format, int32 or int64, so that the contract says what the database can hold",
    );
  }
  for (const [bound, limit, inside] of [
    ["minimum", range.min, (value: number) => value >= range.min],
    ["maximum", range.max, (value: number) => value <= range.max],
  ] as const) {
    const value = schema[bound];
    if (value === undefined || !inside(value)) {
      throw new CodegenError(
        pointer,
        `an ${schema.format} integer needs a ${bound} within its range (${limit}); give the bound the column or the domain allows`,
      );
    }
  }
}

/** Optional means `.optional()`: absent is fine; a default is applied when absent. */
export function withPresence(expression: string, schema: Schema, required: boolean, pointer: string): string {
  const fallback = "$ref" in schema ? undefined : schema.default;
  if (fallback !== undefined && required) {
    // `.default()` would accept the value absent, which `required` forbids.
    throw new CodegenError(
      pointer,
      "a required value cannot have a default; make it optional or drop the default",
    );
  }
  if (fallback !== undefined) return `${expression}.default(${JSON.stringify(fallback)})`;
  return required ? expression : `${expression}.optional()`;
}

function coerceIn(mode: SchemaMode, coercion: string, expression: string): string {
  const fromString = mode === "string-encoded" || mode === "form-field";
  return fromString ? `z.preprocess(${coercion}, ${expression})` : expression;
}

/** A file in a form, or the bytes of a non-JSON body; never a JSON value. */
function binary(schema: OpenAPIV3.SchemaObject, pointer: string, mode: SchemaMode): string {
  if (schema.pattern !== undefined || schema.minLength !== undefined || schema.maxLength !== undefined) {
    throw new CodegenError(
      pointer,
      "a binary string takes no pattern or length; limit its size in the operation",
    );
  }
  const asBinary = '.openapi({ type: "string", format: "binary" })';
  if (mode === "form-field") return `z.instanceof(File, { message: "Expected a file" })${asBinary}`;
  if (mode === "raw") return `z.string()${asBinary}`;
  throw new CodegenError(pointer, "format 'binary' is for multipart form fields and non-JSON bodies only");
}

function withMeta(expression: string, schema: OpenAPIV3.SchemaObject): string {
  const meta = metaArgument(schema, "");
  return meta ? `${expression}.openapi(${meta})` : expression;
}

function metaArgument(schema: OpenAPIV3.SchemaObject, prefix: string): string {
  const meta: Record<string, unknown> = {};
  if (schema.title !== undefined) meta.title = schema.title;
  if (schema.description !== undefined) meta.description = schema.description;
  if (schema.example !== undefined) meta.example = schema.example;
  if (schema.deprecated) meta.deprecated = true;
  // What the document cannot read from the zod schema: the format of a refinement, and the
  // pattern itself (zod-to-openapi writes a flagged RegExp as "<source>/u").
  if (schema.format === "uri" || schema.format === "int32" || schema.format === "int64")
    meta.format = schema.format;
  if (schema.pattern !== undefined) meta.pattern = schema.pattern;
  return Object.keys(meta).length > 0 ? `${prefix}${JSON.stringify(meta)}` : "";
}
