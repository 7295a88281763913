import type { MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import type { Metrics } from "../platform/metrics";
import type { AppEnv } from "./env";

/** Requests that match no operation share one label, so that scanners cannot grow the metrics. */
export const UNMATCHED = "unmatched";
const MAX_REMEMBERED_SERIES = 1_000;

export interface RequestRecord {
  requestId: string | undefined;
  operationId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
}

/** One structured line and one histogram observation for an answered request. */
export type RecordRequest = (request: RequestRecord) => void;

export function requestRecorder(logger: Logger, metrics: Metrics): RecordRequest {
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
  return ({ requestId, operationId, method, path, status, durationMs }) => {
    durationOf(operationId, method, String(status)).observe(durationMs / 1000);
    logger.info(
      { requestId, operationId, method, path, status, durationMs: Math.round(durationMs * 100) / 100 },
      "request",
    );
  };
}

/** The recorder as middleware: after the response is known. */
export function accessLog(record: RecordRequest): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    record({
      requestId: c.get("requestId"),
      operationId: c.get("operationId") ?? UNMATCHED,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: performance.now() - started,
    });
  };
}
