import { createHash } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import type { OperationPolicy } from "../../generated/server";
import type { IdempotencyStore, KeyRequest } from "../platform/idempotency/store";
import type { AppEnv } from "./env";
import { HttpProblem } from "./problem";

/** Tells a client that the answer is the one its key's first request got. */
export const REPLAY_HEADER = "Idempotent-Replayed";
// As the contract's IdempotencyKey parameter: a key it would reject is left to validation.
const WELL_FORMED_KEY = /^[!-~]{8,255}$/;
// What a replayed answer needs of the first one's headers; the rest is made for each response.
const KEPT_HEADERS = ["content-type", "location"];

export interface IdempotencyOptions {
  store: IdempotencyStore;
  /** Whose key it is: the same key from two callers is two keys. */
  scopeOf(c: Context<AppEnv>): string;
}

/**
 * For operations whose contract takes an `Idempotency-Key`: the first request with a key runs,
 * and its answer is kept when the operation took effect (2xx); a retry with the key gets that
 * answer back marked `Idempotent-Replayed: true`. An error changed nothing, so its key is freed
 * and a retry runs again. The same key with another request is 422; while the first request
 * runs, a second is 409.
 */
export function idempotentRetries(
  policy: Pick<OperationPolicy, "operationId" | "idempotency">,
  options: IdempotencyOptions,
): MiddlewareHandler<AppEnv> | undefined {
  if (!policy.idempotency) return undefined;
  return async (c, next) => {
    const key = c.req.header("idempotency-key");
    if (key === undefined || !WELL_FORMED_KEY.test(key)) return next();
    const request: KeyRequest = {
      scope: options.scopeOf(c),
      key,
      operationId: policy.operationId,
      fingerprint: fingerprint(policy.operationId, c.req.path, await c.req.text()),
    };
    const claim = await options.store.claim(request);
    if (claim.kind === "mismatch") throw reusedKey();
    if (claim.kind === "in_progress") throw keyInUse();
    if (claim.kind === "replay") {
      const { status, headers, body } = claim.answer;
      return new Response(body, { status, headers: { ...headers, [REPLAY_HEADER]: "true" } });
    }
    try {
      await next();
    } catch (error) {
      await options.store.release(request);
      throw error;
    }
    if (c.res.status >= 200 && c.res.status < 300) {
      const headers: Record<string, string> = {};
      for (const name of KEPT_HEADERS) {
        const value = c.res.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      await options.store.keep(request, { status: c.res.status, headers, body: await c.res.clone().text() });
    } else {
      await options.store.release(request);
    }
  };
}

/** The operation, its path and its body, the body's JSON key order aside. */
function fingerprint(operationId: string, path: string, body: string): string {
  return createHash("sha256")
    .update(`${operationId}\n${path}\n${canonicalBody(body)}`)
    .digest("hex");
}

function canonicalBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), (_key, value: unknown) =>
      value && typeof value === "object" && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : value,
    );
  } catch {
    return body;
  }
}

const reusedKey = () =>
  new HttpProblem({
    status: 422,
    code: "idempotency_key_reused",
    title: "Idempotency key reused",
    detail: "This Idempotency-Key was used for a different request; use a new key for a new request",
  });

const keyInUse = () =>
  new HttpProblem({
    status: 409,
    code: "idempotency_key_in_use",
    title: "Request in progress",
    detail: "The first request with this Idempotency-Key is still running; retry shortly",
    headers: { "Retry-After": "1" },
  });
