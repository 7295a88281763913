/** A dependency the API talks to, as the readiness check sees it. */
export interface Probe {
  kind: "pglite" | "postgres" | "memory" | "redis";
  ping(): Promise<void>;
}

export interface CheckResult {
  status: "up" | "down";
  kind: Probe["kind"];
  latencyMs: number;
  error?: string;
}

export interface ReadinessReport {
  /** The database is required; the cache is not (it is bypassed when down). */
  status: "ready" | "degraded" | "not_ready";
  checks: { database: CheckResult; cache: CheckResult };
}

async function check(probe: Probe, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    await Promise.race([probe.ping(), timeout]);
    return { status: "up", kind: probe.kind, latencyMs: elapsed(started) };
  } catch (error) {
    const message = error instanceof Error && error.message ? error.message : "unreachable";
    return { status: "down", kind: probe.kind, latencyMs: elapsed(started), error: message };
  } finally {
    clearTimeout(timer);
  }
}

const elapsed = (started: number) => Math.round((performance.now() - started) * 100) / 100;

export async function checkReadiness(
  dependencies: { database: Probe; cache: Probe },
  timeoutMs = 2_000,
): Promise<ReadinessReport> {
  const [database, cache] = await Promise.all([
    check(dependencies.database, timeoutMs),
    check(dependencies.cache, timeoutMs),
  ]);
  const status = database.status === "down" ? "not_ready" : cache.status === "down" ? "degraded" : "ready";
  return { status, checks: { database, cache } };
}
