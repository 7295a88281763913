import { once } from "node:events";
import { Redis } from "ioredis";
import type { CacheStore } from "./store";

export interface RedisStoreOptions {
  /** A slow Redis must not slow the API down: past this, a command fails and the cache is bypassed. */
  commandTimeoutMs?: number;
  onError?: (error: Error) => void;
}

export function createRedisStore(url: string, options: RedisStoreOptions = {}): CacheStore {
  const client = new Redis(url, {
    lazyConnect: true,
    commandTimeout: options.commandTimeoutMs ?? 250,
    connectTimeout: 1_000,
    // Fail at once while disconnected instead of queueing requests behind a dead connection.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  client.on("error", (error) => options.onError?.(error));
  client.connect().catch((error: Error) => options.onError?.(error));
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
      if (client.status !== "ready") await once(client, "ready", { signal: AbortSignal.timeout(1_000) });
      await client.ping();
    },
    async close() {
      client.disconnect();
    },
  };
}
