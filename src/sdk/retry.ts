/** How a call is tried again after a network error, a 429 or a 503. */
export interface RetryPolicy {
  /** Tries after the first; 0 turns retrying off. */
  retries: number;
  /** The first backoff's ceiling; each further one doubles it, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 2, baseDelayMs: 250, maxDelayMs: 5_000 };

/** Methods that change nothing, so that trying them again is always safe. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Only what may run twice without harm: a safe method, or a request the server deduplicates by its key. */
export function mayRetry(method: string, idempotencyKey: string | undefined): boolean {
  return SAFE_METHODS.has(method) || idempotencyKey !== undefined;
}

/** "Full jitter": a random wait up to the exponential ceiling, so that clients do not retry in step. */
export function backoffMs(attempt: number, policy: RetryPolicy): number {
  return Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
}

/** The server's `Retry-After` (seconds, or an HTTP date) in milliseconds, if it sent one. */
export function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get("retry-after");
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Waits, unless the signal aborts first. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The promise's outcome, or the signal's reason as soon as it aborts (a fetch may not listen). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
