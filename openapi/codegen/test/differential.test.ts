// The differential harness of tests/contract over the fixture contract, which holds every construct
// the generator supports, so the proof covers what future operations will use. Then the harness is
// shown to catch the classic translation mistakes, by handing it deliberately wrong schemas.
import { z } from "@hono/zod-openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkAgreement,
  contractAjv,
  type Target,
  targetsOf,
} from "../../../tests/contract/support/differential";
import {
  CONSTRUCTS_CONFIG,
  CONSTRUCTS_ROOT,
  type Generated,
  generateAndLoad,
  removeDir,
  scratchDir,
} from "./support";

const RUNS = { valid: 600, mutated: 1200, anything: 400 };

let out: Generated;
let targets: Target[];

beforeAll(async () => {
  out = await generateAndLoad(CONSTRUCTS_ROOT, CONSTRUCTS_CONFIG, scratchDir());
  targets = targetsOf(out.document, { schemas: out.schemas, routes: out.routes as never });
});

afterAll(() => removeDir(out.dir));

const target = (name: string) => {
  const found = targets.find((t) => t.name === name);
  if (!found) throw new Error(`no target ${name}`);
  return found;
};

describe("generated validators agree with the fixture contract (differential)", () => {
  it("covers every component, parameter group and JSON body of the fixture", () => {
    expect(targets.map((t) => t.name)).toEqual([
      ...Object.keys(out.document.components?.schemas ?? {}).map((name) => `schema ${name}`),
      "listPatterns query",
      "createPattern body application/json",
      "getPattern path",
      "getPattern header",
      "replacePatternItems path",
      "replacePatternItems body application/json",
    ]);
  });

  it("agrees on every target, over valid values, near misses and arbitrary values", () => {
    for (const each of targets) {
      const tally = checkAgreement(each, RUNS);
      expect(tally.accepted.valid, each.name).toBe(RUNS.valid);
      expect(
        tally.refused.mutated + tally.refused.anything,
        `${each.name}: nothing was refused`,
      ).toBeGreaterThan(0);
    }
  });
});

describe("the harness catches a wrong translation", () => {
  // Each mutant is a plausible generator mistake; the harness must find a value that shows it.
  const mutants: [string, string, () => z.ZodType][] = [
    [
      "a strict object made loose",
      "schema Money",
      () => z.looseObject((out.schemas.MoneySchema as z.ZodObject).shape),
    ],
    [
      "nullable dropped",
      "schema Contact",
      () => (out.schemas.ContactSchema as z.ZodObject).extend({ nickname: z.string().max(12).optional() }),
    ],
    [
      "a required property made optional",
      "schema Yarn",
      () => (out.schemas.YarnSchema as z.ZodObject).partial(),
    ],
    [
      "exclusiveMinimum read as inclusive",
      "schema Yarn",
      () => (out.schemas.YarnSchema as z.ZodObject).extend({ weightGrams: z.int().min(0).lt(1000) }),
    ],
    [
      "integer read as number",
      "schema Money",
      () => (out.schemas.MoneySchema as z.ZodObject).extend({ amount: z.number().min(0).max(100000) }),
    ],
    [
      "lengths counted in UTF-16 units",
      "schema Label",
      () => z.string().refine((s) => s.length >= 2 && s.length <= 5),
    ],
    [
      "a pattern left unanchored",
      "schema Money",
      () => (out.schemas.MoneySchema as z.ZodObject).extend({ currency: z.string().regex(/[A-Z]{3}/) }),
    ],
    ["a pattern compiled without the u flag", "schema DisplayName", () => z.string().regex(/^[^<>]{1,8}$/)],
    ["z.uuid() for format uuid", "schema Contact", () => contact().extend({ id: z.uuid() })],
    ["z.email() for format email", "schema Contact", () => contact().extend({ email: z.email() })],
    ["z.url() for format uri", "schema Contact", () => contact().extend({ website: z.url().optional() })],
    [
      "z.coerce.boolean for a query boolean",
      "listPatterns query",
      () => replaceKey("listPatterns", "query", "drafts", z.coerce.boolean().optional()),
    ],
    [
      "z.coerce.number for a query integer",
      "listPatterns query",
      () => replaceKey("listPatterns", "query", "limit", z.coerce.number().int().min(1).max(100).default(20)),
    ],
    [
      "an array parameter that needs repeats",
      "listPatterns query",
      () =>
        replaceKey(
          "listPatterns",
          "query",
          "colour",
          z
            .array(z.enum(["red", "green", "blue"]))
            .max(3)
            .optional(),
        ),
    ],
  ];

  it.each(mutants)("%s (%s)", (_what, name, make) => {
    const original = target(name);
    const mutant: Target = { ...original, zod: make() };
    expect(() => checkAgreement(mutant, RUNS)).toThrow(/zod (accepts|refuses)/);
  });

  function contact(): z.ZodObject {
    return out.schemas.ContactSchema as z.ZodObject;
  }

  function replaceKey(operationId: string, group: "query", key: string, schema: z.ZodType): z.ZodType {
    const route = out.routes[operationId] as { request: Record<string, z.ZodObject> };
    return (route.request[group] as z.ZodObject).extend({ [key]: schema });
  }
});

