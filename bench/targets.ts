// The capacity targets (issue 9), judged on a run's figures. A target whose figure is missing is
// "not measured", never met; the seed targets are for the full-length scenario only.

import type { SeedRun } from "./report";
import type { ThroughputRow } from "./throughput";

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | null;
}

/** Requests/s of the uncached product list before the cache (issue 9, 64 connections). */
const LIST_BEFORE_CACHE = 619;

export function checkTargets(seed: SeedRun | null, rows: readonly ThroughputRow[] | null): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const check = (target: string, value: number | null, measured: string, pass: (value: number) => boolean) =>
    checks.push({
      target,
      measured: value === null ? "not measured" : measured,
      met: value === null ? null : pass(value),
    });

  if (seed) {
    const { users, steps, cache, serverRss, scale } = seed;
    const scaled = scale === 1 ? "" : ` (scale ${scale}: not the full length)`;
    const timeouts = Object.values(steps).reduce((sum, step) => sum + step.timeouts, 0);
    const status5xx = Object.values(steps).reduce((sum, step) => sum + step.status5xx, 0);
    check(`seed${scaled}: 0 failed users`, users.failed, `${users.failed} of ${users.total}`, (v) => v === 0);
    check(`seed${scaled}: 0 5xx`, status5xx, String(status5xx), (v) => v === 0);
    check(`seed${scaled}: 0 timeouts`, timeouts, String(timeouts), (v) => v === 0);
    const browseP99 = maxOf(steps.list.p99Ms, steps.detail.p99Ms);
    check(`seed${scaled}: browse p99 ≤ 50 ms`, browseP99, `${browseP99} ms`, (v) => v <= 50);
    check(`seed${scaled}: sign-in p99 ≤ 1 s`, steps.login.p99Ms, `${steps.login.p99Ms} ms`, (v) => v <= 1000);
    check(
      `seed${scaled}: cache hit ratio ≥ 95 % after the first minute`,
      cache.hitRatio,
      percent(cache.hitRatio),
      (v) => v >= 0.95,
    );
    check(
      `seed${scaled}: server RSS ≤ 150 MB at the end`,
      serverRss.endMb,
      `${serverRss.endMb} MB`,
      (v) => v <= 150,
    );
  }
  if (rows) {
    const row = (name: string) => rows.find((candidate) => candidate.name === name);
    const list = row("product list (cached)");
    check(
      "cached list ≥ 75 % of the baseline's requests/s",
      list?.ratioToBaseline ?? null,
      percent(list?.ratioToBaseline ?? null),
      (v) => v >= 0.75,
    );
    check("cached list p99 ≤ 10 ms", list?.p99Ms ?? null, `${list?.p99Ms} ms`, (v) => v <= 10);
    const miss = row("product detail, cache miss");
    check("product detail on a miss: p99 ≤ 30 ms", miss?.p99Ms ?? null, `${miss?.p99Ms} ms`, (v) => v <= 30);
    const uncached = row("product list, cache miss");
    check(
      `uncached list ≥ 3 × ${LIST_BEFORE_CACHE} requests/s`,
      uncached?.requestsPerSecond ?? null,
      `${uncached?.requestsPerSecond} req/s`,
      (v) => v >= 3 * LIST_BEFORE_CACHE,
    );
  }
  return checks;
}

function maxOf(...values: (number | null)[]): number | null {
  const known = values.filter((value): value is number => value !== null);
  return known.length === 0 ? null : Math.max(...known);
}

export function percent(ratio: number | null): string {
  return ratio === null ? "n/a" : `${(ratio * 100).toFixed(1)} %`;
}
