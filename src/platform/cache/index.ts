import { createMemoryStore } from "./memory";
import { createRedisStore } from "./redis";
import type { CacheStore } from "./store";

export type { CacheStore } from "./store";

/** Redis when a URL is configured, otherwise the in-process store. */
export function openCacheStore(redisUrl: string | undefined, onError?: (error: Error) => void): CacheStore {
  return redisUrl ? createRedisStore(redisUrl, { onError }) : createMemoryStore();
}
