import { randomBytes, randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRedis, redisReady } from "../../../src/platform/redis";
import { createTestApp, type TestApp } from "../../support/app";
import { signedInAdmin } from "../../support/auth";
import { patchAnyVersion, publishedProduct } from "../../support/catalog";

// Instances share a Redis here; the embedded run has none, so this needs REDIS_URL.
const REDIS_URL = process.env.REDIS_URL;

describe.skipIf(!REDIS_URL)("three instances sharing one Redis and one database", () => {
  const env = { AUTH_SECRET: randomBytes(32).toString("hex") };
  const prefix = `test:${randomUUID()}:`;
  const clients: Redis[] = [];
  let a: TestApp;
  let b: TestApp;
  let c: TestApp;
  let admin: Record<string, string>;
  let productId: number;

  async function instance(database?: TestApp["database"]): Promise<TestApp> {
    const redis = connectRedis(REDIS_URL as string, { keyPrefix: prefix });
    clients.push(redis);
    await redisReady(redis);
    return createTestApp({ env, redis, ...(database && { database }) });
  }

  beforeAll(async () => {
    a = await instance();
    b = await instance(a.database);
    c = await instance(a.database);
    admin = await signedInAdmin(a);
    productId = await publishedProduct(a, admin, "Shared Cache Sheep", 1500);
  });
  afterAll(async () => {
    await c?.close();
    await b?.close();
    await a?.close();
    for (const client of clients) client.disconnect();
  });

  it("serves another instance's entry from Redis, then from its own memory", async () => {
    const path = `/api/products/${productId}`;
    const first = await b.request(path);
    expect(first.headers.get("x-cache")).toBe("MISS");
    const fromRedis = await c.request(path);
    expect([fromRedis.headers.get("x-cache"), fromRedis.headers.get("x-cache-tier")]).toEqual([
      "HIT",
      "redis",
    ]);
    expect(fromRedis.text).toBe(first.text);
    const fromMemory = await c.request(path);
    expect([fromMemory.headers.get("x-cache"), fromMemory.headers.get("x-cache-tier")]).toEqual([
      "HIT",
      "memory",
    ]);
  });

  it("never serves the old price on B or C once the change has returned on A", async () => {
    const detail = `/api/products/${productId}`;
    const list = "/api/products?limit=100&sort=newest";
    for (let round = 1; round <= 5; round += 1) {
      // Both instances hold the current answer in memory before each change.
      for (const reader of [b, c]) {
        await reader.request(detail);
        await reader.request(list);
        expect((await reader.request(detail)).headers.get("x-cache")).toBe("HIT");
      }
      const amount = 1500 + round * 100;
      const changed = await a.request(detail, patchAnyVersion({ price: { amount, currency: "EUR" } }, admin));
      expect(changed.status).toBe(200);
      for (const reader of [b, c]) {
        const seen = await reader.request(detail);
        expect(seen.body.price.amount).toBe(amount);
        // Its own copy was dropped: computed afresh, or the copy another instance just stored.
        expect(seen.headers.get("x-cache-tier")).not.toBe("memory");
        const listed = await reader.request(list);
        const entry = listed.body.data.find((product: { id: number }) => product.id === productId);
        expect(entry.price.amount).toBe(amount);
      }
    }
  });
});
