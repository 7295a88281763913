/**
 * A key-value store with expiry for cached responses and counters. The API must answer correctly
 * without it: callers treat every failure as a cache miss.
 */
export interface CacheStore {
  readonly kind: "memory" | "redis";
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  delete(keys: string[]): Promise<void>;
  /** Resolves when the store answers; used by the readiness check. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
