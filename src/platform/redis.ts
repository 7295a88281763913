import { once } from "node:events";
import { Redis } from "ioredis";

export interface RedisOptions {
  keyPrefix?: string;
  /** A slow Redis must not slow the API down: past this, a command fails and its caller falls back. */
  commandTimeoutMs?: number;
  onError?: (error: Error) => void;
}

/**
 * One connection shared by the cache, the rate limiter and the session store. It fails fast
 * instead of queueing while disconnected, because every user of it has a fallback.
 */
export function connectRedis(url: string, options: RedisOptions = {}): Redis {
  const client = new Redis(url, {
    lazyConnect: true,
    keyPrefix: options.keyPrefix,
    commandTimeout: options.commandTimeoutMs ?? 250,
    connectTimeout: 1_000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    // Commands issued in one turn of the event loop (a rate-limit count and a cache lookup per
    // request, across concurrent requests) go out in one socket write: by default each is its
    // own write, which under load cost more than the rest of a cached answer.
    enableAutoPipelining: true,
  });
  client.on("error", (error) => options.onError?.(error));
  client.connect().catch((error: Error) => options.onError?.(error));
  return client;
}

/** Resolves once the connection is ready, or after `timeoutMs` (Redis is never required). */
export async function redisReady(client: Redis, timeoutMs = 2_000): Promise<boolean> {
  if (client.status === "ready") return true;
  try {
    await once(client, "ready", { signal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  }
}
