import type { Logger } from "./logger";

export interface PeriodicTask {
  /** Runs it now (unless it is running), then on the interval again. */
  wake(): void;
  stop(): Promise<void>;
}

/**
 * Runs `task` every `everyMs`, one run at a time; a failed run is logged and the next one tries
 * again. The timer does not keep the process alive.
 */
export function startPeriodic(
  name: string,
  everyMs: number,
  task: () => Promise<void>,
  logger: Logger,
): PeriodicTask {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(wake, everyMs);
    timer.unref?.();
  }

  function wake(): void {
    clearTimeout(timer);
    if (stopped || running) return;
    running = task()
      .catch((error) =>
        logger.warn({ err: error instanceof Error ? error.message : String(error) }, `${name} failed`),
      )
      .finally(() => {
        running = undefined;
        schedule();
      });
  }

  schedule();
  return {
    wake,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      while (running) await running;
    },
  };
}
