import { LRUCache } from "lru-cache";
import type { CachedResponse } from "./cached-response";

interface MemoryEntry {
  response: CachedResponse;
  /** The local tag clock's reading when the response's computation began. */
  reading: number[];
}

export interface MemoryTier {
  get(key: string): MemoryEntry | undefined;
  set(key: string, response: CachedResponse, reading: number[], lifetimeMs: number): void;
  readonly bytes: number;
  clear(): void;
}

/** Room an entry takes besides its body: key, metadata and the map's own bookkeeping. */
const ENTRY_OVERHEAD_BYTES = 512;

/** The in-process tier: least recently used entries leave first once `maxBytes` is reached. */
export function memoryTier(maxBytes: number): MemoryTier {
  const entries = new LRUCache<string, MemoryEntry>({
    maxSize: maxBytes,
    sizeCalculation: (entry, key) => entry.response.body.byteLength + key.length + ENTRY_OVERHEAD_BYTES,
    ttlAutopurge: false,
  });
  return {
    get: (key) => entries.get(key),
    set(key, response, reading, lifetimeMs) {
      if (lifetimeMs > 0) entries.set(key, { response, reading }, { ttl: lifetimeMs });
    },
    get bytes() {
      return entries.calculatedSize;
    },
    clear: () => entries.clear(),
  };
}
