import { randomUUID } from "node:crypto";
import { once } from "node:events";
import fc from "fast-check";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  boundedKey,
  createMemoryRateLimiter,
  createRedisRateLimiter,
  openRateLimiter,
  type RateLimiter,
  type RateLimitResult,
  withFallback,
} from "../../../src/platform/rate-limit";
import { connectRedis } from "../../../src/platform/redis";

const REDIS_URL = process.env.REDIS_URL;

/** Counts the commands a connection sends (a real Redis still answers them) until `stop`. */
function countCommands(redis: Redis): { count(): number; stop(): void } {
  let commands = 0;
  const sendCommand = redis.sendCommand.bind(redis);
  redis.sendCommand = ((...args: Parameters<typeof sendCommand>) => {
    commands++;
    return sendCommand(...args);
  }) as typeof redis.sendCommand;
  return {
    count: () => commands,
    stop: () => {
      redis.sendCommand = sendCommand;
    },
  };
}

/** connectRedis fails fast instead of queueing, so a fresh connection must be ready before use. */
async function ready(redis: Redis): Promise<Redis> {
  if (redis.status !== "ready") await once(redis, "ready");
  return redis;
}

describe("keys", () => {
  it("keeps short plain keys readable", () => {
    expect(boundedKey("general:ip:203.0.113.7")).toBe("general:ip:203.0.113.7");
    expect(boundedKey("signIn:ip:2001:db8::/64")).toBe("signIn:ip:2001:db8::/64");
  });

  it("replaces long or unusual keys by a fixed-length digest", () => {
    const long = boundedKey(`signIn:email:${"a".repeat(100_000)}@example.com`);
    expect(long).toMatch(/^h:[A-Za-z0-9_-]{22}$/);
    expect(boundedKey("x\r\nSET evil 1")).toMatch(/^h:[A-Za-z0-9_-]{22}$/);
    expect(boundedKey("a b")).not.toBe(boundedKey("a  b"));
    expect(boundedKey("")).toMatch(/^h:/);
  });
});

describe("withFallback", () => {
  const failing: RateLimiter = {
    kind: "redis",
    hit: () => Promise.reject(new Error("redis down")),
  };

  it("answers from the fallback, reports the failure once per period, and retries the primary later", async () => {
    let now = 0;
    let primaryCalls = 0;
    const primary: RateLimiter = {
      kind: "redis",
      hit: (...args) => {
        primaryCalls++;
        return failing.hit(...args);
      },
    };
    const errors: unknown[] = [];
    const limiter = withFallback(
      primary,
      createMemoryRateLimiter({ now: () => now }),
      (e) => errors.push(e),
      {
        retryPrimaryAfterMs: 5_000,
        now: () => now,
      },
    );
    const results: RateLimitResult[] = [];
    for (let i = 0; i < 6; i++) results.push(await limiter.hit("k", 5, 60));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, true, true, false]);
    expect(primaryCalls).toBe(1);
    expect(errors).toHaveLength(1);
    now = 5_000;
    await limiter.hit("k", 5, 60);
    expect(primaryCalls).toBe(2);
    expect(errors).toHaveLength(2);
  });

  it("does not wait for a primary that hangs", async () => {
    const hanging: RateLimiter = { kind: "redis", hit: () => new Promise(() => {}) };
    const limiter = withFallback(hanging, createMemoryRateLimiter(), () => {}, { timeoutMs: 50 });
    const started = performance.now();
    expect(await limiter.hit("k", 5, 60)).toMatchObject({ allowed: true, remaining: 4 });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("survives a reporter that throws", async () => {
    const limiter = withFallback(failing, createMemoryRateLimiter(), () => {
      throw new Error("logger broke");
    });
    expect((await limiter.hit("k", 5, 60)).allowed).toBe(true);
  });

  // How long a request waits is measured in bench/, not asserted here; what keeps it short is that
  // Redis is asked once, and the requests after it go straight to the in-process counters.
  it("falls back when Redis is unreachable, asking Redis once rather than on every request", async () => {
    const redis = connectRedis("redis://127.0.0.1:1", { onError: () => {} });
    try {
      const errors: unknown[] = [];
      const limiter = openRateLimiter(redis, (error) => errors.push(error));
      expect(limiter.kind).toBe("redis-with-fallback");
      const results: RateLimitResult[] = [];
      for (let i = 0; i < 4; i++) results.push(await limiter.hit("k", 3, 60));
      expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
      expect(errors.length).toBe(1);
    } finally {
      redis.disconnect();
    }
  });

  it("is the in-process limiter alone when no Redis is configured", () => {
    expect(openRateLimiter(undefined).kind).toBe("memory");
  });
});