describe("query text as Hono hands it over (listPatterns)", () => {
  /** zod's answer, after checking that the contract (ajv on the decoded value) gives the same one. */
  const parse = (wire: Record<string, string | string[]>) => {
    const query = target("listPatterns query");
    const result = query.zod.safeParse({ q: "x", ...wire });
    expect(result.success, `zod and the contract disagree on ${JSON.stringify(wire)}`).toBe(
      query.contract(query.decode({ q: "x", ...wire })),
    );
    return result;
  };

  it("reads one value of an array parameter as a list of one, and repeats as a list", () => {
    expect(parse({ colour: "red" })).toMatchObject({ success: true, data: { colour: ["red"] } });
    expect(parse({ colour: ["red", "blue"] })).toMatchObject({
      success: true,
      data: { colour: ["red", "blue"] },
    });
    expect(parse({ colour: ["red", "pink"] }).success).toBe(false);
    expect(parse({ colour: ["red", "red", "red", "red"] }).success).toBe(false);
  });

  it("coerces an integer with bounds and applies its default; reads exact booleans", () => {
    expect(parse({ limit: "5", drafts: "false" })).toMatchObject({
      success: true,
      data: { limit: 5, drafts: false },
    });
    expect(parse({})).toMatchObject({ success: true, data: { limit: 20 } });
    for (const text of ["abc", "", "1.5", "0", "101"])
      expect(parse({ limit: text }).success, text).toBe(false);
    for (const text of ["1", "yes", "", "TRUE"]) expect(parse({ drafts: text }).success, text).toBe(false);
  });
});

describe("formats this API reads more narrowly than ajv-formats, on purpose", () => {
  // Pinned so that a change on either side (generator or oracle) is a decision, not a drift; the
  // reasons are in tests/contract/support/differential.ts (API_FORMATS) and openapi/codegen/zod.ts.
  const contact = {
    email: "maker@example.org",
    id: "123e4567-e89b-12d3-a456-426614174000",
    createdAt: "2026-01-01T10:00:00Z",
  };
  const narrower: [field: string, value: string][] = [
    ["id", "urn:uuid:123e4567-e89b-12d3-a456-426614174000"],
    ["createdAt", "2026-01-01t10:00:00z"],
    ["createdAt", "2026-01-01 10:00:00Z"],
    ["createdAt", "2026-01-01T10:00:00+0100"],
    ["createdAt", "2026-01-01T10:00:00+01"],
    ["createdAt", "2016-12-31T23:59:60Z"],
  ];

  it.each(narrower)("%s %j: ajv-formats accepts it, the API refuses it", (field, value) => {
    const stock = contractAjv(out.document, { apiFormats: false }).compile({
      $ref: "contract#/$defs/Contact",
    });
    const api = contractAjv(out.document).compile({ $ref: "contract#/$defs/Contact" });
    const sample = { ...contact, [field]: value };
    expect(stock(contact) && api(contact), "the base value is valid").toBe(true);
    expect(stock(sample)).toBe(true);
    expect(api(sample)).toBe(false);
    expect((out.schemas.ContactSchema as z.ZodType).safeParse(sample).success).toBe(false);
  });
});
