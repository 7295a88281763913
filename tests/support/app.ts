import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Redis } from "ioredis";
import { seedCatalog } from "../../db/seed/index.ts";
import { type AppDependencies, buildApp } from "../../src/app";
import { loadConfig } from "../../src/config";
import type { AppEnv } from "../../src/http/env";
import { loadApiReferenceAssets } from "../../src/platform/api-reference";
import type { ResponseCache } from "../../src/platform/cache";
import { createLogger } from "../../src/platform/logger";
import { createMetrics } from "../../src/platform/metrics";
import { connectRedis, redisReady } from "../../src/platform/redis";
import { type Services, startServices } from "../../src/wiring";
import { assertMatchesContract, type ContractCheckOptions, contract } from "./contract";
import { createTestDatabase, type TestDatabase } from "./database";

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body when it is JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: the contract check has validated the shape already; tests read it freely.
  body: any;
}

export interface TestApp {
  app: OpenAPIHono<AppEnv>;
  database: TestDatabase;
  cache: ResponseCache;
  services: Services;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  /**
   * Sends a request through the whole app and checks the response against the contract. It comes
   * from `from.ip`, or from a fresh address each time (many clients), as Bun.serve would report it.
   */
  request(path: string, init?: RequestInit, from?: { ip: string }): Promise<ApiResponse>;
  /**
   * As `request`, for a test that provokes a server failure: the response must be a 5xx, which
   * `request` refuses whatever the contract declares.
   */
  requestExpectingServerError(path: string, init?: RequestInit, from?: { ip: string }): Promise<ApiResponse>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /**
   * What the database starts with: the category tree (the default, `true`), the whole seed
   * catalog with its 290 products (`"catalog"`), or nothing (`false`).
   */
  seed?: boolean | "catalog";
  env?: Record<string, string>;
  cache?: ResponseCache;
  /**
   * The Redis client to use instead of one for REDIS_URL (say, one pointed at a dead port or
   * through a proxy the test breaks); `null` for none. The test disconnects it itself.
   */
  redis?: Redis | null;
  /**
   * A database to run on instead of a fresh one: another app's, as a restart (or a second
   * instance) would find it. The caller cleans it up; pass the same AUTH_SECRET in `env`.
   */
  database?: TestDatabase;
}

/**
 * The real app on a database of its own: PGlite, or a fresh PostgreSQL database when
 * DATABASE_URL is set; Redis when REDIS_URL is set, otherwise the in-process cache.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const ownDatabase = options.database === undefined;
  const database = options.database ?? (await createTestDatabase());
  if (ownDatabase && options.seed !== false) {
    await seedCatalog(database.db, undefined, { products: options.seed === "catalog" });
  }
  const dataDir = await mkdtemp(join(tmpdir(), "jc-test-app-"));
  const config = loadConfig({
    NODE_ENV: "test",
    DATA_DIR: dataDir,
    AUTH_SECRET: randomBytes(32).toString("hex"),
    ...options.env,
  });
  const ownRedis = options.redis === undefined;
  const redis = !ownRedis
    ? (options.redis ?? undefined)
    : process.env.REDIS_URL
      ? connectRedis(process.env.REDIS_URL, { keyPrefix: `test:${randomUUID()}:` })
      : undefined;
  // As the server does: counters and sessions start in Redis, not in their fallbacks.
  if (redis && options.redis === undefined) await redisReady(redis);
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const logger = createLogger("debug", sink);
  const services = startServices(config, database, redis, logger);
  const cache = options.cache ?? services.cache;
  const deps: AppDependencies = {
    config,
    platform: {
      database,
      cache,
      redis,
      auth: services.auth,
      authSecret: services.authSecret,
      accounts: services.accounts,
      rateLimiter: services.rateLimiter,
      catalog: services.catalog,
      payments: services.payments,
      idempotency: services.idempotency,
      outbox: services.outbox,
    },
    logger,
    metrics: createMetrics(),
    document: contract as unknown as AppDependencies["document"],
    reference: referenceAssets,
    startedAt: performance.now(),
  };
  const app = buildApp(deps);
  async function send(
    path: string,
    init: RequestInit | undefined,
    from: { ip: string } | undefined,
    check: ContractCheckOptions,
  ): Promise<ApiResponse> {
    const address = from?.ip ?? `198.51.100.${Math.floor(Math.random() * 254) + 1}`;
    const response = await app.request(path, init, {
      requestIP: () => ({ address, family: "IPv4", port: 50000 }),
    });
    const text = await response.text();
    assertMatchesContract(init?.method ?? "GET", path, response, text, check);
    const isJson = (response.headers.get("content-type") ?? "").includes("json");
    return {
      status: response.status,
      headers: response.headers,
      text,
      body: isJson && text ? JSON.parse(text) : undefined,
    };
  }
  return {
    app,
    database,
    cache,
    services,
    logs,
    request: (path, init, from) => send(path, init, from, {}),
    requestExpectingServerError: (path, init, from) => send(path, init, from, { expectServerError: true }),
    async close() {
      await cache.close();
      await services.close();
      if (ownRedis) redis?.disconnect();
      if (ownDatabase) await database.cleanup();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

let assets: ReturnType<typeof loadApiReferenceAssets> | undefined;
function referenceAssets() {
  assets ??= loadApiReferenceAssets();
  return assets;
}
