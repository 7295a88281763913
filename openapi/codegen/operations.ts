import type { OpenAPIV3 } from "openapi-types";
import { CodegenError, pointerOf } from "./errors";

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** One operation of the contract with every `$ref` outside `schemas` resolved. */
export interface Operation {
  operationId: string;
  method: HttpMethod;
  path: string;
  pointer: string;
  tags: string[];
  summary: string;
  description: string;
  security: OpenAPIV3.SecurityRequirementObject[];
  parameters: OpenAPIV3.ParameterObject[];
  /** Where each of `parameters` is written: on the operation or on its path item. */
  parameterPointers: Map<OpenAPIV3.ParameterObject, string>;
  requestBody: OpenAPIV3.RequestBodyObject | undefined;
  responses: [status: string, response: OpenAPIV3.ResponseObject][];
  extensions: Record<string, unknown>;
}

type MaybeRef<T> = T | OpenAPIV3.ReferenceObject;

/** Resolves references to `components/{parameters,responses,requestBodies,headers,examples}`. */
export function resolveComponent<T>(document: OpenAPIV3.Document, value: MaybeRef<T>, pointer: string): T {
  if (!value || typeof value !== "object" || !("$ref" in value)) return value as T;
  const match =
    /^#\/components\/(parameters|responses|requestBodies|headers|examples)\/([A-Za-z0-9_.-]+)$/.exec(
      value.$ref,
    );
  if (!match?.[1] || !match[2]) throw new CodegenError(pointer, `unsupported $ref '${value.$ref}'`);
  const section = document.components?.[match[1] as "parameters"] as Record<string, unknown> | undefined;
  const target = section?.[match[2]];
  if (!target) throw new CodegenError(pointer, `'${value.$ref}' does not exist`);
  return resolveComponent(document, target as MaybeRef<T>, value.$ref);
}

/** Every operation, in the contract's own order (paths as written, methods in HTTP_METHODS order). */
export function collectOperations(document: OpenAPIV3.Document): Operation[] {
  const operations: Operation[] = [];
  const seen = new Map<string, string>();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (!item) continue;
    if ("$ref" in item) throw new CodegenError(pointerOf("paths", path), "path item $ref did not bundle");
    const shared = item.parameters ?? [];
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const pointer = pointerOf("paths", path, method);
      const id = operation.operationId;
      if (!id) throw new CodegenError(pointer, "every operation needs an operationId");
      if (!/^[a-z][A-Za-z0-9]*$/.test(id))
        throw new CodegenError(pointer, `operationId '${id}' is not camelCase`);
      const twin = seen.get(id);
      if (twin) throw new CodegenError(pointer, `operationId '${id}' is also used at ${twin}`);
      seen.set(id, pointer);
      operations.push(toOperation(document, path, method, operation, shared, pointer));
    }
  }
  return operations;
}

function toOperation(
  document: OpenAPIV3.Document,
  path: string,
  method: HttpMethod,
  operation: OpenAPIV3.OperationObject,
  shared: MaybeRef<OpenAPIV3.ParameterObject>[],
  pointer: string,
): Operation {
  const security = operation.security ?? document.security;
  if (!security) throw new CodegenError(pointer, "declare security (an empty list for a public operation)");
  if (!operation.summary || !operation.description)
    throw new CodegenError(pointer, "needs a summary and a description");
  const parameterPointers = new Map<OpenAPIV3.ParameterObject, string>();
  const resolveAt = (at: string) => (p: MaybeRef<OpenAPIV3.ParameterObject>, i: number) => {
    const parameter = resolveComponent(document, p, `${at}/${i}`);
    parameterPointers.set(parameter, `${at}/${i}`);
    return parameter;
  };
  // Path-level parameters first, so that an operation's own one (same object) keeps its pointer.
  const sharedParameters = shared.map(resolveAt(pointerOf("paths", path, "parameters")));
  const parameters = mergeParameters(
    sharedParameters,
    (operation.parameters ?? []).map(resolveAt(`${pointer}/parameters`)),
  );
  const templated = (path.match(/\{[^}]+\}/g) ?? []).map((name) => name.slice(1, -1));
  for (const bare of templated) {
    if (!parameters.some((p) => p.in === "path" && p.name === bare)) {
      throw new CodegenError(pointer, `path parameter '${bare}' is not declared`);
    }
  }
  for (const parameter of parameters) {
    if (parameter.in === "path" && !templated.includes(parameter.name)) {
      throw new CodegenError(
        parameterPointers.get(parameter) ?? pointer,
        `path parameter '${parameter.name}' is not in the path '${path}'`,
      );
    }
  }
  const requestBody = operation.requestBody
    ? resolveComponent(document, operation.requestBody, `${pointer}/requestBody`)
    : undefined;
  const responses = Object.entries(operation.responses ?? {}).map(
    ([status, response]) =>
      [status, resolveComponent(document, response, `${pointer}/responses/${status}`)] as [
        string,
        OpenAPIV3.ResponseObject,
      ],
  );
  if (responses.length === 0) throw new CodegenError(pointer, "declares no response");
  if (requestBody && !responses.some(([status]) => status === "415")) {
    // A body in another media type is refused with 415 before validation; clients must know it.
    throw new CodegenError(`${pointer}/responses`, "an operation that takes a request body must declare 415");
  }
  const extensions = Object.fromEntries(Object.entries(operation).filter(([key]) => key.startsWith("x-")));
  return {
    operationId: operation.operationId as string,
    method,
    path,
    pointer,
    tags: operation.tags ?? [],
    summary: operation.summary,
    description: operation.description,
    security,
    parameters,
    parameterPointers,
    requestBody,
    responses,
    extensions,
  };
}

/** Operation parameters override path-level ones with the same name and location. */
function mergeParameters(
  shared: OpenAPIV3.ParameterObject[],
  own: OpenAPIV3.ParameterObject[],
): OpenAPIV3.ParameterObject[] {
  const key = (p: OpenAPIV3.ParameterObject) => `${p.in}:${p.name}`;
  const ownKeys = new Set(own.map(key));
  return [...shared.filter((p) => !ownKeys.has(key(p))), ...own];
}

/** `/api/products/{id}` in the contract is `/api/products/:id` in Hono's router. */
export function toHonoPath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ":$1");
}
