import type { Redis } from "ioredis";
import { createMemoryStore } from "./memory";
import { createRedisStore } from "./redis";
import type { CacheStore } from "./store";

export type { CacheStore } from "./store";

/** Redis when a connection is configured, otherwise the in-process store. */
export function openCacheStore(redis: Redis | undefined): CacheStore {
  return redis ? createRedisStore(redis) : createMemoryStore();
}
