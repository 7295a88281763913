import { count } from "drizzle-orm";
import { categories } from "../../db/schema/index.ts";
import { seedCatalog } from "../../db/seed/index.ts";
import type { Config } from "../config";
import { type CacheStore, openCacheStore } from "./cache";
import { type DatabaseHandle, openDatabase } from "./db";
import { migrateDatabase } from "./db-migrate";
import type { Logger } from "./logger";

export interface Platform {
  database: DatabaseHandle;
  cache: CacheStore;
  close(): Promise<void>;
}

/** Opens the database (migrated, seeded when empty) and the cache the configuration names. */
export async function openPlatform(
  config: Pick<Config, "database" | "redisUrl" | "seedOnStart">,
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
  const cache = openCacheStore(config.redisUrl, (error) =>
    logger.warn({ err: error.message }, "cache unavailable"),
  );
  return {
    database,
    cache,
    async close() {
      await Promise.allSettled([cache.close(), database.close()]);
    },
  };
}

/** Seeding only an empty catalog keeps a restart from undoing what staff changed. */
async function isCatalogEmpty(database: DatabaseHandle): Promise<boolean> {
  const [row] = await database.db.select({ value: count() }).from(categories);
  return (row?.value ?? 0) === 0;
}
