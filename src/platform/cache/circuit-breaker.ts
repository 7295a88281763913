/** Raised instead of calling a dependency the breaker has given up on for now. */
export class CircuitOpenError extends Error {
  constructor() {
    super("circuit open: the dependency failed repeatedly and is not being called for now");
  }
}

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold?: number;
  /** How long an open circuit refuses calls before one call may try again. */
  cooldownMs?: number;
  /** A call still pending after this long counts as failed. */
  timeoutMs?: number;
  now?: () => number;
}

export interface CircuitBreaker {
  run<T>(call: () => Promise<T>): Promise<T>;
  readonly state: "closed" | "open" | "half-open";
}

/**
 * Fails fast while a dependency is failing, so that a stopped Redis costs no request any time,
 * and lets one call through after a cooldown, so that the cache comes back by itself.
 */
export function circuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  const threshold = options.failureThreshold ?? 3;
  const cooldownMs = options.cooldownMs ?? 1_000;
  const timeoutMs = options.timeoutMs ?? 100;
  const now = options.now ?? Date.now;
  let failures = 0;
  let openedAt: number | undefined;
  let probing = false;

  const stateNow = (): CircuitBreaker["state"] => {
    if (openedAt === undefined) return "closed";
    return now() - openedAt >= cooldownMs ? "half-open" : "open";
  };

  return {
    get state() {
      return stateNow();
    },
    async run(call) {
      const state = stateNow();
      if (state === "open" || (state === "half-open" && probing)) throw new CircuitOpenError();
      const isProbe = state === "half-open";
      if (isProbe) probing = true;
      try {
        const result = await withTimeout(call(), timeoutMs);
        failures = 0;
        openedAt = undefined;
        return result;
      } catch (error) {
        failures += 1;
        if (isProbe || failures >= threshold) openedAt = now();
        throw error;
      } finally {
        if (isProbe) probing = false;
      }
    },
  };
}

function withTimeout<T>(pending: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([pending, timeout]).finally(() => clearTimeout(timer));
}
