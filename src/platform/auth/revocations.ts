import type { Redis } from "ioredis";
import { LRUCache } from "lru-cache";
import type { Db } from "../db";
import { type RedisRevocationCopy, redisRevocationCopy } from "./revocation-copy";
import { type RevocationRecords, revocationRecords } from "./revocation-records";

/**
 * Sessions revoked while access tokens of theirs may still be alive, checked on every Bearer
 * request. PostgreSQL is the authority (a revocation survives a restart); each process holds the
 * revocations in force in memory, loaded at start and then polled, so that the check reads no
 * database; Redis, when there is one, carries a revocation to every instance at once.
 */
export interface SessionRevocations {
  revoke(sessionId: string, forSeconds: number): Promise<void>;
  isRevoked(sessionId: string): Promise<boolean>;
  stop(): void;
}

export interface SessionRevocationOptions {
  db: Db;
  redis: Redis | undefined;
  onRedisError(error: unknown): void;
  onDatabaseError(error: unknown): void;
  /**
   * How often the revocations recorded since the last read are read from PostgreSQL. Without
   * Redis, this is how late another instance learns of a sign-out here.
   */
  pollEveryMs?: number;
  /** Revocations kept in memory; past this, a miss without Redis is checked in PostgreSQL. */
  maxInMemory?: number;
}

/** Polls look back this far before the newest revocation seen, for rows that committed late. */
const POLL_OVERLAP_MS = 10_000;
const DELETE_EXPIRED_EVERY_MS = 10 * 60_000;

export function createSessionRevocations(options: SessionRevocationOptions): SessionRevocations {
  const { redis, onDatabaseError } = options;
  const records: RevocationRecords = revocationRecords(options.db);
  /** Whether memory holds every revocation in force; an eviction (a flood of them) ends that. */
  let complete = true;
  const inMemory = new LRUCache<string, true>({
    max: options.maxInMemory ?? 100_000,
    ttlAutopurge: true,
    dispose: (_value, _key, reason) => {
      if (reason === "evict") complete = false;
    },
  });
  const copy: RedisRevocationCopy | undefined = redis
    ? redisRevocationCopy(redis, () => records.inForce(), options.onRedisError)
    : undefined;

  /** Revocations PostgreSQL refused (it failed just after deleting the session): retried. */
  const unrecorded = new Map<string, number>();
  let newestSeen: Date | undefined;
  let loaded = false;
  let lastDeletion = Date.now();

  async function poll(): Promise<void> {
    const since = newestSeen && new Date(newestSeen.getTime() - POLL_OVERLAP_MS);
    for (const row of await records.inForce(since)) {
      inMemory.set(row.sessionId, true, { ttl: row.secondsLeft * 1000 });
      if (!newestSeen || row.revokedAt > newestSeen) newestSeen = row.revokedAt;
    }
    loaded = true;
  }

  async function recordUnrecorded(): Promise<void> {
    for (const [sessionId, endsAt] of unrecorded) {
      const seconds = Math.ceil((endsAt - Date.now()) / 1000);
      if (seconds > 0) await records.record(sessionId, seconds);
      unrecorded.delete(sessionId);
    }
  }

  let running: Promise<void> | undefined;
  function maintain(): Promise<void> {
    running ??= (async () => {
      try {
        await recordUnrecorded();
        await poll();
        if (Date.now() - lastDeletion >= DELETE_EXPIRED_EVERY_MS) {
          await records.deleteExpired();
          lastDeletion = Date.now();
        }
      } catch (error) {
        onDatabaseError(error);
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  const firstLoad = maintain();
  const timer = setInterval(() => void maintain(), options.pollEveryMs ?? 5_000);
  timer.unref();

  return {
    async revoke(sessionId, forSeconds) {
      inMemory.set(sessionId, true, { ttl: forSeconds * 1000 });
      await Promise.all([
        records.record(sessionId, forSeconds).catch((error: unknown) => {
          unrecorded.set(sessionId, Date.now() + forSeconds * 1000);
          onDatabaseError(error);
        }),
        copy?.add(sessionId, forSeconds),
      ]);
    },

    async isRevoked(sessionId) {
      if (inMemory.has(sessionId)) return true;
      if (!loaded) {
        await firstLoad;
        if (inMemory.has(sessionId)) return true;
      }
      if (copy) {
        try {
          return await copy.has(sessionId);
        } catch (error) {
          // A revocation made elsewhere while Redis was down is in PostgreSQL alone.
          options.onRedisError(error);
          return records.isRevoked(sessionId);
        }
      }
      // Memory is the whole answer only when it was loaded and nothing was evicted since.
      return loaded && complete ? false : records.isRevoked(sessionId);
    },

    stop() {
      clearInterval(timer);
      copy?.stop();
    },
  };
}
