/**
 * Refused at once: the queue already holds more work than it can serve within its bound. Nothing
 * was started; the same work is likely to be accepted after `retryAfterSeconds`.
 */
export class HashingQueueFull extends Error {
  override name = "HashingQueueFull";

  constructor(readonly retryAfterSeconds: number) {
    super(`the password hashing queue is full; retry in ${retryAfterSeconds} s`);
  }
}

export interface HashingQueueOptions {
  /** At most this many jobs run at once; the rest wait in arrival order. */
  concurrency: number;
  /** A job whose estimated wait is longer is refused at once instead of queued. */
  maxWaitSeconds: number;
  /** What a job is assumed to take before any has finished (so that a burst at start is bounded too). */
  initialDurationSeconds: number;
  /** Milliseconds from any fixed origin; tests pass their own clock. */
  now?: () => number;
}

export interface HashingQueueStats {
  inFlight: number;
  waiting: number;
  refused: number;
  /** The moving average of how long one job runs, in seconds. */
  averageSeconds: number;
}

export interface HashingQueueListener {
  finished?(seconds: number): void;
  refused?(): void;
}

export interface HashingQueue {
  /** Runs `job` when a slot is free, or rejects at once with `HashingQueueFull`. */
  run<T>(job: () => Promise<T>): Promise<T>;
  stats(): HashingQueueStats;
  /** Tells `listener` of every job that finishes and every refusal; returns the unsubscribe. */
  observe(listener: HashingQueueListener): () => void;
}

/** Weight of the newest duration in the moving average: about the last ten jobs count. */
const SMOOTHING = 0.2;

/**
 * CPU-heavy jobs (password hashes) with bounded concurrency and a bounded wait. The wait of a new
 * job is estimated as the jobs ahead of it times the average duration, divided by the slots:
 * beyond the bound it is refused immediately, never left to time out.
 */
export function createHashingQueue(options: HashingQueueOptions): HashingQueue {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
    throw new Error("hashing concurrency must be a positive integer");
  const now = options.now ?? (() => performance.now());
  const waiting: (() => void)[] = [];
  const listeners = new Set<HashingQueueListener>();
  let inFlight = 0;
  let refused = 0;
  let averageSeconds = options.initialDurationSeconds;

  /** Seconds until a job queued behind `ahead` others would start. */
  const waitFor = (ahead: number) => ((ahead + 1) * averageSeconds) / options.concurrency;

  function release(): void {
    inFlight -= 1;
    const next = waiting.shift();
    if (next) next();
  }

  async function start<T>(job: () => Promise<T>): Promise<T> {
    inFlight += 1;
    const startedAt = now();
    try {
      return await job();
    } finally {
      const seconds = Math.max(0, (now() - startedAt) / 1000);
      averageSeconds += SMOOTHING * (seconds - averageSeconds);
      release();
      for (const listener of listeners) listener.finished?.(seconds);
    }
  }

  return {
    run(job) {
      if (inFlight < options.concurrency && waiting.length === 0) return start(job);
      const estimate = waitFor(waiting.length);
      if (estimate > options.maxWaitSeconds) {
        refused += 1;
        for (const listener of listeners) listener.refused?.();
        return Promise.reject(new HashingQueueFull(Math.max(1, Math.ceil(estimate))));
      }
      return new Promise((resolve, reject) => {
        waiting.push(() => start(job).then(resolve, reject));
      });
    },
    stats: () => ({ inFlight, waiting: waiting.length, refused, averageSeconds }),
    observe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
