import type { Redis } from "ioredis";
import type { Config } from "../config";
import type { AccountsDeps } from "../domain/accounts/sessions";
import type { CatalogServices } from "../domain/catalog/services";
import { type AuthPlatform, openAuth } from "../platform/auth";
import { authSecret } from "../platform/auth/secret";
import type { DatabaseHandle } from "../platform/db";
import { type IdempotencyStore, idempotencyStore } from "../platform/idempotency/store";
import type { Logger } from "../platform/logger";
import type { PaymentProvider } from "../platform/payments/provider";
import type { PeriodicTask } from "../platform/periodic";
import { type Infrastructure, type InfrastructureConfig, startInfrastructure } from "../platform/services";
import { accountMailer } from "./account-mail";
import { openAccounts } from "./accounts";
import { openCatalogServices } from "./catalog";
import { startReservationSweeper } from "./checkout";
import { openPaymentProvider, startIdempotencySweeper } from "./payments";

export type ServiceConfig = InfrastructureConfig &
  Pick<
    Config,
    | "env"
    | "publicUrl"
    | "authSecret"
    | "authKeyRotationSeconds"
    | "passwordHashConcurrency"
    | "passwordHashMaxWaitSeconds"
    | "payments"
  >;

export interface Services extends Infrastructure {
  auth: AuthPlatform;
  accounts: AccountsDeps;
  catalog: CatalogServices;
  /** Returns the stock of checkouts past their time. */
  reservations: PeriodicTask;
  /** Who takes the money: the built-in test provider, or Stripe. */
  payments: PaymentProvider;
  /** The first answers to `Idempotency-Key`s, in PostgreSQL. */
  idempotency: IdempotencyStore;
  /** Forgets idempotency keys past their 24 hours. */
  idempotencySweeper: PeriodicTask;
  /** The configured or stored auth secret, for what the app signs itself (device cookies). */
  authSecret: string;
}

/** What a process that leaves background work to the worker process runs instead of a sweeper. */
const idleTask: PeriodicTask = { wake: () => {}, stop: async () => {} };

/**
 * The platform's adapters with the domain wired onto them: authentication sends the accounts
 * domain's mails through the outbox, the accounts domain records its deferred work there (and
 * registers what runs it), and the catalog gets its cursors and photos.
 */
export function startServices(
  config: ServiceConfig,
  database: DatabaseHandle,
  redis: Redis | undefined,
  logger: Logger,
): Services {
  const infrastructure = startInfrastructure(config, database, redis, logger);
  const secret = authSecret(config.authSecret, config.dataDir);
  const auth = openAuth({
    db: database.db,
    redis,
    logger,
    secret,
    baseUrl: config.publicUrl,
    secureCookies: config.env === "production",
    keyRotationSeconds: config.authKeyRotationSeconds,
    mail: accountMailer(config.publicUrl, infrastructure.queueMail),
    passwordHashing: {
      concurrency: config.passwordHashConcurrency,
      maxWaitSeconds: config.passwordHashMaxWaitSeconds,
    },
  });
  // Registered now, before this synchronous start-up yields and the worker claims its first rows.
  const accounts = openAccounts({
    gateway: auth.gateway,
    db: database.db,
    queueJob: infrastructure.queueJob,
    jobs: infrastructure.jobs,
  });
  const catalog = openCatalogServices({
    secret,
    dataDir: config.dataDir,
    publicUrl: config.publicUrl,
    logger,
  });
  const reservations = config.runWorker
    ? startReservationSweeper(database.db, infrastructure.cache, logger)
    : idleTask;
  const payments = openPaymentProvider(config.payments, database.db, infrastructure.jobs);
  const idempotency = idempotencyStore(database.db);
  const idempotencySweeper = config.runWorker ? startIdempotencySweeper(idempotency, logger) : idleTask;
  return {
    ...infrastructure,
    auth,
    accounts,
    catalog,
    reservations,
    payments,
    idempotency,
    idempotencySweeper,
    authSecret: secret,
    async close() {
      auth.close();
      await reservations.stop();
      await idempotencySweeper.stop();
      await infrastructure.close();
    },
  };
}
