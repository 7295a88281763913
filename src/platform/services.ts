import { join } from "node:path";
import type { Redis } from "ioredis";
import type { Config } from "../config";
import { type ResponseCache, responseCache } from "./cache";
import type { DatabaseHandle } from "./db";
import type { Logger } from "./logger";
import { createMailer, type Mailer, type MailMessage } from "./mailer";
import {
  enqueueEmail,
  enqueueJob,
  type OutboxJobs,
  type OutboxWorker,
  outboxJobs,
  startOutboxWorker,
} from "./outbox";
import { openRateLimiter, type RateLimiter } from "./rate-limit";

export type InfrastructureConfig = Pick<Config, "dataDir" | "smtpUrl" | "mailFrom" | "runWorker">;

/** What the platform runs on the database and Redis, before any domain is wired onto it. */
export interface Infrastructure {
  /** Finished answers of the contract's cacheable reads: in-process, in front of Redis when configured. */
  cache: ResponseCache;
  mailer: Mailer;
  outbox: OutboxWorker;
  /** The outbox's kinds besides mail: register each before the start-up sequence yields. */
  jobs: OutboxJobs;
  rateLimiter: RateLimiter;
  /** Records a mail in the outbox and wakes the worker, so that it goes out now. */
  queueMail(message: MailMessage): Promise<void>;
  /** Records a job of a registered kind in the outbox and wakes the worker, so that it runs now. */
  queueJob(kind: string, payload: object): Promise<void>;
  close(): Promise<void>;
}

const idleWorker: OutboxWorker = { wake: () => {}, stop: async () => {} };

export function startInfrastructure(
  config: InfrastructureConfig,
  database: DatabaseHandle,
  redis: Redis | undefined,
  logger: Logger,
): Infrastructure {
  const cache = responseCache(redis, {
    onError: (error, where) =>
      logger.warn({ err: String(error), where }, "response cache: Redis failed; answered without it"),
  });
  const mailer = createMailer(
    { smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: join(config.dataDir, "outbox") },
    logger,
  );
  const jobs = outboxJobs();
  // Without the worker here, rows wait for the worker process, which polls for them.
  const outbox = config.runWorker ? startOutboxWorker({ db: database.db, mailer, logger, jobs }) : idleWorker;
  const rateLimiter = openRateLimiter(redis, (error) =>
    logger.warn({ err: String(error) }, "rate limiter: Redis failed; in-process counters for 5 s"),
  );
  return {
    cache,
    mailer,
    outbox,
    jobs,
    rateLimiter,
    async queueMail(message) {
      await enqueueEmail(database.db, message);
      outbox.wake();
    },
    async queueJob(kind, payload) {
      await enqueueJob(database.db, kind, payload);
      outbox.wake();
    },
    async close() {
      await outbox.stop();
      await mailer.close();
      await cache.close();
    },
  };
}
