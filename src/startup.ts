import { seedDemoAccounts } from "../db/seed/accounts.ts";
import { seedPlaceholderImages } from "../db/seed/images.ts";
import { isCatalogEmpty, seedCatalog } from "../db/seed/index.ts";
import { policies } from "../generated/server";
import type { Config } from "./config";
import { openPlatform, type Platform } from "./platform";
import { expandTagTemplates } from "./platform/cache";
import type { Logger } from "./platform/logger";
import { type ServiceConfig, type Services, startServices } from "./wiring";

/** Everything the app runs on, opened in order, closed in reverse. */
export interface Shop extends Omit<Services, "close">, Omit<Platform, "close"> {
  close(): Promise<void>;
}

/**
 * The start-up sequence: the database (migrated) and Redis, the services on them, then the seed
 * when asked for. The embedded default also gets the demo accounts the README names.
 */
export async function startShop(
  config: ServiceConfig &
    Pick<
      Config,
      "database" | "redisUrl" | "redisKeyPrefix" | "migrateOnStart" | "seedOnStart" | "seedPhotos"
    >,
  logger: Logger,
): Promise<Shop> {
  const platform = await openPlatform(config, logger);
  const { database } = platform;
  const progress = (message: string) => logger.info(`seed: ${message}`);
  const seeded = config.seedOnStart && (await isCatalogEmpty(database.db));
  if (seeded) await seedCatalog(database.db, progress);
  const services = startServices(config, database, platform.redis, logger);
  if (config.seedOnStart && database.kind === "pglite" && config.env !== "production") {
    await seedDemoAccounts(database.db, services.auth.auth, progress);
  }
  const stopDrawing = new AbortController();
  // The shop answers while the placeholder photos are drawn (a minute or so on first start);
  // products show theirs as each is stored. `npm run db:seed` finishes an interrupted run.
  const drawing =
    seeded && config.seedPhotos
      ? seedPlaceholderImages(database.db, services.catalog.images, {
          signal: stopDrawing.signal,
          // The same tags as an upload of a photo, from the contract.
          onStored: async (id) => {
            await services.cache.invalidate(
              expandTagTemplates(policies.uploadProductImage.invalidates, { id }),
            );
          },
          onProgress: progress,
        }).catch((error) => logger.warn({ err: error }, "seed: placeholder photos stopped"))
      : undefined;
  return {
    ...platform,
    ...services,
    async close() {
      stopDrawing.abort();
      await drawing;
      await services.close();
      await platform.close();
    },
  };
}
