import { randomBytes } from "node:crypto";
import type { CacheStore } from "./store";

/**
 * The one way a catalog write announces what it made stale: tags such as `products`,
 * `product:42`, `categories`, `inventory`, `prices`. Announce after the write has committed, so
 * that nothing read before the commit can be cached under the new state. Never throws: the
 * cache is an optimisation, and a write that succeeded must answer as one.
 */
export interface CacheInvalidator {
  invalidate(tags: readonly string[]): Promise<void>;
}

/** What invalidation reports a cache failure to; a pino logger fits. */
export interface InvalidationLogger {
  warn(details: object, message: string): void;
}

export interface TagVersionOptions {
  /** Where the version keys live in the store; default `cache:tag:`. */
  prefix?: string;
  /** Told every announcement (metrics, a CDN purge), whether or not the store took it. */
  onAnnounce?: (tags: readonly string[]) => void;
  logger?: InvalidationLogger;
  /**
   * How long a version key outlives its last bump; default 7 days. It must exceed the longest
   * `x-cache` ttl: once the key expires its tag reads as "0" again, and nothing cached under
   * that "0" may still be alive.
   */
  versionTtlSeconds?: number;
}

export interface TagVersionInvalidator extends CacheInvalidator {
  /**
   * The tag's current version, "0" before its first invalidation. A response cache keys each
   * entry by the versions of its tags, read before the response is computed; a bump makes those
   * entries unreachable (they age out by their own TTL), with no key scan. When the store fails
   * the answer is a fresh version no entry has, so a lookup misses instead of serving stale data.
   */
  versionOf(tag: string): Promise<string>;
}

const DEFAULT_PREFIX = "cache:tag:";
const DEFAULT_VERSION_TTL_SECONDS = 7 * 24 * 60 * 60;

/** Time-ordered for whoever reads the store, random so that concurrent instances never pick the same one. */
function freshVersion(): string {
  return `${Date.now().toString(36)}.${randomBytes(6).toString("base64url")}`;
}

/** Tag invalidation by version bumps in the cache store (Redis when configured, else in-process). */
export function tagVersionInvalidator(
  store: CacheStore,
  options: TagVersionOptions = {},
): TagVersionInvalidator {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const ttlSeconds = options.versionTtlSeconds ?? DEFAULT_VERSION_TTL_SECONDS;
  const { logger, onAnnounce } = options;

  const bump = async (tag: string): Promise<void> => {
    try {
      await store.set(prefix + tag, freshVersion(), ttlSeconds);
    } catch (error) {
      logger?.warn({ err: error, tag, store: store.kind }, "cache tag invalidation failed");
    }
  };

  return {
    async invalidate(tags) {
      const unique = [...new Set(tags)];
      if (unique.length === 0) return;
      try {
        onAnnounce?.(unique);
      } catch (error) {
        logger?.warn({ err: error, tags: unique }, "cache tag announcement listener failed");
      }
      await Promise.all(unique.map(bump));
    },
    async versionOf(tag) {
      try {
        return (await store.get(prefix + tag)) ?? "0";
      } catch (error) {
        logger?.warn({ err: error, tag, store: store.kind }, "cache tag version unreadable");
        return `unreadable.${freshVersion()}`;
      }
    },
  };
}

/** For tests: keeps every announcement, in order. */
export function recordingInvalidator(): CacheInvalidator & { announced: string[][] } {
  const announced: string[][] = [];
  return {
    announced,
    async invalidate(tags) {
      announced.push([...tags]);
    },
  };
}

const TEMPLATE_PARAMETER = /\{([^{}]+)\}/g;

/**
 * The contract's tag templates with the operation's parameters filled in: `product:{id}` with
 * `{ id: 42 }` is `product:42`. A missing parameter throws: a tag left half-filled would
 * invalidate nothing, silently.
 */
export function expandTagTemplates(
  templates: readonly string[],
  params: Record<string, string | number>,
): string[] {
  return templates.map((template) =>
    template.replace(TEMPLATE_PARAMETER, (_, name: string) => {
      // Own properties only: `{constructor}` must not find Object.prototype's.
      const value = Object.hasOwn(params, name) ? params[name] : undefined;
      if (value === undefined) {
        throw new Error(`cache tag template "${template}" needs the parameter "${name}"`);
      }
      return String(value);
    }),
  );
}
