import type { MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import type { Metrics } from "../platform/metrics";
import type { AppEnv } from "./env";

/** Requests that match no operation share one label, so that scanners cannot grow the metrics. */
const UNMATCHED = "unmatched";
const MAX_REMEMBERED_SERIES = 1_000;

/** One structured line and one histogram observation per request, after the response is known. */
export function accessLog(logger: Logger, metrics: Metrics): MiddlewareHandler<AppEnv> {
  // A labelled series is looked up once: prom-client would sort and hash the labels every time.
  const series = new Map<string, { observe(seconds: number): void }>();
  const durationOf = (operationId: string, method: string, status: string) => {
    const key = `${operationId} ${method} ${status}`;
    let child = series.get(key);
    if (child === undefined) {
      child = metrics.requestDuration.labels({ operationId, method, status });
      // Methods of unmatched requests are the client's choice: remember only so many.
      if (series.size < MAX_REMEMBERED_SERIES) series.set(key, child);
    }
    return child;
  };
  return async (c, next) => {
    const started = performance.now();
    await next();
    const durationMs = performance.now() - started;
    const operationId = c.get("operationId") ?? UNMATCHED;
    const status = c.res.status;
    durationOf(operationId, c.req.method, String(status)).observe(durationMs / 1000);
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