describe.skipIf(!REDIS_URL)("Redis limiter (REDIS_URL)", () => {
  let redis: Redis;
  let prefix: string;
  beforeAll(async () => {
    prefix = `test:${randomUUID()}:`;
    redis = await ready(connectRedis(REDIS_URL as string, { keyPrefix: prefix }));
  });
  afterAll(async () => {
    // keyPrefix does not apply to SCAN patterns; clean up with the full names.
    const plain = await ready(connectRedis(REDIS_URL as string));
    const keys = await plain.keys(`${prefix}*`);
    if (keys.length > 0) await plain.del(...keys);
    plain.disconnect();
    redis.disconnect();
  });

  it("agrees with the in-process limiter, hit for hit, on the same clock", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            advanceMs: fc.integer({ min: 0, max: 20_000 }),
            key: fc.constantFrom("a", "b", "x@example.com"),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom(10, 60),
        async (hits, limit, windowSeconds) => {
          let now = 1_800_000_000_000;
          const run = randomUUID();
          const redisLimiter = createRedisRateLimiter(redis, { prefix: `rl:${run}:`, now: () => now });
          const memoryLimiter = createMemoryRateLimiter({ now: () => now });
          for (const hit of hits) {
            now += hit.advanceMs;
            const fromRedis = await redisLimiter.hit(hit.key, limit, windowSeconds);
            const fromMemory = await memoryLimiter.hit(hit.key, limit, windowSeconds);
            expect(fromRedis).toEqual(fromMemory);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it("uses the Redis server's clock by default", async () => {
    const limiter = createRedisRateLimiter(redis, { prefix: `rl:${randomUUID()}:` });
    const results: RateLimitResult[] = [];
    for (let i = 0; i < 4; i++) results.push(await limiter.hit("k", 3, 60));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[3]?.retryAfterSeconds).toBeGreaterThan(0);
    expect(results[3]?.retryAfterSeconds).toBeLessThanOrEqual(120);
  });

  it("shares counters between instances on the same prefix", async () => {
    const other = await ready(connectRedis(REDIS_URL as string, { keyPrefix: prefix }));
    try {
      const one = createRedisRateLimiter(redis, { prefix: "shared:" });
      const two = createRedisRateLimiter(other, { prefix: "shared:" });
      const allowed = [];
      for (let i = 0; i < 3; i++) allowed.push((await one.hit("k", 5, 60)).allowed);
      for (let i = 0; i < 3; i++) allowed.push((await two.hit("k", 5, 60)).allowed);
      expect(allowed).toEqual([true, true, true, true, true, false]);
    } finally {
      other.disconnect();
    }
  });

  it("decides concurrent hits on one counter together, exactly, across instances", async () => {
    const other = await ready(connectRedis(REDIS_URL as string, { keyPrefix: prefix }));
    const run = `rl:${randomUUID()}:`;
    const sent = countCommands(redis);
    try {
      const one = createRedisRateLimiter(redis, { prefix: run });
      const two = createRedisRateLimiter(other, { prefix: run });
      const hits = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? two : one).hit("k", 25, 60));
      const results = await Promise.all(hits);
      // Never more than the limit, whichever instance counted: Redis decided every hit.
      expect(results.filter((result) => result.allowed)).toHaveLength(25);
      // Each admitted hit saw the counter just after itself: every remaining value once.
      const remaining = results.filter((result) => result.allowed).map((result) => result.remaining);
      expect(remaining.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
      for (const refused of results.filter((result) => !result.allowed)) {
        expect(refused).toMatchObject({ remaining: 0, retryAfterSeconds: expect.any(Number) });
      }
      // 40 hits on this connection, decided by far fewer commands than hits.
      expect(sent.count()).toBeGreaterThan(0);
      expect(sent.count()).toBeLessThan(10);
    } finally {
      sent.stop();
      other.disconnect();
    }
  });

  it("lets a busy counter admit from a lease, never past the limit across instances", async () => {
    const other = await ready(connectRedis(REDIS_URL as string, { keyPrefix: prefix }));
    const run = `rl:${randomUUID()}:`;
    const sent = countCommands(redis);
    try {
      const instances = [
        createRedisRateLimiter(redis, { prefix: run }),
        createRedisRateLimiter(other, { prefix: run }),
      ];
      const limit = 2048;
      let allowed = 0;
      let local = 0;
      // Bursts of concurrent requests, as a busy client sends them, spread over both instances.
      for (let burst = 0; burst < 125; burst++) {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => {
            const limiter = instances[i % 2] as RateLimiter;
            const onTheSpot = limiter.admitLocally?.("busy", limit, 60);
            if (onTheSpot) local++;
            return onTheSpot ?? limiter.hit("busy", limit, 60);
          }),
        );
        allowed += results.filter((result) => result.allowed).length;
      }
      // 2,500 requests against a limit of 2,048: never more; fewer only by what leases still hold.
      expect(allowed).toBeLessThanOrEqual(limit);
      expect(allowed).toBeGreaterThanOrEqual(limit - 2 * (limit / 64));
      // Below half the limit most requests did not wait for Redis; from there on, every one did.
      expect(local).toBeGreaterThan(100);
      expect(local).toBeLessThanOrEqual(limit / 2);
      expect(sent.count()).toBeLessThan(allowed);
    } finally {
      sent.stop();
      other.disconnect();
    }
  });

  it("leases nothing on a small limit: Redis decides each request of it", async () => {
    const limiter = createRedisRateLimiter(redis, { prefix: `rl:${randomUUID()}:` });
    let local = 0;
    let allowed = 0;
    for (let burst = 0; burst < 10; burst++) {
      const results = await Promise.all(
        Array.from({ length: 20 }, () => {
          const onTheSpot = limiter.admitLocally?.("small", 100, 60);
          if (onTheSpot) local++;
          return onTheSpot ?? limiter.hit("small", 100, 60);
        }),
      );
      allowed += results.filter((result) => result.allowed).length;
    }
    expect(local).toBe(0);
    expect(allowed).toBe(100);
  });

  it("stores one small, expiring hash per key, whatever the client chose as key", async () => {
    const run = `rl:${randomUUID()}:`;
    const limiter = createRedisRateLimiter(redis, { prefix: run });
    const email = `${"v".repeat(50_000)}@example.com`;
    for (let i = 0; i < 50; i++) await limiter.hit(`signIn:email:${email}`, 100, 60);
    const plain = await ready(connectRedis(REDIS_URL as string));
    try {
      const keys = await plain.keys(`${prefix}${run}*`);
      expect(keys).toHaveLength(1);
      const key = keys[0] as string;
      expect(key.length).toBeLessThan(prefix.length + run.length + 30);
      expect(await plain.type(key)).toBe("hash");
      expect(await plain.hlen(key)).toBe(3);
      const ttl = await plain.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(120_000);
    } finally {
      plain.disconnect();
    }
  });
});
