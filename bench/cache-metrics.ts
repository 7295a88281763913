// The response cache's lookups as the server counts them in /metrics:
//   http_cache_lookups_total{operationId,tier,outcome}   tier: memory|redis|none, outcome: hit|stale|miss
// read before and after a scenario; the difference is that scenario's.

const SERIES = "http_cache_lookups_total";
const LINE = new RegExp(`^${SERIES}\\{([^}]*)\\}\\s+(\\S+)`, "gm");
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

export interface CacheLookups {
  total: number;
  hit: number;
  stale: number;
  miss: number;
  byTier: Record<string, number>;
}

/** One reading of the counter, by label set; `null` when the server does not export it. */
export type CacheCounter = Map<
  string,
  { operationId: string; tier: string; outcome: string; value: number }
> | null;

export async function readCacheCounter(url: string): Promise<CacheCounter> {
  const token = process.env.METRICS_TOKEN;
  const response = await fetch(`${url}/metrics`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  return parseCacheCounter(await response.text());
}

/** The counter's series in a Prometheus text exposition; `null` when it is not there at all. */
export function parseCacheCounter(text: string): CacheCounter {
  const series: NonNullable<CacheCounter> = new Map();
  for (const [, labels = "", value] of text.matchAll(LINE)) {
    const named = Object.fromEntries([...labels.matchAll(LABEL)].map(([, key, val]) => [key, val]));
    const reading = {
      operationId: named.operationId ?? "",
      tier: named.tier ?? "",
      outcome: named.outcome ?? "",
      value: Number(value),
    };
    series.set(`${reading.operationId} ${reading.tier} ${reading.outcome}`, reading);
  }
  return series.size > 0 || text.includes(`# TYPE ${SERIES} `) ? series : null;
}

/** The lookups between two readings, of the given operations only (all when none are named). */
export function lookupsBetween(
  before: CacheCounter,
  after: CacheCounter,
  operationIds?: readonly string[],
): CacheLookups | null {
  if (after === null) return null;
  const lookups: CacheLookups = { total: 0, hit: 0, stale: 0, miss: 0, byTier: {} };
  for (const [key, { operationId, tier, outcome, value }] of after) {
    if (operationIds && !operationIds.includes(operationId)) continue;
    const delta = value - (before?.get(key)?.value ?? 0);
    if (delta <= 0) continue;
    lookups.total += delta;
    if (outcome === "hit" || outcome === "stale" || outcome === "miss") lookups[outcome] += delta;
    lookups.byTier[tier] = (lookups.byTier[tier] ?? 0) + delta;
  }
  return lookups;
}

/** (hit + stale) / all lookups; `null` when nothing was looked up or the counter is absent, never a made-up 0. */
export function hitRatio(lookups: CacheLookups | null): number | null {
  if (lookups === null || lookups.total === 0) return null;
  return Math.round(((lookups.hit + lookups.stale) / lookups.total) * 10_000) / 10_000;
}

/** Counts the `X-Cache` answers seen on responses, for drivers that read headers themselves. */
export class XCacheTally {
  readonly counts: Record<string, number> = {};
  responses = 0;

  add(value: string | null | undefined): void {
    this.responses += 1;
    const outcome = (value ?? "absent").toUpperCase();
    this.counts[outcome] = (this.counts[outcome] ?? 0) + 1;
  }

  /** (HIT + STALE) / responses that carried the header; `null` when none did. */
  ratio(): number | null {
    const carried = this.responses - (this.counts.ABSENT ?? 0);
    if (carried === 0) return null;
    return Math.round((((this.counts.HIT ?? 0) + (this.counts.STALE ?? 0)) / carried) * 10_000) / 10_000;
  }
}
