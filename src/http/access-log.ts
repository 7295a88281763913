import type { MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import type { Metrics } from "../platform/metrics";
import type { AppEnv } from "./env";

/** Requests that match no operation share one label, so that scanners cannot grow the metrics. */
const UNMATCHED = "unmatched";

/** One structured line and one histogram observation per request, after the response is known. */
export function accessLog(logger: Logger, metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const durationMs = performance.now() - started;
    const operationId = c.get("operationId") ?? UNMATCHED;
    const status = c.res.status;
    metrics.requestDuration.observe(
      { operationId, method: c.req.method, status: String(status) },
      durationMs / 1000,
    );
    logger.info(
      {
        requestId: c.get("requestId"),
        operationId,
        method: c.req.method,
        path: c.req.path,
        status,
        durationMs: Math.round(durationMs * 100) / 100,
      },
      "request",
    );
  };
}
