import { count } from "drizzle-orm";
import type { Redis } from "ioredis";
import { categories } from "../../db/schema/index.ts";
import { seedCatalog } from "../../db/seed/index.ts";
import type { Config } from "../config";
import { type CacheStore, openCacheStore } from "./cache";
import { type DatabaseHandle, openDatabase } from "./db";
import { migrateDatabase } from "./db-migrate";
import type { Logger } from "./logger";
import { connectRedis } from "./redis";

export interface Platform {
  database: DatabaseHandle;
  /** Absent on the embedded default; everything that uses it has an in-process fallback. */
  redis: Redis | undefined;
  cache: CacheStore;
  close(): Promise<void>;
}

/** Opens the database (migrated, seeded when empty) and the cache the configuration names. */
export async function openPlatform(
  config: Pick<Config, "database" | "redisUrl" | "redisKeyPrefix" | "seedOnStart">,
  logger: Logger,
): Promise<Platform> {
  const database = await openDatabase({
    ...config.database,
    onError: (error) => logger.warn({ err: error }, "idle database connection failed"),
  });
  await migrateDatabase(database);
  if (config.seedOnStart && (await isCatalogEmpty(database))) {
    await seedCatalog(database.db, (message) => logger.info(`seed: ${message}`));
  }
  const redis = config.redisUrl
    ? connectRedis(config.redisUrl, {
        keyPrefix: config.redisKeyPrefix,
        onError: (error) => logger.warn({ err: error.message }, "redis unavailable; falling back"),
      })
    : undefined;
  const cache = openCacheStore(redis);
  return {
    database,
    redis,
    cache,
    async close() {
      await Promise.allSettled([cache.close(), database.close()]);
      redis?.disconnect();
    },
  };
}

/** Seeding only an empty catalog keeps a restart from undoing what staff changed. */
async function isCatalogEmpty(database: DatabaseHandle): Promise<boolean> {
  const [row] = await database.db.select({ value: count() }).from(categories);
  return (row?.value ?? 0) === 0;
}
