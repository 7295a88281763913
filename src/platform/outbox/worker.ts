import type { Db } from "../db";
import type { Logger } from "../logger";
import type { Mailer } from "../mailer";
import type { RetryPolicy } from "./backoff";
import { deliverDueMessages } from "./deliver";
import type { OutboxJobs } from "./jobs";

export interface OutboxWorkerOptions {
  db: Db;
  mailer: Mailer;
  logger: Logger;
  /** What runs the rows that are not mail. */
  jobs?: OutboxJobs;
  /** Pause between two polls when there is nothing to do; default 5 s. */
  intervalMs?: number;
  batchSize?: number;
  retry?: RetryPolicy;
}

export interface OutboxWorker {
  /** Delivers right away (call it after committing an enqueue) instead of at the next poll. */
  wake(): void;
  /** Stops polling; resolves once the batch in flight, if any, is finished. */
  stop(): Promise<void>;
}

const DEFAULT_BATCH_SIZE = 10;

/** Polls the outbox and delivers what is due, draining full batches back to back. */
export function startOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { logger } = options;
  const intervalMs = options.intervalMs ?? 5_000;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let wokenWhileRunning = false;
  let stopped = false;

  async function drain(): Promise<void> {
    try {
      for (;;) {
        const report = await deliverDueMessages({ ...options, batchSize });
        if (report.claimed > 0) logger.debug(report, "outbox: batch delivered");
        if (report.claimed < batchSize || stopped) return;
      }
    } catch (error) {
      // The database is unreachable or similar: nothing was lost, the next poll tries again.
      logger.warn({ error: error instanceof Error ? error.message : String(error) }, "outbox: poll failed");
    }
  }

  function run(): void {
    clearTimeout(timer);
    timer = undefined;
    if (stopped) return;
    if (running) {
      wokenWhileRunning = true;
      return;
    }
    running = drain().finally(() => {
      running = undefined;
      if (wokenWhileRunning) {
        wokenWhileRunning = false;
        run();
      } else if (!stopped) {
        timer = setTimeout(run, intervalMs);
        // Polling alone must not keep the process alive.
        timer.unref?.();
      }
    });
  }

  run();
  return {
    wake: run,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      while (running) await running;
    },
  };
}
