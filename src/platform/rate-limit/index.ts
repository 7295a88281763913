import type { Redis } from "ioredis";
import { withFallback } from "./fallback";
import { createMemoryRateLimiter } from "./memory";
import { createRedisRateLimiter } from "./redis";
import type { RateLimiter } from "./types";

export { type FallbackOptions, withFallback } from "./fallback";
export { boundedKey, digest } from "./keys";
export { createMemoryRateLimiter, type MemoryRateLimiterOptions } from "./memory";
export { createRedisRateLimiter, type RedisRateLimiterOptions } from "./redis";
export type { RateLimiter, RateLimitResult } from "./types";

/**
 * Redis-backed counters shared by every instance when a connection is configured, falling back to
 * in-process counters while Redis fails; in-process counters alone otherwise.
 */
export function openRateLimiter(
  redis: Redis | undefined,
  onFallback: (error: unknown) => void = () => {},
): RateLimiter {
  const memory = createMemoryRateLimiter();
  return redis ? withFallback(createRedisRateLimiter(redis), memory, onFallback) : memory;
}
