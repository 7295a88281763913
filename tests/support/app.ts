import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { seedCatalog } from "../../db/seed/index.ts";
import { type AppDependencies, buildApp } from "../../src/app";
import { loadConfig } from "../../src/config";
import type { AppEnv } from "../../src/http/env";
import { loadApiReferenceAssets } from "../../src/platform/api-reference";
import { type CacheStore, openCacheStore } from "../../src/platform/cache";
import { createLogger } from "../../src/platform/logger";
import { createMetrics } from "../../src/platform/metrics";
import { connectRedis } from "../../src/platform/redis";
import { assertMatchesContract, contract } from "./contract";
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
  cache: CacheStore;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  /** Sends a request through the whole app and checks the response against the contract. */
  request(path: string, init?: RequestInit): Promise<ApiResponse>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  seed?: boolean;
  env?: Record<string, string>;
  cache?: CacheStore;
}

/**
 * The real app on a database of its own: PGlite, or a fresh PostgreSQL database when
 * DATABASE_URL is set; Redis when REDIS_URL is set, otherwise the in-process cache.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  if (options.seed !== false) await seedCatalog(database.db);
  const config = loadConfig({ NODE_ENV: "test", ...options.env });
  const redis = process.env.REDIS_URL
    ? connectRedis(process.env.REDIS_URL, { keyPrefix: `test:${randomUUID()}:` })
    : undefined;
  const cache = options.cache ?? openCacheStore(redis);
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const deps: AppDependencies = {
    config,
    platform: { database, cache, redis },
    logger: createLogger("info", sink),
    metrics: createMetrics(),
    document: contract as unknown as AppDependencies["document"],
    reference: referenceAssets(),
    startedAt: performance.now(),
  };
  const app = buildApp(deps);
  return {
    app,
    database,
    cache,
    logs,
    async request(path, init) {
      const response = await app.request(path, init);
      const text = await response.text();
      assertMatchesContract(init?.method ?? "GET", path, response, text);
      const isJson = (response.headers.get("content-type") ?? "").includes("json");
      return {
        status: response.status,
        headers: response.headers,
        text,
        body: isJson && text ? JSON.parse(text) : undefined,
      };
    },
    async close() {
      await cache.close();
      redis?.disconnect();
      await database.cleanup();
    },
  };
}

let assets: ReturnType<typeof loadApiReferenceAssets> | undefined;
function referenceAssets() {
  assets ??= loadApiReferenceAssets();
  return assets;
}
