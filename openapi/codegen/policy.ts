import { z } from "zod";
import { CodegenError } from "./errors";
import { type Operation, toHonoPath } from "./operations";
import type { OperationPolicy } from "./runtime/policy-type";

// A tag names what a response shows (`products`), or one thing by a path parameter (`product:{id}`).
const Tag = z.string().regex(/^[a-z][a-z0-9_-]*(:\{[a-zA-Z]+\})?$/);
const CachePolicy = z.strictObject({
  ttl: z.int().min(1).max(86_400),
  tags: z.array(Tag).min(1),
});
const RateLimitPolicy = z.union([
  z.strictObject({
    limit: z.int().min(1),
    windowSeconds: z.int().min(1),
    by: z.array(z.enum(["ip", "email", "user"])).min(1),
  }),
  // `false`: exempt from the general per-IP limit (probes and metrics, called by infrastructure).
  z.literal(false),
]);
const Roles = z.array(z.enum(["customer", "admin"])).min(1);
const Invalidates = z.array(Tag).min(1);
// Bytes; an operation that takes large bodies (photo uploads) raises the app-wide limit.
const BodyLimit = z
  .int()
  .min(1)
  .max(100 * 1024 * 1024);

const KNOWN_EXTENSIONS = new Set(["x-cache", "x-rate-limit", "x-roles", "x-invalidates", "x-body-limit"]);

export function policyOf(operation: Operation): OperationPolicy {
  for (const key of Object.keys(operation.extensions)) {
    if (!KNOWN_EXTENSIONS.has(key)) throw new CodegenError(operation.pointer, `unknown extension '${key}'`);
  }
  const schemes = [...new Set(operation.security.flatMap((requirement) => Object.keys(requirement)))];
  const scopes = operation.security.flatMap((requirement) => Object.values(requirement).flat());
  const declaredRoles = read(operation, "x-roles", Roles) ?? [];
  const cache = read(operation, "x-cache", CachePolicy);
  const rateLimit = read(operation, "x-rate-limit", RateLimitPolicy);
  if (cache && operation.method !== "get")
    throw new CodegenError(operation.pointer, "x-cache is for GET operations");
  // The response cache keys an entry by operation, path and query, never by caller: one
  // customer's answer must never be served to another.
  if (cache && schemes.length > 0)
    throw new CodegenError(
      `${operation.pointer}/x-cache`,
      "x-cache is for answers that are the same for every caller (security: [])",
    );
  const invalidates = read(operation, "x-invalidates", Invalidates) ?? [];
  for (const [key, tags] of [
    ["x-cache", cache?.tags ?? []],
    ["x-invalidates", invalidates],
  ] as const) {
    for (const tag of tags) assertTagParameter(operation, key, tag);
  }
  const idempotencyKey = operation.parameters.find(
    (parameter) => parameter.in === "header" && parameter.name.toLowerCase() === "idempotency-key",
  );
  const bodyLimit = read(operation, "x-body-limit", BodyLimit);
  if (bodyLimit !== undefined && !operation.requestBody)
    throw new CodegenError(`${operation.pointer}/x-body-limit`, "x-body-limit needs a request body");
  return {
    operationId: operation.operationId,
    method: operation.method.toUpperCase(),
    path: operation.path,
    honoPath: toHonoPath(operation.path),
    tags: operation.tags,
    auth: {
      // `security: [{}]` beside schemes makes authentication optional.
      required: schemes.length > 0 && !operation.security.some((r) => Object.keys(r).length === 0),
      schemes,
    },
    roles: [...new Set([...declaredRoles, ...scopes])].sort(),
    cache: cache ?? null,
    invalidates,
    rateLimit: rateLimit || null,
    generalRateLimit: rateLimit !== false,
    idempotency: idempotencyKey ? { required: idempotencyKey.required ?? false } : null,
    body: operation.requestBody
      ? {
          required: operation.requestBody.required ?? false,
          mediaTypes: Object.keys(operation.requestBody.content),
          maxBytes: bodyLimit ?? null,
        }
      : null,
  };
}

/** `product:{id}` is filled from the request's path, so `{id}` must be one of its parameters. */
function assertTagParameter(operation: Operation, key: string, tag: string): void {
  const name = /\{([a-zA-Z]+)\}/.exec(tag)?.[1];
  if (name && !operation.parameters.some((p) => p.in === "path" && p.name === name)) {
    throw new CodegenError(
      `${operation.pointer}/${key}`,
      `tag '${tag}' names '${name}', which is not a path parameter`,
    );
  }
}

function read<T>(operation: Operation, key: string, schema: z.ZodType<T>): T | undefined {
  const value = operation.extensions[key];
  if (value === undefined) return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new CodegenError(
      `${operation.pointer}/${key}`,
      z.prettifyError(parsed.error).replaceAll("\n", "; "),
    );
  }
  return parsed.data;
}
