import type { RateLimiter } from "./types";

export interface FallbackOptions {
  /**
   * After a failure, the fallback answers alone for this long before the primary is tried again,
   * so that a Redis that is down or slow costs one failed command per period, not one a request.
   */
  retryPrimaryAfterMs?: number;
  /**
   * The longest the primary may take (the Redis connection's own command timeout is 250 ms;
   * this guards a client configured without one).
   */
  timeoutMs?: number;
  now?: () => number;
}

/**
 * The primary limiter (Redis) while it answers, the fallback (in-process) when it fails or is
 * slow. A hit never rejects because of the primary: rate limiting degrades, the API answers.
 */
export function withFallback(
  primary: RateLimiter,
  fallback: RateLimiter,
  onFallback: (error: unknown) => void = () => {},
  options: FallbackOptions = {},
): RateLimiter {
  const now = options.now ?? Date.now;
  const retryAfterMs = options.retryPrimaryAfterMs ?? 5_000;
  const timeoutMs = options.timeoutMs ?? 1_000;
  let primaryDownUntil = 0;
  return {
    kind: "redis-with-fallback",
    admitLocally(key, limit, windowSeconds) {
      if (now() < primaryDownUntil) return fallback.admitLocally?.(key, limit, windowSeconds);
      return primary.admitLocally?.(key, limit, windowSeconds);
    },
    async hit(key, limit, windowSeconds) {
      if (now() < primaryDownUntil) return fallback.hit(key, limit, windowSeconds);
      try {
        return await withTimeout(primary.hit(key, limit, windowSeconds), timeoutMs);
      } catch (error) {
        primaryDownUntil = now() + retryAfterMs;
        try {
          onFallback(error);
        } catch {
          // A failing logger must not fail the request either.
        }
        return fallback.hit(key, limit, windowSeconds);
      }
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`rate limiter did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
