import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { HashingQueue } from "./auth/hashing-queue";

export interface Metrics {
  registry: Registry;
  requestDuration: Histogram<"operationId" | "method" | "status">;
  /** Each answer of a cached operation: where it came from (`tier`) and how (`outcome`). */
  cacheLookups: Counter<"operationId" | "tier" | "outcome">;
  /** Entries stored after a computation. */
  cacheFills: Counter<"operationId">;
  /** Tier failures the cache answered through (a miss instead, an invalidation retried). */
  cacheErrors: Counter<"operationId" | "tier">;
}

/** A registry per app, so that two apps in one process (tests) never share counters. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  // Includes event-loop lag (`nodejs_eventloop_lag_*`, from perf_hooks' monitorEventLoopDelay,
  // which Bun implements: a stall shows in `nodejs_eventloop_lag_max_seconds`).
  collectDefaultMetrics({ register: registry });
  const requestDuration = new Histogram({
    name: "http_request_duration_seconds",
    help: "Duration of HTTP requests, by operationId and status",
    labelNames: ["operationId", "method", "status"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const cacheLookups = new Counter({
    name: "http_cache_lookups_total",
    help: "Answers of cached operations by tier (memory, redis, none) and outcome (hit, stale, miss)",
    labelNames: ["operationId", "tier", "outcome"] as const,
    registers: [registry],
  });
  const cacheFills = new Counter({
    name: "http_cache_fills_total",
    help: "Cache entries stored after computing the answer",
    labelNames: ["operationId"] as const,
    registers: [registry],
  });
  const cacheErrors = new Counter({
    name: "http_cache_errors_total",
    help: "Cache tier failures answered through (a lookup computed instead, an invalidation retried)",
    labelNames: ["operationId", "tier"] as const,
    registers: [registry],
  });
  return { registry, requestDuration, cacheLookups, cacheFills, cacheErrors };
}

/** The password hashing queue in `registry`: its occupancy, its refusals and how long a hash takes. */
export function instrumentHashingQueue(registry: Registry, queue: HashingQueue): void {
  new Gauge({
    name: "password_hash_in_flight",
    help: "Password hashes and verifications running now",
    registers: [registry],
    collect() {
      this.set(queue.stats().inFlight);
    },
  });
  new Gauge({
    name: "password_hash_waiting",
    help: "Password hashes and verifications waiting for a free slot",
    registers: [registry],
    collect() {
      this.set(queue.stats().waiting);
    },
  });
  const refused = new Counter({
    name: "password_hash_refused_total",
    help: "Password hashes and verifications refused at once because the queue was full (503)",
    registers: [registry],
  });
  const duration = new Histogram({
    name: "password_hash_duration_seconds",
    help: "How long one password hash or verification runs, waiting excluded",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  queue.observe({ finished: (seconds) => duration.observe(seconds), refused: () => refused.inc() });
}
