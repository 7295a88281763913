/** The outcome of counting one request against one limit. */
export interface RateLimitResult {
  /** Whether this request is within the limit (and was counted). */
  allowed: boolean;
  limit: number;
  /** Requests still allowed right now, after this one. */
  remaining: number;
  /** Seconds until the counter is empty again, that is until the whole quota is available. */
  resetSeconds: number;
  /** Set when the request was refused: whole seconds until one more request would be allowed. */
  retryAfterSeconds?: number;
}

/**
 * Counts requests per key in a sliding window. A refused request is not counted, so a client that
 * keeps knocking is let in again as soon as its earlier requests have aged out.
 */
export interface RateLimiter {
  readonly kind: "memory" | "redis" | "redis-with-fallback";
  hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult>;
  /**
   * The same decision as `hit` when this instance can take it on its own, without waiting
   * (in-process counters; a Redis lease); `undefined` when only `hit` can. Tried first by callers
   * on the request path, so that most requests never wait for the limiter.
   */
  admitLocally?(key: string, limit: number, windowSeconds: number): RateLimitResult | undefined;
}
