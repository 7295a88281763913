import { afterEach, describe, expect, it } from "vitest";
import { responseCache } from "../../../src/platform/cache";
import { connectRedis } from "../../../src/platform/redis";
import { createTestApp, type TestApp } from "../../support/app";

describe("health probes", () => {
  let api: TestApp | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it("is alive and ready when the database and cache answer", async () => {
    api = await createTestApp({ seed: false });
    const live = await api.request("/health");
    expect(live.body).toMatchObject({ status: "ok", version: "0.1.0" });
    const ready = await api.request("/health/ready");
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe("ready");
    expect(ready.body.checks.database).toMatchObject({ status: "up", kind: api.database.kind });
    expect(ready.body.checks.cache).toMatchObject({ status: "up", kind: api.cache.kind });
  });

  it("is degraded, not down, when the cache is unreachable", async () => {
    api = await createTestApp({
      seed: false,
      cache: responseCache(connectRedis("redis://127.0.0.1:1", { commandTimeoutMs: 100 })),
    });
    const ready = await api.request("/health/ready");
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe("degraded");
    expect(ready.body.checks.cache).toMatchObject({ status: "down", kind: "redis" });
    expect(ready.body.checks.cache.error).toEqual(expect.any(String));
  });

  it("answers 503 naming the database when it is down", async () => {
    api = await createTestApp({ seed: false });
    await api.database.close();
    const ready = await api.requestExpectingServerError("/health/ready");
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ code: "not_ready", status: 503 });
    expect(ready.body.detail).toMatch(/^database is down/);
    expect(ready.body.checks.database.status).toBe("down");
    const live = await api.request("/health");
    expect(live.status).toBe(200);
  });
});
