import { join } from "node:path";
import type { Redis } from "ioredis";
import type { Config } from "../config";
import { type AuthPlatform, openAuth } from "./auth";
import { authSecret } from "./auth/secret";
import { type CacheStore, openCacheStore } from "./cache";
import { type CatalogServices, openCatalogServices } from "./catalog";
import type { DatabaseHandle } from "./db";
import type { Logger } from "./logger";
import { createMailer, type Mailer } from "./mailer";
import { type OutboxWorker, startOutboxWorker } from "./outbox";
import { openRateLimiter, type RateLimiter } from "./rate-limit";

export type ServiceConfig = Pick<
  Config,
  "env" | "publicUrl" | "dataDir" | "smtpUrl" | "mailFrom" | "authSecret" | "authKeyRotationSeconds"
>;

export interface Services {
  cache: CacheStore;
  mailer: Mailer;
  outbox: OutboxWorker;
  auth: AuthPlatform;
  rateLimiter: RateLimiter;
  catalog: CatalogServices;
  close(): Promise<void>;
}

/** Everything built on the database and Redis: cache, mail with its outbox worker, authentication. */
export function startServices(
  config: ServiceConfig,
  database: DatabaseHandle,
  redis: Redis | undefined,
  logger: Logger,
): Services {
  const cache = openCacheStore(redis);
  const mailer = createMailer(
    { smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: join(config.dataDir, "outbox") },
    logger,
  );
  const outbox = startOutboxWorker({ db: database.db, mailer, logger });
  const secret = authSecret(config.authSecret, config.dataDir);
  const auth = openAuth({
    db: database.db,
    redis,
    logger,
    secret,
    baseUrl: config.publicUrl,
    secureCookies: config.env === "production",
    keyRotationSeconds: config.authKeyRotationSeconds,
    mailQueued: () => outbox.wake(),
  });
  const rateLimiter = openRateLimiter(redis, (error) =>
    logger.warn({ err: String(error) }, "rate limiter: Redis failed; in-process counters for 5 s"),
  );
  const catalog = openCatalogServices({
    secret,
    dataDir: config.dataDir,
    publicUrl: config.publicUrl,
    cache,
    logger,
  });
  return {
    cache,
    catalog,
    rateLimiter,
    mailer,
    outbox,
    auth,
    async close() {
      auth.close();
      await outbox.stop();
      await mailer.close();
      await cache.close();
    },
  };
}
