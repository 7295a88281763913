import type { Redis } from "ioredis";
import { redisReady } from "../redis";
import type { CachedResponse } from "./cached-response";
import { CircuitOpenError, circuitBreaker } from "./circuit-breaker";
import { type InvalidationBus, invalidationBus } from "./invalidation-bus";
import { localTagClock } from "./local-tag-clock";
import { memoryTier } from "./memory-tier";
import { type RedisTier, redisTier } from "./redis-tier";

export type CacheTier = "memory" | "redis" | "none";
export type CacheOutcome = "hit" | "stale" | "miss";

export interface CacheLookup {
  key: string;
  /** The entry's tags, templates filled in. */
  tags: string[];
  ttlSeconds: number;
}

/**
 * Computes the answer: an entry to keep, `"not-kept"` for an answer that is not cached (a 404, a
 * 400), or `"failed"` for a server error, which a stale entry, when there is one, stands in for.
 */
export type Produce = () => Promise<CachedResponse | "not-kept" | "failed">;

export interface CacheAnswer {
  /** What to serve; `undefined` when this request's own computation stands, uncached. */
  entry: CachedResponse | undefined;
  outcome: CacheOutcome;
  tier: CacheTier;
  /** This request stored a new entry. */
  filled: boolean;
  /** A tier that failed during this lookup (answered anyway). */
  failedTier?: "redis";
}

