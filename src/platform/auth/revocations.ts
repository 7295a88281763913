import type { Redis } from "ioredis";
import { LRUCache } from "lru-cache";

/**
 * Sessions revoked while access tokens of theirs may still be alive. Kept in process (enough for
 * one instance) and in Redis when there is one, so that every instance refuses them; a Redis
 * failure leaves the local record in force.
 */
export interface SessionRevocations {
  revoke(sessionId: string, forSeconds: number): Promise<void>;
  isRevoked(sessionId: string): Promise<boolean>;
}

export function createSessionRevocations(
  redis: Redis | undefined,
  onError: (error: unknown) => void,
): SessionRevocations {
  const local = new LRUCache<string, true>({ max: 100_000, ttlAutopurge: true });
  const key = (sessionId: string) => `revoked-session:${sessionId}`;
  return {
    async revoke(sessionId, forSeconds) {
      local.set(sessionId, true, { ttl: forSeconds * 1000 });
      try {
        await redis?.set(key(sessionId), "1", "EX", forSeconds);
      } catch (error) {
        onError(error);
      }
    },
    async isRevoked(sessionId) {
      if (local.has(sessionId)) return true;
      if (!redis) return false;
      try {
        return (await redis.exists(key(sessionId))) === 1;
      } catch (error) {
        onError(error);
        return false;
      }
    },
  };
}
