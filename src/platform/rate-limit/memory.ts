import { LRUCache } from "lru-cache";
import { boundedKey } from "./keys";
import type { RateLimiter, RateLimitResult } from "./types";
import { step, summarize, type WindowState } from "./window";

export interface MemoryRateLimiterOptions {
  /** Counters kept at most; the least recently used go first. 100 000 counters take about 20 MB. */
  maxKeys?: number;
  /** Milliseconds since the epoch; tests pass their own clock. */
  now?: () => number;
}

/**
 * The in-process limiter: the embedded default, and the fallback while Redis is down. Its
 * counters are per process, so N instances together allow up to N times the limit.
 */
export function createMemoryRateLimiter(options: MemoryRateLimiterOptions = {}): RateLimiter {
  const now = options.now ?? Date.now;
  const counters = new LRUCache<string, WindowState>({ max: options.maxKeys ?? 100_000 });
  function decide(key: string, limit: number, windowSeconds: number): RateLimitResult {
    const windowMs = windowSeconds * 1000;
    const storageKey = boundedKey(key);
    const taken = step(counters.get(storageKey), now(), limit, windowMs);
    // Past two windows a counter holds nothing any more (`step` starts it afresh), so it needs no
    // TTL: the LRU bound caps the memory, without a TTL's clock reads and timers on every hit.
    counters.set(storageKey, taken.state);
    return summarize(taken, limit, windowMs);
  }
  return {
    kind: "memory",
    admitLocally: decide,
    async hit(key, limit, windowSeconds) {
      return decide(key, limit, windowSeconds);
    },
  };
}
