// The generated zod schemas accept and refuse exactly what the contract's JSON Schema does
// (DESIGN §7, "Proof, not hope"): every component, every parameter group as it arrives (text)
// and every JSON request body, over valid values, near misses and arbitrary values. The same
// harness runs over the generator's fixture contract (openapi/codegen/test/differential.test.ts),
// which holds every construct the generator supports, not only those this contract uses today.
import type { OpenAPIV3 } from "openapi-types";
import { describe, expect, it } from "vitest";
import document from "../../generated/openapi.json" with { type: "json" };
import { routes } from "../../generated/server/routes";
import * as schemas from "../../generated/server/schemas";
import { checkAgreement, type Target, targetsOf } from "./support/differential";
import { completeValue, leafAt, leavesOf, replacedAt, unstorable } from "./support/leaves";
import type { Components } from "./support/schema-arbitrary";

const contract = document as unknown as OpenAPIV3.Document;
const RUNS = { valid: 3000, mutated: 6000, anything: 3000 };
const METHODS = ["get", "put", "post", "delete", "patch"] as const;

const targets = targetsOf(contract, { schemas, routes: routes as never });
const target = (name: string): Target => {
  const found = targets.find((t) => t.name === name);
  if (!found) throw new Error(`no target ${name}`);
  return found;
};

describe("generated validators agree with the contract (differential)", () => {
  it("covers every component schema, parameter group and JSON request body", () => {
    const components = Object.keys(contract.components?.schemas ?? {}).map((name) => `schema ${name}`);
    const operations = Object.values(contract.paths).flatMap((item) =>
      METHODS.flatMap((method) => {
        const operation = item?.[method];
        if (!operation?.operationId) return [];
        const parameters = [...(item?.parameters ?? []), ...(operation.parameters ?? [])].map((p) =>
          "$ref" in p ? contract.components?.parameters?.[p.$ref.split("/").pop() as string] : p,
        ) as OpenAPIV3.ParameterObject[];
        const locations = ["query", "path", "header", "cookie"].filter((l) =>
          parameters.some((p) => p.in === l),
        );
        const body =
          operation.requestBody && "content" in operation.requestBody ? operation.requestBody : undefined;
        const media = Object.keys(body?.content ?? {}).filter((type) => /json/.test(type));
        return [
          ...locations.map((l) => `${operation.operationId} ${l}`),
          ...media.map((type) => `${operation.operationId} body ${type}`),
        ];
      }),
    );
    expect(components.length).toBeGreaterThan(0);
    expect(targets.map((t) => t.name).sort()).toEqual([...components, ...operations].sort());
  });

  it.each(targets.map((each) => [each.name, each] as const))("%s", (_name, each) => {
    const tally = checkAgreement(each, RUNS);
    // Both sides agreed; the samples must also have exercised both answers, or the agreement says little.
    expect(tally.accepted.valid).toBe(RUNS.valid);
    expect(tally.refused.mutated + tally.refused.anything, "no sample was refused").toBeGreaterThan(0);
  });
});

describe("query text as Hono hands it over (listCategories: depth 1..5, includeEmpty default true)", () => {
  const query = target("listCategories query");
  /** zod's answer, after checking that the contract (ajv on the decoded value) gives the same one. */
  const parse = (wire: Record<string, string | string[]>) => {
    const result = query.zod.safeParse(wire);
    expect(result.success, `zod and the contract disagree on ${JSON.stringify(wire)}`).toBe(
      query.contract(query.decode(wire)),
    );
    return result;
  };

  it("coerces ?depth=5 to the number 5 and applies the default", () => {
    expect(parse({ depth: "5" })).toMatchObject({ success: true, data: { depth: 5, includeEmpty: true } });
    expect(parse({})).toMatchObject({ success: true, data: { includeEmpty: true } });
  });

  it.each(["abc", "", "1.5", "0", "6", " 5", "5 ", "+5", "0x3", "Infinity", "NaN"])(
    "refuses ?depth=%j",
    (text) => {
      expect(parse({ depth: text }).success).toBe(false);
    },
  );

  it("refuses a repeated scalar (?depth=1&depth=2)", () => {
    expect(parse({ depth: ["1", "2"] }).success).toBe(false);
  });

  it("reads exactly true and false as booleans, and false stays false", () => {
    expect(parse({ includeEmpty: "false" })).toMatchObject({ success: true, data: { includeEmpty: false } });
    expect(parse({ includeEmpty: "true" })).toMatchObject({ success: true, data: { includeEmpty: true } });
  });

  it.each(["1", "0", "yes", "no", "", "TRUE", "False", "on"])("refuses ?includeEmpty=%j", (text) => {
    expect(parse({ includeEmpty: text }).success).toBe(false);
  });
});

describe("what the database cannot hold is refused in every string and integer of every request", () => {
  const components = (contract.components?.schemas ?? {}) as Components;
  const requests = targets.filter((each) => !each.name.startsWith("schema "));
  const cases = requests.flatMap((each) => {
    const complete = completeValue(components, each.schema);
    return leavesOf(components, each.schema, complete).flatMap((leaf) =>
      unstorable(leaf, leafAt(complete, leaf.path)).map(
        (bad) =>
          [
            `${each.name} ${leaf.path.join(".")} = ${bad.label}`,
            each,
            complete,
            leaf.path,
            bad.value,
          ] as const,
      ),
    );
  });

  it("sweeps a string or an integer of every operation that takes input", () => {
    const swept = new Set(cases.map(([, each]) => each.name.split(" ")[0]));
    const taking = new Set(requests.map((each) => each.name.split(" ")[0]));
    // Operations whose input is only enums or booleans have nothing to sweep.
    expect([...taking].filter((operation) => !swept.has(operation))).toEqual([]);
    expect(cases.length).toBeGreaterThan(60);
  });

  it.each(cases)("%s", (_name, each, complete, path, bad) => {
    const valid = each.encode(complete);
    expect(each.zod.safeParse(valid).success, "the complete value is valid").toBe(true);
    expect(each.contract(each.decode(valid)), "the contract accepts the complete value").toBe(true);
    const broken = each.encode(replacedAt(complete, path, bad));
    expect(each.zod.safeParse(broken).success, "zod refuses it").toBe(false);
    expect(each.contract(each.decode(broken)), "the contract refuses it").toBe(false);
  });
});
