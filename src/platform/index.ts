import type { Redis } from "ioredis";
import type { Config } from "../config";
import { type DatabaseHandle, openDatabase } from "./db";
import { awaitCurrentSchema, migrateDatabase } from "./db-migrate";
import type { Logger } from "./logger";
import { connectRedis, redisReady } from "./redis";

export interface Platform {
  database: DatabaseHandle;
  /** Absent on the embedded default; everything that uses it has an in-process fallback. */
  redis: Redis | undefined;
  close(): Promise<void>;
}

/**
 * Opens the database and Redis when configured. The database is migrated here unless the
 * deployment runs the migration job instead; then this waits until that job has brought the
 * schema up to date. The embedded database is always migrated here: it has one process.
 */
export async function openPlatform(
  config: Pick<Config, "database" | "redisUrl" | "redisKeyPrefix" | "migrateOnStart">,
  logger: Logger,
): Promise<Platform> {
  const database = await openDatabase({
    ...config.database,
    onError: (error) => logger.warn({ err: error }, "idle database connection failed"),
  });
  if (config.migrateOnStart || database.kind === "pglite") await migrateDatabase(database);
  else
    await awaitCurrentSchema(database, {
      onWait: () => logger.info("waiting for the migration job to bring the database schema up to date"),
    });
  const redis = config.redisUrl
    ? connectRedis(config.redisUrl, {
        keyPrefix: config.redisKeyPrefix,
        onError: (error) => logger.warn({ err: error.message }, "redis unavailable; falling back"),
      })
    : undefined;
  // Counters and sessions should start in Redis rather than in their fallbacks, if it answers soon.
  if (redis && !(await redisReady(redis)))
    logger.warn("redis not ready at start; fallbacks in use until it is");
  return {
    database,
    redis,
    async close() {
      await database.close();
      redis?.disconnect();
    },
  };
}
