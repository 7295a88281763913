import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { type CachedResponse, decodeFromStore, encodeForStore } from "./cached-response";
import type { CircuitBreaker } from "./circuit-breaker";

export interface RedisRead {
  /** The entry, when one is stored under the tag versions current now. */
  entry: CachedResponse | undefined;
  /** The tag versions current now, to store a freshly computed entry under. */
  versions: string[];
}

export interface RedisTier {
  /** `undefined` when Redis cannot answer now: the caller computes and does not store. */
  read(key: string, tags: readonly string[]): Promise<RedisRead | undefined>;
  write(key: string, entry: CachedResponse, versions: string[]): Promise<void>;
  /** Gives each tag a new version; an entry stored under an old one is never read again. */
  /** False when Redis could not take it now; it is sent again once Redis answers. */
  bump(tags: readonly string[]): Promise<boolean>;
  /** Sends the bumps that failed earlier; true once none is left. */
  retryUnsentBumps(): Promise<boolean>;
}

const ENTRY_PREFIX = "cache:entry:";
const TAG_PREFIX = "cache:tag:";
/** A tag's version must outlive every entry stored under it: past the longest ttl plus its stale window. */
const TAG_VERSION_TTL_SECONDS = 8 * 24 * 3600;

/** Time-ordered for whoever reads Redis, random so that two instances never pick the same one. */
function freshVersion(): string {
  return `${Date.now().toString(36)}.${randomBytes(6).toString("base64url")}`;
}

/**
 * The shared tier. One MGET reads an entry together with the current versions of its tags, so a
 * lookup is one round trip and invalidation is one SET per tag, whatever the number of entries.
 * Every call goes through the breaker: a slow or stopped Redis is a miss, never an error.
 *
 * A bump that fails is kept and retried before this instance reads or writes again, so that an
 * entry invalidated while Redis was away is not served once it is back.
 */
export function redisTier(
  client: Redis,
  breaker: CircuitBreaker,
  onError: (error: unknown) => void,
): RedisTier {
  const unsentBumps = new Set<string>();

  const sendBumps = async (tags: readonly string[]) => {
    const pipeline = client.multi();
    for (const tag of tags) pipeline.set(TAG_PREFIX + tag, freshVersion(), "EX", TAG_VERSION_TTL_SECONDS);
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error)?.[0];
    if (!results || failed) throw failed ?? new Error("redis transaction discarded");
  };

  /** True once every bump that failed earlier has reached Redis. */
  const caughtUp = async (): Promise<boolean> => {
    if (unsentBumps.size === 0) return true;
    const tags = [...unsentBumps];
    try {
      await breaker.run(() => sendBumps(tags));
      for (const tag of tags) unsentBumps.delete(tag);
      return true;
    } catch (error) {
      onError(error);
      return false;
    }
  };

  return {
    async read(key, tags) {
      if (!(await caughtUp())) return undefined;
      try {
        const values = await breaker.run(() =>
          client.mgetBuffer(ENTRY_PREFIX + key, ...tags.map((tag) => TAG_PREFIX + tag)),
        );
        const versions = values.slice(1).map((value) => value?.toString("utf8") ?? "0");
        const stored = values[0] ? decodeFromStore(values[0]) : undefined;
        const current = stored && sameVersions(stored.versions, versions) ? stored.entry : undefined;
        return { entry: current, versions };
      } catch (error) {
        onError(error);
        return undefined;
      }
    },
    async write(key, entry, versions) {
      if (!(await caughtUp())) return;
      const lifetimeSeconds = Math.ceil((entry.staleUntil - Date.now()) / 1000);
      if (lifetimeSeconds <= 0) return;
      try {
        await breaker.run(() =>
          client.set(ENTRY_PREFIX + key, encodeForStore(entry, versions), "EX", lifetimeSeconds),
        );
      } catch (error) {
        onError(error);
      }
    },
    async bump(tags) {
      if (tags.length === 0) return true;
      try {
        await breaker.run(() => sendBumps(tags));
        return true;
      } catch (error) {
        for (const tag of tags) unsentBumps.add(tag);
        onError(error);
        return false;
      }
    },
    retryUnsentBumps: caughtUp,
  };
}

function sameVersions(stored: readonly string[], current: readonly string[]): boolean {
  return stored.length === current.length && stored.every((version, index) => version === current[index]);
}
