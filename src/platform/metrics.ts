import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { HashingQueue } from "./auth/hashing-queue";

export interface Metrics {
  registry: Registry;
  requestDuration: Histogram<"operationId" | "method" | "status">;
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
  return { registry, requestDuration };
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
