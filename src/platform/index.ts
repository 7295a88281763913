import { count } from "drizzle-orm";
import type { Redis } from "ioredis";
import { categories } from "../../db/schema/index.ts";
import { seedDemoAccounts } from "../../db/seed/accounts.ts";
import { seedPlaceholderImages } from "../../db/seed/images.ts";
import { seedCatalog } from "../../db/seed/index.ts";
import type { Config } from "../config";
import { type DatabaseHandle, openDatabase } from "./db";
import { migrateDatabase } from "./db-migrate";
import type { Logger } from "./logger";
import { connectRedis, redisReady } from "./redis";
import { type ServiceConfig, type Services, startServices } from "./services";

export interface Platform extends Omit<Services, "close"> {
  database: DatabaseHandle;
  /** Absent on the embedded default; everything that uses it has an in-process fallback. */
  redis: Redis | undefined;
  close(): Promise<void>;
}

/**
 * Opens the database (migrated, seeded when empty), Redis when configured, and the services on
 * them. The embedded default also gets the demo accounts the README names.
 */
export async function openPlatform(
  config: ServiceConfig &
    Pick<Config, "database" | "redisUrl" | "redisKeyPrefix" | "seedOnStart" | "seedPhotos">,
  logger: Logger,
): Promise<Platform> {
  const database = await openDatabase({
    ...config.database,
    onError: (error) => logger.warn({ err: error }, "idle database connection failed"),
  });
  await migrateDatabase(database);
  const seeded = config.seedOnStart && (await isCatalogEmpty(database));
  if (seeded) await seedCatalog(database.db, (message) => logger.info(`seed: ${message}`));
  const redis = config.redisUrl
    ? connectRedis(config.redisUrl, {
        keyPrefix: config.redisKeyPrefix,
        onError: (error) => logger.warn({ err: error.message }, "redis unavailable; falling back"),
      })
    : undefined;
  // Counters and sessions should start in Redis rather than in their fallbacks, if it answers soon.
  if (redis && !(await redisReady(redis)))
    logger.warn("redis not ready at start; fallbacks in use until it is");
  const services = startServices(config, database, redis, logger);
  if (config.seedOnStart && database.kind === "pglite" && config.env !== "production") {
    await seedDemoAccounts(database.db, services.auth.auth, (message) => logger.info(`seed: ${message}`));
  }
  const stopDrawing = new AbortController();
  // The shop answers while the placeholder photos are drawn (a minute or so on first start);
  // products show theirs as each is stored. `npm run db:seed` finishes an interrupted run.
  const drawing =
    seeded && config.seedPhotos
      ? seedPlaceholderImages(database.db, services.catalog.images, {
          signal: stopDrawing.signal,
          onProgress: (message) => logger.info(`seed: ${message}`),
        }).catch((error) => logger.warn({ err: error }, "seed: placeholder photos stopped"))
      : undefined;
  return {
    ...services,
    database,
    redis,
    async close() {
      stopDrawing.abort();
      await drawing;
      await services.close();
      await database.close();
      redis?.disconnect();
    },
  };
}

/** Seeding only an empty catalog keeps a restart from undoing what staff changed. */
async function isCatalogEmpty(database: DatabaseHandle): Promise<boolean> {
  const [row] = await database.db.select({ value: count() }).from(categories);
  return (row?.value ?? 0) === 0;
}
