import type { MiddlewareHandler } from "hono";
import type { OperationPolicy } from "../../generated/server";
import { expandTagTemplates, type ResponseCache } from "../platform/cache";
import type { Metrics } from "../platform/metrics";
import type { AppEnv } from "./env";

/**
 * Applies the contract's `x-invalidates` after a write succeeded, and before its answer leaves:
 * once the client has its 2xx, no instance serves what the write made stale. The tags are filled
 * from the validated parameters, so `/products/042` invalidates `product:42`.
 */
export function invalidateAfterWrite(
  policy: Pick<OperationPolicy, "operationId" | "invalidates">,
  cache: ResponseCache,
  metrics: Metrics,
): MiddlewareHandler<AppEnv> | undefined {
  const { invalidates, operationId } = policy;
  if (invalidates.length === 0) return undefined;
  const needsParameters = invalidates.some((template) => template.includes("{"));
  return async (c, next) => {
    await next();
    if (c.res.status < 200 || c.res.status >= 300) return;
    const parameters = needsParameters
      ? (c.req.valid as (target: "param") => Record<string, string | number>)("param")
      : {};
    const { reachedRedis } = await cache.invalidate(expandTagTemplates(invalidates, parameters));
    if (!reachedRedis) metrics.cacheErrors.inc({ operationId, tier: "redis" });
  };
}
