// Scalar's /docs shows each operation's request and response examples from the contract, so
// every JSON request body and every JSON success answer must carry one: on the media type, or on
// its schema (through $ref). A file upload and an image download have bytes, not an example.
import type { OpenAPIV3 } from "openapi-types";
import { describe, expect, it } from "vitest";
import document from "../../generated/openapi.json" with { type: "json" };

const contract = document as unknown as OpenAPIV3.Document;
type Schema = OpenAPIV3.SchemaObject | OpenAPIV3.ReferenceObject | undefined;

function resolved(schema: Schema): OpenAPIV3.SchemaObject | undefined {
  let current = schema;
  while (current && "$ref" in current)
    current = contract.components?.schemas?.[current.$ref.split("/").pop() ?? ""];
  return current;
}

function hasExample(media: OpenAPIV3.MediaTypeObject): boolean {
  if (media.example !== undefined || media.examples !== undefined) return true;
  const schema = resolved(media.schema);
  if (schema?.example !== undefined) return true;
  return schema?.type === "array" && resolved(schema.items)?.example !== undefined;
}

describe("examples for /docs", () => {
  it("every JSON request body and JSON success answer has one", () => {
    const missing: string[] = [];
    let checked = 0;
    for (const item of Object.values(contract.paths)) {
      for (const operation of Object.values(item ?? {}) as OpenAPIV3.OperationObject[]) {
        if (!operation?.operationId) continue;
        const body = operation.requestBody as OpenAPIV3.RequestBodyObject | undefined;
        const answers = Object.entries(operation.responses ?? {}).filter(([status]) =>
          status.startsWith("2"),
        );
        const media = [
          ...Object.entries(body?.content ?? {}).map(([type, m]) => [`request ${type}`, type, m] as const),
          ...answers.flatMap(([status, answer]) => {
            const response = (
              "$ref" in answer ? contract.components?.responses?.[answer.$ref.split("/").pop() ?? ""] : answer
            ) as OpenAPIV3.ResponseObject;
            return Object.entries(response.content ?? {}).map(
              ([type, m]) => [`${status} ${type}`, type, m] as const,
            );
          }),
        ];
        for (const [where, type, m] of media) {
          if (!/json/.test(type)) continue;
          checked += 1;
          if (!hasExample(m)) missing.push(`${operation.operationId} ${where}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(60);
  });
});
