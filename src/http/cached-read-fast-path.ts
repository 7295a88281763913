import { getPath } from "hono/utils/url";
import type { OperationPolicy } from "../../generated/server";
import type { TrustedProxies } from "../net/ip";
import type { CachedResponse, ResponseCache } from "../platform/cache";
import type { Metrics } from "../platform/metrics";
import type { RateLimiter, RateLimitResult } from "../platform/rate-limit";
import type { RecordRequest } from "./access-log";
import {
  decidedEarlier,
  GENERAL_WINDOW_SECONDS,
  generalLimitFields,
  generalLimitKey,
  requestSubject,
} from "./rate-limit";
import { requestIdFor } from "./request-id";
import type { CachedTarget, CachedTargets } from "./response-cache";
import { entryAnswer } from "./response-cache";
import type { ResponseEnvelope } from "./response-headers";
import { HEADER_LIMIT_BYTES, requestHeadBytes } from "./transport-limits";

export interface CachedReadFastPathOptions {
  cache: ResponseCache;
  targets: CachedTargets;
  limiter: RateLimiter;
  /** The general limit (`RATE_LIMIT_PER_MINUTE`). */
  perMinute: number;
  trustedProxies: TrustedProxies;
  envelope: ResponseEnvelope;
  record: RecordRequest;
  metrics: Metrics;
}

/**
 * Whether an operation's cached answers may be served on the fast path: only the general limit
 * applies to it (the fast path counts no operation's own limit) and it takes no credentials.
 */
export function servedOnFastPath(
  policy: Pick<OperationPolicy, "rateLimit" | "generalRateLimit" | "auth">,
): boolean {
  return policy.rateLimit === null && policy.generalRateLimit && policy.auth.schemes.length === 0;
}

/**
 * Answers a request on its own, at once or once the rate limiter has decided, or hands it to the
 * app by returning (or resolving to) `undefined`.
 */
export type FastPath = (
  request: Request,
  env: unknown,
) => Response | Promise<Response | undefined> | undefined;

/**
 * The shop's most frequent request, a catalog read whose answer sits fresh in this process's
 * cache, answered without the router and the middleware chain: the same answer, made with the
 * same functions those use (request id, general rate limit, cache headers, CORS and secure
 * headers, access log and metrics), in one step once the rate limiter has decided (at once, when
 * it can decide on its own). A cached read costs about half as much CPU this way (bench/: the
 * cached product list).
 *
 * Whatever is not that plain case goes to the app untouched: other methods, a request carrying
 * credentials (authentication may renew its session), a body, an oversized head, a target the
 * cache has not answered yet, an entry that is not fresh in memory (or no longer, once the limiter
 * has decided), and a refusal (the app answers the 429; the request is counted once).
 */
export function cachedReadFastPath(options: CachedReadFastPathOptions): FastPath {
  const { cache, targets, limiter, perMinute, trustedProxies, envelope, record, metrics } = options;
  const rateLimitFields = generalLimitFields(perMinute);
  const hits = new Map<string, { inc(): void }>();
  const countHit = (operationId: string) => {
    let counter = hits.get(operationId);
    if (counter === undefined) {
      counter = metrics.cacheLookups.labels({ operationId, tier: "memory", outcome: "hit" });
      hits.set(operationId, counter);
    }
    counter.inc();
  };

  return (request, env) => {
    if (request.method !== "GET") return undefined;
    const { headers } = request;
    if (headers.has("authorization") || headers.has("cookie")) return undefined;
    if (headers.has("content-length") || headers.has("transfer-encoding")) return undefined;
    const target = targets.get(request.url);
    if (target === undefined) return undefined;
    const entry = cache.freshInMemory(target.key, target.tags);
    if (entry === undefined || requestHeadBytes(request) > HEADER_LIMIT_BYTES) return undefined;

    const started = performance.now();
    const limitKey = generalLimitKey(requestSubject(request, env, trustedProxies));
    const onTheSpot = limiter.admitLocally?.(limitKey, perMinute, GENERAL_WINDOW_SECONDS);
    if (onTheSpot !== undefined) return answer(request, target, entry, onTheSpot, started);
    return limiter.hit(limitKey, perMinute, GENERAL_WINDOW_SECONDS).then((decided) =>
      // Meanwhile the entry may have been invalidated: then the app computes the answer.
      answer(request, target, cache.freshInMemory(target.key, target.tags), decided, started),
    );
  };

  function answer(
    request: Request,
    target: CachedTarget,
    entry: CachedResponse | undefined,
    limit: RateLimitResult,
    started: number,
  ): Response | undefined {
    // A refusal, or an entry no longer fresh, is the app's to answer, the request counted once.
    if (!limit.allowed || entry === undefined) {
      decidedEarlier.set(request, limit);
      return undefined;
    }
    const { headers } = request;
    const requestId = requestIdFor(request);
    const fromEntry = entryAnswer(entry, target.cacheControl, headers.get("if-none-match") ?? undefined);
    const response = new Response(fromEntry.body, { status: fromEntry.status, headers: fromEntry.headers });
    const out = response.headers;
    out.set("X-Request-Id", requestId);
    out.set("X-Cache", "HIT");
    out.set("X-Cache-Tier", "memory");
    for (const [name, value] of rateLimitFields(limit)) out.set(name, value);
    envelope.apply(out, envelope.allowedOrigin(headers.get("origin") ?? undefined), started);
    countHit(target.operationId);
    record({
      requestId,
      operationId: target.operationId,
      method: "GET",
      // As the app's access log reads it (hono's own).
      path: getPath(request),
      status: fromEntry.status,
      durationMs: performance.now() - started,
    });
    return response;
  }
}
