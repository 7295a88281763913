import type { Ajv2020 } from "ajv/dist/2020.js";
import type { OpenAPIV3 } from "openapi-types";
import document from "../../generated/openapi.json" with { type: "json" };
import { contractAjv } from "../contract/support/differential";
import { toJsonSchema } from "./json-schema";

export const contract = document as unknown as OpenAPIV3.Document;

/** Statuses any operation may answer with, as a problem, without the contract listing them. */
const GENERIC_PROBLEM_STATUSES = new Set([404, 405, 413, 431, 500]);

const ajv = contractAjv(contract);
const validators = new Map<string, ReturnType<Ajv2020["compile"]>>();

/** A validator for a schema of the contract (already in JSON Schema form, refs into `contract`). */
/**
 * The contract's path for an operation with each path parameter filled by its example (or 1):
 * a well-formed target, for tests about what happens before anything is looked up.
 */
function parametersOf(path: string, method: string): OpenAPIV3.ParameterObject[] {
  const operation = contract.paths[path]?.[method.toLowerCase() as OpenAPIV3.HttpMethods];
  return (operation?.parameters ?? []).map((parameter) =>
    "$ref" in parameter
      ? (contract.components?.parameters?.[
          parameter.$ref.split("/").at(-1) ?? ""
        ] as OpenAPIV3.ParameterObject)
      : parameter,
  );
}

export function examplePath(path: string, method: string): string {
  const parameters = parametersOf(path, method);
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const found = parameters.find((parameter) => parameter?.in === "path" && parameter.name === name);
    return encodeURIComponent(String(found?.example ?? "1"));
  });
}

/** The operation's required headers (an Idempotency-Key), each with its example. */
export function exampleHeaders(path: string, method: string): Record<string, string> {
  return Object.fromEntries(
    parametersOf(path, method)
      .filter((parameter) => parameter?.in === "header" && parameter.required)
      .map((parameter) => [parameter.name, String(parameter.example ?? "")]),
  );
}

export function validatorFor(schema: unknown): ReturnType<Ajv2020["compile"]> {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(toJsonSchema(schema as never, "contract#/$defs/") as never);
    validators.set(key, validate);
  }
  return validate;
}

interface MatchedOperation {
  path: string;
  operation: OpenAPIV3.OperationObject;
}

export function findOperation(method: string, pathname: string): MatchedOperation | undefined {
  const verb = (method === "HEAD" ? "get" : method.toLowerCase()) as OpenAPIV3.HttpMethods;
  for (const [path, item] of Object.entries(contract.paths)) {
    const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    const operation = item?.[verb];
    if (operation && pattern.test(pathname)) return { path, operation };
  }
  return undefined;
}

function resolveResponse(
  response: OpenAPIV3.ResponseObject | OpenAPIV3.ReferenceObject,
): OpenAPIV3.ResponseObject {
  if (!("$ref" in response)) return response;
  const name = response.$ref.split("/").pop() as string;
  return contract.components?.responses?.[name] as OpenAPIV3.ResponseObject;
}

export interface ContractCheckOptions {
  /**
   * The test provokes a server failure (a database gone, an injected fault) and wants the 5xx:
   * then a 5xx is required rather than refused.
   */
  expectServerError?: boolean;
}

/**
 * Throws unless the response is one the contract allows for this request: a declared status,
 * a declared media type, and a body valid against the declared schema. A 5xx throws too, even
 * where the contract declares it (every operation declares 500), unless the test expects one:
 * a test that does not look at the status must not pass on a server error.
 */
export function assertMatchesContract(
  method: string,
  url: string,
  response: Response,
  text: string,
  options: ContractCheckOptions = {},
): void {
  const pathname = new URL(url, "http://localhost").pathname;
  const where = `${method} ${pathname} → ${response.status}`;
  const isServerError = response.status >= 500;
  if (isServerError && !options.expectServerError) {
    throw new Error(`${where}: a server error the test did not expect\n${text.slice(0, 500)}`);
  }
  if (!isServerError && options.expectServerError) {
    throw new Error(`${where}: the test expected a server error (5xx)`);
  }
  const matched = findOperation(method, pathname);
  const declared = matched?.operation.responses[String(response.status)];
  let media: OpenAPIV3.MediaTypeObject | undefined;
  const contentType = (response.headers.get("content-type") ?? "").split(";")[0]?.trim() ?? "";
  if (declared) {
    const content = resolveResponse(declared).content ?? {};
    if (Object.keys(content).length === 0 && text === "") return;
    media = content[contentType];
    if (!media)
      throw new Error(
        `${where}: content type '${contentType}' is not declared (${Object.keys(content).join(", ")})`,
      );
  } else if (GENERIC_PROBLEM_STATUSES.has(response.status) || (!matched && response.status === 404)) {
    if (contentType !== "application/problem+json")
      throw new Error(`${where}: expected application/problem+json, got '${contentType}'`);
    media = { schema: { $ref: "#/components/schemas/Problem" } };
  } else if (response.status === 304 || method === "HEAD" || method === "OPTIONS") {
    return;
  } else {
    throw new Error(`${where}: status not declared by the contract`);
  }
  if (method === "HEAD") return;
  if (!contentType.includes("json")) {
    if (typeof text !== "string") throw new Error(`${where}: expected a text body`);
    return;
  }
  const validate = validatorFor(media.schema);
  const body = JSON.parse(text);
  if (!validate(body)) {
    throw new Error(
      `${where}: body does not match the contract: ${ajv.errorsText(validate.errors)}\n${text.slice(0, 500)}`,
    );
  }
}
