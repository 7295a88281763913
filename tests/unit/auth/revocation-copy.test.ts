import { EventEmitter } from "node:events";
import type { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { redisRevocationCopy } from "../../../src/platform/auth/revocation-copy";

/** How often refused writes are retried (RETRY_EVERY_MS). */
const RETRY_EVERY_MS = 5_000;

/** Enough of ioredis for the copy: SET, EXISTS, pipelines, a status and the `ready` event. */
function fakeRedis() {
  const data = new Map<string, number>();
  let failing = false;
  const guard = () => {
    if (failing) throw new Error("Connection is closed.");
  };
  const client = Object.assign(new EventEmitter(), {
    status: "ready",
    async set(key: string, _value: string, _ex: "EX", seconds: number) {
      guard();
      data.set(key, seconds);
      return "OK";
    },
    async exists(key: string) {
      guard();
      return data.has(key) ? 1 : 0;
    },
    pipeline() {
      const queued: [string, number][] = [];
      const pipeline = {
        set(key: string, _value: string, _ex: "EX", seconds: number) {
          queued.push([key, seconds]);
          return pipeline;
        },
        async exec() {
          guard();
          for (const [key, seconds] of queued) data.set(key, seconds);
          return queued.map(() => [null, "OK"]);
        },
      };
      return pipeline;
    },
  });
  return {
    client: client as unknown as Redis & EventEmitter,
    data,
    fail(on: boolean) {
      failing = on;
    },
  };
}

describe("the Redis copy of the revocations", () => {
  let redis: ReturnType<typeof fakeRedis>;
  let errors: unknown[];
  let inForce: { sessionId: string; secondsLeft: number }[];
  let copy: ReturnType<typeof redisRevocationCopy>;

  beforeEach(() => {
    vi.useFakeTimers();
    redis = fakeRedis();
    errors = [];
    inForce = [];
    copy = redisRevocationCopy(
      redis.client,
      async () => inForce,
      (error) => errors.push(error),
    );
  });

  afterEach(() => {
    copy.stop();
    vi.useRealTimers();
  });

  it("retries a write Redis refused until it takes it, for the time that is left", async () => {
    redis.fail(true);
    await copy.add("session-1", 960);
    expect(errors).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(RETRY_EVERY_MS);
    expect(redis.data.has("revoked-session:session-1")).toBe(false);

    redis.fail(false);
    await vi.advanceTimersByTimeAsync(RETRY_EVERY_MS);
    const seconds = redis.data.get("revoked-session:session-1");
    expect(seconds).toBeGreaterThan(940);
    expect(seconds).toBeLessThanOrEqual(960);
  });

  it("fills Redis with the revocations in force each time the connection is ready again", async () => {
    inForce = [
      { sessionId: "session-1", secondsLeft: 300 },
      { sessionId: "session-2", secondsLeft: 12 },
    ];
    redis.client.emit("ready");
    await vi.waitFor(() => expect(redis.data.size).toBe(2));
    expect(Object.fromEntries(redis.data)).toEqual({
      "revoked-session:session-1": 300,
      "revoked-session:session-2": 12,
    });
  });

  it("fails a lookup when Redis fails, so that the caller asks PostgreSQL", async () => {
    await copy.add("session-1", 60);
    expect(await copy.has("session-1")).toBe(true);
    expect(await copy.has("session-2")).toBe(false);
    redis.fail(true);
    await expect(copy.has("session-1")).rejects.toThrow();
  });
});
