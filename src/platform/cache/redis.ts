import type { Redis } from "ioredis";
import { redisReady } from "../redis";
import type { CacheStore } from "./store";

/** The cache on a shared Redis connection; closing the store leaves the connection to its owner. */
export function createRedisStore(client: Redis): CacheStore {
  return {
    kind: "redis",
    async get(key) {
      return (await client.get(key)) ?? undefined;
    },
    async set(key, value, ttlSeconds) {
      await client.set(key, value, "EX", ttlSeconds);
    },
    async delete(keys) {
      if (keys.length > 0) await client.del(...keys);
    },
    async ping() {
      // Right after start the connection may still be opening; give it the connect timeout.
      if (!(await redisReady(client, 1_000))) throw new Error("redis is not connected");
      await client.ping();
    },
    async close() {},
  };
}
