import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { responseCache } from "../../../src/platform/cache";
import { connectRedis, redisReady } from "../../../src/platform/redis";
import { createTestApp, type TestApp } from "../../support/app";
import { signedInAdmin } from "../../support/auth";
import { metricValue, patchAnyVersion, publishedProduct } from "../../support/catalog";
import { type RedisProcess, startRedisProcess } from "../../support/redis-process";
import { startTcpProxy, type TcpProxy } from "../../support/tcp-proxy";

/** Short, so that the test sees the Redis tier without waiting five seconds each time. */
const MEMORY_LIFETIME_MS = 100;
const outlivesMemory = () => new Promise((resolve) => setTimeout(resolve, MEMORY_LIFETIME_MS + 50));

async function cacheErrors(api: TestApp, operationId: string): Promise<number> {
  const text = (await api.request("/metrics")).text as string;
  return metricValue(text, "http_cache_errors_total", `operationId="${operationId}",tier="redis"`);
}

async function appOn(url: string): Promise<{ api: TestApp; redis: Redis }> {
  const redis = connectRedis(url, { keyPrefix: `test:${randomUUID()}:`, commandTimeoutMs: 200 });
  await redisReady(redis);
  const api = await createTestApp({
    redis,
    cache: responseCache(redis, { memoryLifetimeMs: MEMORY_LIFETIME_MS }),
  });
  return { api, redis };
}

describe("the response cache when a real Redis stops and starts again", () => {
  let server: RedisProcess;
  let api: TestApp;
  let redis: Redis;
  let admin: Record<string, string>;

  beforeAll(async () => {
    server = await startRedisProcess();
    ({ api, redis } = await appOn(server.url));
    admin = await signedInAdmin(api);
  });
  afterAll(async () => {
    await api?.close();
    redis?.disconnect();
    await server?.stop();
  });

  it("answers every read from PostgreSQL meanwhile, and caches in Redis again by itself", async () => {
    const id = await publishedProduct(api, admin, undefined, 1200);
    const path = `/api/products/${id}`;
    expect((await api.request(path)).headers.get("x-cache")).toBe("MISS");
    await outlivesMemory();
    expect((await api.request(path)).headers.get("x-cache-tier")).toBe("redis");

    await server.stop();
    const errorsBefore = await cacheErrors(api, "listProducts");
    // `request` fails the test on any 5xx; these are all misses, each asking the stopped Redis.
    for (let limit = 1; limit <= 12; limit += 1) {
      const listed = await api.request(`/api/products?limit=${limit}`);
      expect(listed.status).toBe(200);
      expect(listed.headers.get("x-cache")).toBe("MISS");
    }
    const changed = await api.request(
      path,
      patchAnyVersion({ price: { amount: 1300, currency: "EUR" } }, admin),
    );
    expect(changed.status).toBe(200);
    const afterChange = await api.request(path);
    expect(afterChange.status).toBe(200);
    expect(afterChange.body.price.amount).toBe(1300);
    expect(await cacheErrors(api, "listProducts")).toBeGreaterThan(errorsBefore);

    await server.start();
    const deadline = Date.now() + 15_000;
    let tier: string | null = null;
    while (tier !== "redis" && Date.now() < deadline) {
      await api.request(path);
      await outlivesMemory();
      const again = await api.request(path);
      expect(again.body.price.amount).toBe(1300);
      tier = again.headers.get("x-cache-tier");
    }
    expect(tier).toBe("redis");
  });
});

describe("an invalidation made while Redis was unreachable", () => {
  let server: RedisProcess;
  let proxy: TcpProxy;
  let api: TestApp;
  let redis: Redis;

  beforeAll(async () => {
    server = await startRedisProcess();
    proxy = await startTcpProxy({ host: "127.0.0.1", port: server.port });
    ({ api, redis } = await appOn(`redis://127.0.0.1:${proxy.port}`));
  });
  afterAll(async () => {
    await api?.close();
    redis?.disconnect();
    await proxy?.close();
    await server?.stop();
  });

  it("reaches Redis before its old entry could be served again", async () => {
    const admin = await signedInAdmin(api);
    const id = await publishedProduct(api, admin, undefined, 1200);
    const path = `/api/products/${id}`;
    await api.request(path);
    await outlivesMemory();
    expect((await api.request(path)).headers.get("x-cache-tier")).toBe("redis");

    // Redis keeps the old entry; only this instance cannot reach it while the price changes.
    proxy.setMode("down");
    const changed = await api.request(
      path,
      patchAnyVersion({ price: { amount: 2100, currency: "EUR" } }, admin),
    );
    expect(changed.status).toBe(200);
    proxy.setMode("up");
    await redisReady(redis, 5_000);

    for (let attempt = 0; attempt < 20; attempt += 1) {
      await outlivesMemory();
      const seen = await api.request(path);
      expect(seen.body.price.amount).toBe(2100);
    }
  });
});
