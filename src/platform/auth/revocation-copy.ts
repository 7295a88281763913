import type { Redis } from "ioredis";
import type { RevocationInForce } from "./revocation-records";

const RETRY_EVERY_MS = 5_000;
/** Revocations written to Redis per round trip when it is refilled. */
const BATCH = 500;

const key = (sessionId: string) => `revoked-session:${sessionId}`;

/**
 * The copy of the revocations in Redis, which every instance reads. Redis keeps nothing on disk
 * here, so whenever the connection becomes ready (the first time, and after Redis restarted or
 * came back) the copy is refilled from PostgreSQL; a write that fails is retried until Redis
 * takes it. `has` rejects when Redis does: the caller asks PostgreSQL instead.
 */
export function redisRevocationCopy(
  redis: Redis,
  inForce: () => Promise<Pick<RevocationInForce, "sessionId" | "secondsLeft">[]>,
  onError: (error: unknown) => void,
) {
  /** Writes Redis refused: session id → when the revocation ends (ms since the epoch, this clock). */
  const pending = new Map<string, number>();

  async function write(entries: { sessionId: string; seconds: number }[]): Promise<void> {
    for (let start = 0; start < entries.length; start += BATCH) {
      const pipeline = redis.pipeline();
      for (const entry of entries.slice(start, start + BATCH)) {
        pipeline.set(key(entry.sessionId), "1", "EX", Math.max(1, Math.ceil(entry.seconds)));
      }
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error);
      if (failed) throw failed[0];
    }
  }

  async function refill(): Promise<void> {
    try {
      const rows = await inForce();
      await write(rows.map((row) => ({ sessionId: row.sessionId, seconds: row.secondsLeft })));
    } catch (error) {
      // The next `ready` refills again; until then a miss in Redis may be wrong only for
      // revocations made elsewhere in the last moments, which PostgreSQL and the polls still hold.
      onError(error);
    }
  }

  async function retryPending(): Promise<void> {
    if (pending.size === 0 || redis.status !== "ready") return;
    const now = Date.now();
    const entries = [...pending].map(([sessionId, endsAt]) => ({
      sessionId,
      seconds: (endsAt - now) / 1000,
    }));
    try {
      await write(entries.filter((entry) => entry.seconds > 0));
      for (const entry of entries) pending.delete(entry.sessionId);
    } catch (error) {
      onError(error);
    }
  }

  const onReady = () => void refill();
  redis.on("ready", onReady);
  if (redis.status === "ready") void refill();
  const retry = setInterval(() => void retryPending(), RETRY_EVERY_MS);
  retry.unref();

  return {
    async add(sessionId: string, forSeconds: number): Promise<void> {
      try {
        await redis.set(key(sessionId), "1", "EX", forSeconds);
      } catch (error) {
        pending.set(sessionId, Date.now() + forSeconds * 1000);
        onError(error);
      }
    },
    async has(sessionId: string): Promise<boolean> {
      return (await redis.exists(key(sessionId))) === 1;
    },
    stop(): void {
      clearInterval(retry);
      redis.off("ready", onReady);
    },
  };
}

export type RedisRevocationCopy = ReturnType<typeof redisRevocationCopy>;