export interface ResponseCache {
  readonly kind: "memory" | "redis";
  answer(lookup: CacheLookup, produce: Produce): Promise<CacheAnswer>;
  /** The entry `answer` would serve as a fresh in-process hit, found without waiting; else undefined. */
  freshInMemory(key: string, tags: string[]): CachedResponse | undefined;
  /** Resolves once no instance serves what `tags` cover; `false` when Redis could not be told. */
  invalidate(tags: readonly string[]): Promise<{ reachedRedis: boolean }>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface ResponseCacheOptions {
  /** Bound of the in-process tier. */
  memoryBytes?: number;
  /**
   * Lifetime of an in-process entry when Redis holds the shared copy: the bound on staleness
   * should an invalidation message be lost.
   */
  memoryLifetimeMs?: number;
  redisTimeoutMs?: number;
  onError?(error: unknown, where: string): void;
}

interface Flight {
  /** The local tag clock's reading when it started: a later invalidation outdates it. */
  reading: number[];
  done: Promise<Omit<CacheAnswer, "filled">>;
}

const DEFAULT_MEMORY_BYTES = 64 * 1024 * 1024;
const DEFAULT_MEMORY_LIFETIME_MS = 5_000;

/**
 * The two-tier response cache: in-process in front of Redis (or alone, on the embedded default).
 * Concurrent misses for one key share one computation; an entry past its lifetime but inside its
 * stale window is served while one request refreshes it; an invalidated entry is never served.
 */
export function responseCache(redis: Redis | undefined, options: ResponseCacheOptions = {}): ResponseCache {
  const report = options.onError ?? (() => undefined);
  const clock = localTagClock();
  const memory = memoryTier(options.memoryBytes ?? DEFAULT_MEMORY_BYTES);
  const memoryLifetimeMs = options.memoryLifetimeMs ?? DEFAULT_MEMORY_LIFETIME_MS;
  const flights = new Map<string, Flight>();
  const noteRedisError = (error: unknown) => {
    // An open circuit is the breaker doing its job, not news.
    if (!(error instanceof CircuitOpenError)) report(error, "redis");
  };
  const breaker = circuitBreaker({ timeoutMs: options.redisTimeoutMs ?? 100 });
  const shared: RedisTier | undefined = redis ? redisTier(redis, breaker, noteRedisError) : undefined;
  const bus: InvalidationBus | undefined = redis
    ? invalidationBus(redis, {
        onRemoteInvalidation: (tags) => clock.advance(tags),
        onSubscriptionGap: () => clock.advanceAll(),
        onError: (error) => report(error, "redis pub/sub"),
      })
    : undefined;
  // Bumps that failed while Redis was away go out as soon as it is back, read or no read.
  const retryTimer = shared ? setInterval(() => void shared.retryUnsentBumps(), 1_000) : undefined;
  retryTimer?.unref();

  const keepInMemory = (key: string, entry: CachedResponse, reading: number[]) => {
    const untilStale = entry.staleUntil - Date.now();
    memory.set(key, entry, reading, shared ? Math.min(memoryLifetimeMs, untilStale) : untilStale);
  };

  const fly = (lookup: CacheLookup, reading: number[], produce: Produce, stale?: CachedResponse): Flight => {
    const done = (async () => {
      let versions: string[] | undefined;
      let failedTier: "redis" | undefined;
      let fallback = stale;
      if (shared) {
        const stored = await shared.read(lookup.key, lookup.tags);
        if (!stored) failedTier = "redis";
        versions = stored?.versions;
        const entry = stored?.entry;
        if (entry && Date.now() < entry.freshUntil) {
          keepInMemory(lookup.key, entry, reading);
          return { entry, outcome: "hit" as const, tier: "redis" as const, failedTier };
        }
        if (entry && Date.now() < entry.staleUntil && !fallback) {
          // Held in memory meanwhile, so that other requests get it stale instead of waiting.
          keepInMemory(lookup.key, entry, reading);
          fallback = entry;
        }
      }
      const fresh = await produce();
      if (fresh === "failed" && fallback) {
        return { entry: fallback, outcome: "stale" as const, tier: "memory" as const, failedTier };
      }
      if (typeof fresh === "string") {
        return { entry: undefined, outcome: "miss" as const, tier: "none" as const, failedTier };
      }
      keepInMemory(lookup.key, fresh, reading);
      if (shared && versions) void shared.write(lookup.key, fresh, versions);
      return { entry: fresh, outcome: "miss" as const, tier: "none" as const, failedTier };
    })();
    return { reading, done };
  };

  return {
    kind: redis ? "redis" : "memory",
    async answer(lookup, produce) {
      const { key, tags } = lookup;
      const reading = clock.read(tags);
      const held = memory.get(key);
      const current = held && clock.isCurrent(tags, held.reading) ? held.response : undefined;
      const now = Date.now();
      if (current && now < current.freshUntil) {
        return { entry: current, outcome: "hit", tier: "memory", filled: false };
      }
      const flight = flights.get(key);
      const flightCurrent = flight && clock.isCurrent(tags, flight.reading);
      if (current && now < current.staleUntil && flightCurrent) {
        return { entry: current, outcome: "stale", tier: "memory", filled: false };
      }
      if (flight && flightCurrent) {
        const shared = await flight.done.catch(() => undefined);
        if (shared?.entry)
          return { ...shared, outcome: shared.outcome === "hit" ? "hit" : "miss", filled: false };
        // The first computation was not one to keep: this request computes its own answer.
        await produce();
        return { entry: undefined, outcome: "miss", tier: "none", filled: false };
      }
      const stale = current && now < current.staleUntil ? current : undefined;
      const mine = fly(lookup, reading, produce, stale);
      flights.set(key, mine);
      try {
        const result = await mine.done;
        return { ...result, filled: result.outcome === "miss" && result.entry !== undefined };
      } finally {
        if (flights.get(key) === mine) flights.delete(key);
      }
    },
    freshInMemory(key, tags) {
      const held = memory.get(key);
      if (!held || !clock.isCurrent(tags, held.reading)) return undefined;
      return Date.now() < held.response.freshUntil ? held.response : undefined;
    },
    async invalidate(tags) {
      clock.advance(tags);
      if (!shared || !bus) return { reachedRedis: true };
      const reachedRedis = await shared.bump(tags);
      await bus.announce(tags);
      return { reachedRedis };
    },
    async ping() {
      if (!redis) return;
      // Right after start the connection may still be opening; give it the connect timeout.
      if (!(await redisReady(redis, 1_000))) throw new Error("redis is not connected");
      await redis.ping();
    },
    async close() {
      clearInterval(retryTimer);
      await bus?.close();
      memory.clear();
    },
  };
}
