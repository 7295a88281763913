import type { SecondaryStorage } from "better-auth";
import type { Redis } from "ioredis";

/** Sessions cached in Redis live at most this long there, whatever their own lifetime. */
const MAX_CACHED_SECONDS = 5 * 60;
const RETRY_DELETES_EVERY_MS = 5_000;
/** One-time codes and reset tokens live only in PostgreSQL, where their attempt counts are exact. */
const DATABASE_ONLY = /^verification:/;

/**
 * Redis in front of PostgreSQL for sessions. A Redis error or timeout is a cache miss, so the
 * session is read from PostgreSQL. A delete that fails (a revocation while Redis is down) is
 * retried until it succeeds, and until then the key is not read from Redis, so a revoked session
 * cannot come back from the cache when Redis does. Nothing stays cached for long either.
 */
export function redisSecondaryStorage(
  redis: Redis,
  onError: (error: unknown) => void,
): SecondaryStorage & {
  stop(): void;
} {
  const pendingDeletes = new Set<string>();
  const retry = setInterval(async () => {
    if (pendingDeletes.size === 0) return;
    const keys = [...pendingDeletes];
    try {
      await redis.del(...keys);
      for (const key of keys) pendingDeletes.delete(key);
    } catch (error) {
      onError(error);
    }
  }, RETRY_DELETES_EVERY_MS);
  retry.unref();

  return {
    async get(key) {
      if (DATABASE_ONLY.test(key) || pendingDeletes.has(key)) return null;
      try {
        return await redis.get(key);
      } catch (error) {
        onError(error);
        return null;
      }
    },
    async getAndDelete(key) {
      if (DATABASE_ONLY.test(key) || pendingDeletes.has(key)) return null;
      try {
        return await redis.getdel(key);
      } catch (error) {
        onError(error);
        return null;
      }
    },
    async increment(key, ttl) {
      const [[, value] = []] = (await redis.multi().incr(key).expire(key, ttl, "NX").exec()) ?? [];
      return Number(value);
    },
    async set(key, value, ttl) {
      if (DATABASE_ONLY.test(key)) return;
      try {
        const seconds = Math.min(ttl ?? MAX_CACHED_SECONDS, MAX_CACHED_SECONDS);
        await redis.set(key, value, "EX", Math.max(1, Math.floor(seconds)));
      } catch (error) {
        // Not cached: the next read goes to PostgreSQL. A stale copy must not survive, though.
        pendingDeletes.add(key);
        onError(error);
      }
    },
    async delete(key) {
      try {
        await redis.del(key);
      } catch (error) {
        pendingDeletes.add(key);
        onError(error);
      }
    },
    stop() {
      clearInterval(retry);
    },
  };
}
