import { describe, expect, it } from "vitest";
import { hitRatio, lookupsBetween, parseCacheCounter, XCacheTally } from "../../../bench/cache-metrics";

const exposition = (
  hits: number,
  misses: number,
  stale = 0,
) => `# HELP http_cache_lookups_total Response cache lookups
# TYPE http_cache_lookups_total counter
http_cache_lookups_total{operationId="listProducts",tier="memory",outcome="hit"} ${hits}
http_cache_lookups_total{outcome="stale",operationId="listProducts",tier="memory"} ${stale}
http_cache_lookups_total{operationId="listProducts",tier="none",outcome="miss"} ${misses}
http_cache_lookups_total{operationId="listCategories",tier="redis",outcome="hit"} 500
`;

describe("the bench's cache hit ratio", () => {
  it("is (hit + stale) / lookups between two readings, of the named operations only", () => {
    const lookups = lookupsBetween(
      parseCacheCounter(exposition(10, 5)),
      parseCacheCounter(exposition(100, 10, 5)),
      ["listProducts"],
    );
    expect(lookups).toEqual({ total: 100, hit: 90, stale: 5, miss: 5, byTier: { memory: 95, none: 5 } });
    expect(hitRatio(lookups)).toBe(0.95);
  });

  it("is null, never 0, when the server does not export the counter or nothing was looked up", () => {
    const without = parseCacheCounter("# TYPE http_requests_total counter\nhttp_requests_total 3\n");
    expect(without).toBeNull();
    expect(hitRatio(lookupsBetween(without, without))).toBeNull();
    const declaredOnly = parseCacheCounter("# TYPE http_cache_lookups_total counter\n");
    expect(hitRatio(lookupsBetween(declaredOnly, declaredOnly))).toBeNull();
    const same = parseCacheCounter(exposition(10, 5));
    expect(hitRatio(lookupsBetween(same, same, ["listProducts"]))).toBeNull();
  });

  it("counts X-Cache answers, and has no ratio when no response carried the header", () => {
    const tally = new XCacheTally();
    tally.add(null);
    expect(tally.ratio()).toBeNull();
    for (const value of ["HIT", "hit", "STALE", "MISS"]) tally.add(value);
    expect(tally.counts).toEqual({ ABSENT: 1, HIT: 2, STALE: 1, MISS: 1 });
    expect(tally.ratio()).toBe(0.75);
  });
});
