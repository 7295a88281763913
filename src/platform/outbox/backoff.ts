export interface RetryPolicy {
  /** Delay after the first failed attempt; doubles with every further one. */
  baseDelayMs: number;
  /** The longest wait between two attempts. */
  maxDelayMs: number;
  /** After this many attempts a message is no longer tried; its row stays, with the last error. */
  maxAttempts: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  baseDelayMs: 5_000,
  maxDelayMs: 3_600_000,
  maxAttempts: 10,
};

/** Wait before the next attempt once `attempts` attempts (≥ 1) have failed: 5 s, 10 s, 20 s, … 1 h. */
export function retryDelayMs(attempts: number, policy: RetryPolicy = defaultRetryPolicy): number {
  const exponent = Math.max(0, attempts - 1);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
}
