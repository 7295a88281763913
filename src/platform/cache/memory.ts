import { LRUCache } from "lru-cache";
import type { CacheStore } from "./store";

/** The embedded default: an in-process LRU, bounded in entries so it never grows without limit. */
export function createMemoryStore(maxEntries = 10_000): CacheStore {
  const entries = new LRUCache<string, string>({ max: maxEntries, ttlAutopurge: false });
  return {
    kind: "memory",
    async get(key) {
      return entries.get(key);
    },
    async set(key, value, ttlSeconds) {
      entries.set(key, value, { ttl: ttlSeconds * 1000 });
    },
    async delete(keys) {
      for (const key of keys) entries.delete(key);
    },
    async ping() {},
    async close() {
      entries.clear();
    },
  };
}
