import type { PaymentsConfig } from "../config";
import { REFUND_JOB, refundJob } from "../domain/payments/refunds";
import type { Db } from "../platform/db";
import type { IdempotencyStore } from "../platform/idempotency/store";
import type { Logger } from "../platform/logger";
import type { OutboxJobs } from "../platform/outbox";
import type { PaymentProvider } from "../platform/payments/provider";
import { stripeProvider } from "../platform/payments/stripe-provider";
import { testPaymentProvider } from "../platform/payments/test-provider";
import { type PeriodicTask, startPeriodic } from "../platform/periodic";

/** The configured provider, with the outbox job that refunds through it registered. */
export function openPaymentProvider(config: PaymentsConfig, db: Db, jobs: OutboxJobs): PaymentProvider {
  const provider =
    config.provider === "stripe" ? stripeProvider(config) : testPaymentProvider(config.webhookSecret);
  jobs.register(REFUND_JOB, refundJob(db, provider));
  return provider;
}

/** Forgets idempotency keys past their 24 hours, every `everyMs`. */
export function startIdempotencySweeper(
  store: IdempotencyStore,
  logger: Logger,
  everyMs = 3_600_000,
): PeriodicTask {
  return startPeriodic(
    "idempotency key sweeper",
    everyMs,
    async () => {
      const forgotten = await store.sweep();
      if (forgotten > 0) logger.info({ forgotten }, "expired idempotency keys forgotten");
    },
    logger,
  );
}
