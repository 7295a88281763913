// The seed's own load scenario, as an open model: users arrive on a fixed schedule whatever the
// server's state (a slow server meets more users at once, never fewer), each user its own async
// flow. 70 % browse (the first page of products, then one product with an id from 1 to 100),
// 30 % sign in (an existing customer's password, then /api/auth/me with the access token).
// A user fails when any step errors, answers other than 2xx, or takes more than 10 s.
//
// Run by bench/run.ts as a process of its own (`bun bench/seed-scenario.ts`), so that its fetch
// pool can be raised and its event loop measured apart from anything else:
//   BENCH_TARGET_URL   the server                       BENCH_RESULT_FILE  where the JSON goes
//   BENCH_SCALE        multiplies every phase's length (1 = the full 8 minutes; 0.1 for a quick run)

import { writeFileSync } from "node:fs";
import { mulberry32 } from "../db/seed/data/random.ts";
import { type CacheCounter, hitRatio, lookupsBetween, readCacheCounter, XCacheTally } from "./cache-metrics";
import { type Customer, customerPool } from "./customers";
import { sampleUsage } from "./process-usage";
import { type LatencySummary, round, Samples } from "./stats";

export interface Phase {
  seconds: number;
  usersPerSecond: number;
}

/** The seed's phases at full length: 60 s at 10 users/s, 300 s at 50/s, 120 s at 100/s. */
export const SEED_PHASES: readonly Phase[] = [
  { seconds: 60, usersPerSecond: 10 },
  { seconds: 300, usersPerSecond: 50 },
  { seconds: 120, usersPerSecond: 100 },
];
/** The cache is judged after the first minute (scaled with the phases): the cold start is not its steady state. */
export const WARM_UP_SECONDS = 60;
const STEP_TIMEOUT_MS = 10_000;
const BROWSE_SHARE = 0.7;
const PRODUCT_IDS = 100;
const LAG_PROBE_MS = 20;

type StepName = "list" | "detail" | "login" | "me";
const STEP_REQUESTS: Record<StepName, string> = {
  list: "GET /api/products?limit=20",
  detail: "GET /api/products/{1..100}",
  login: "POST /api/auth/login",
  me: "GET /api/auth/me (Bearer)",
};

export interface StepResult extends LatencySummary {
  request: string;
  /** Every failed attempt: network error, timeout or a status other than 2xx. */
  errors: number;
  timeouts: number;
  status5xx: number;
  status4xx: number;
  networkErrors: number;
}

export interface SeedScenarioResult {
  scale: number;
  phases: (Phase & { users: number })[];
  wallSeconds: number;
  users: {
    total: number;
    browse: number;
    signIn: number;
    failed: number;
    failedBrowse: number;
    failedSignIn: number;
  };
  steps: Record<StepName, StepResult>;
  byPhase: {
    phase: number;
    users: number;
    failed: number;
    p99Ms: Partial<Record<StepName, number | null>>;
  }[];
  cache: {
    /** Counted from this many seconds into the run (the first minute, scaled). */
    afterSeconds: number;
    /** From the server's http_cache_lookups_total; null when the server does not export it. */
    hitRatio: number | null;
    lookups: ReturnType<typeof lookupsBetween>;
    /** From the X-Cache headers of list and detail responses of users who arrived after the first minute. */
    xCacheHitRatio: number | null;
    xCache: Record<string, number>;
    xCacheTier: Record<string, number>;
  };
  driver: {
    /** How late the driver's own timers fired: if this grows, the driver, not the server, is the bottleneck. */
    eventLoopLag: LatencySummary;
    /** How late users started against their schedule. */
    arrivalLag: LatencySummary;
    /** CPU the driver used, in cores (2 on this machine in all), and its own memory. */
    cpuCores: number | null;
    peakRssMb: number | null;
    peakUsersInFlight: number;
  };
}

class StepStats {
  readonly latency = new Samples();
  errors = 0;
  timeouts = 0;
  status5xx = 0;
  status4xx = 0;
  networkErrors = 0;

  result(request: string): StepResult {
    const { errors, timeouts, status5xx, status4xx, networkErrors } = this;
    return { request, ...this.latency.summary(), errors, timeouts, status5xx, status4xx, networkErrors };
  }
}

/** Arrival times in ms from the start, evenly spaced within each phase, and each user's phase. */
export function schedule(phases: readonly Phase[]): { at: number; phase: number }[] {
  const arrivals: { at: number; phase: number }[] = [];
  let start = 0;
  phases.forEach((phase, index) => {
    const users = Math.round(phase.seconds * phase.usersPerSecond);
    for (let k = 0; k < users; k++)
      arrivals.push({ at: start + (k * 1000) / phase.usersPerSecond, phase: index });
    start += phase.seconds * 1000;
  });
  return arrivals;
}

export async function runSeedScenario(url: string, scale: number): Promise<SeedScenarioResult> {
  const phases = SEED_PHASES.map((phase) => ({ ...phase, seconds: phase.seconds * scale }));
  const arrivals = schedule(phases);
  const warmUpMs = WARM_UP_SECONDS * scale * 1000;
  const customers = customerPool();
  const random = mulberry32(0x5eed);

  const steps = Object.fromEntries(
    (Object.keys(STEP_REQUESTS) as StepName[]).map((name) => [name, new StepStats()]),
  ) as Record<StepName, StepStats>;
  const phaseSteps = phases.map(() => new Map<StepName, Samples>());
  const phaseUsers = phases.map(() => ({ users: 0, failed: 0 }));
  const xCache = new XCacheTally();
  const xCacheTier: Record<string, number> = {};
  const users = { total: 0, browse: 0, signIn: 0, failed: 0, failedBrowse: 0, failedSignIn: 0 };

  const started = performance.now();
  const elapsed = () => performance.now() - started;

  /** One request of one user: its answer, or `undefined` when the step failed (and with it the user). */
  const step = async (
    name: StepName,
    phase: number,
    counted: boolean,
    path: string,
    init: RequestInit = {},
  ): Promise<ArrayBuffer | undefined> => {
    const stats = steps[name];
    const begin = performance.now();
    let body: ArrayBuffer | undefined;
    try {
      const response = await fetch(`${url}${path}`, {
        ...init,
        signal: AbortSignal.timeout(STEP_TIMEOUT_MS),
      });
      // The body is part of the answer: a step ends when its last byte is in.
      const bytes = await response.arrayBuffer();
      if (response.ok) body = bytes;
      else if (response.status >= 500) stats.status5xx += 1;
      else stats.status4xx += 1;
      if (counted && (name === "list" || name === "detail")) {
        xCache.add(response.headers.get("x-cache"));
        const tier = response.headers.get("x-cache-tier") ?? "absent";
        xCacheTier[tier] = (xCacheTier[tier] ?? 0) + 1;
      }
    } catch (error) {
      const kind = (error as Error).name;
      if (kind === "TimeoutError" || kind === "AbortError") stats.timeouts += 1;
      else stats.networkErrors += 1;
    }
    const took = performance.now() - begin;
    stats.latency.add(took);
    const perPhase = phaseSteps[phase] as Map<StepName, Samples>;
    if (!perPhase.has(name)) perPhase.set(name, new Samples());
    perPhase.get(name)?.add(took);
    if (body === undefined) stats.errors += 1;
    return body;
  };

  const browse = async (phase: number, counted: boolean, id: number): Promise<boolean> => {
    if (!(await step("list", phase, counted, "/api/products?limit=20"))) return false;
    return (await step("detail", phase, counted, `/api/products/${id}`)) !== undefined;
  };

  const signIn = async (phase: number, customer: Customer): Promise<boolean> => {
    const login = await step("login", phase, false, "/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(customer),
    });
    if (!login) return false;
    const { accessToken } = JSON.parse(new TextDecoder().decode(login)) as { accessToken?: string };
    if (!accessToken) return false;
    const me = await step("me", phase, false, "/api/auth/me", {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    return me !== undefined;
  };

  // The driver's own health: a timer that should fire every 20 ms, and how late it does.
  const eventLoopLag = new Samples();
  let expected = performance.now() + LAG_PROBE_MS;
  const lagProbe = setInterval(() => {
    const now = performance.now();
    eventLoopLag.add(Math.max(0, now - expected));
    expected = now + LAG_PROBE_MS;
  }, LAG_PROBE_MS);
  const ownUsage = sampleUsage(process.pid);

  let cacheAtWarm: Promise<CacheCounter> | undefined;
  const warmTimer = setTimeout(() => {
    cacheAtWarm = readCacheCounter(url).catch(() => null);
  }, warmUpMs);

  const arrivalLag = new Samples();
  const inFlight = new Set<Promise<void>>();
  let peakUsersInFlight = 0;
  for (const arrival of arrivals) {
    const wait = arrival.at - elapsed();
    if (wait > 1) await Bun.sleep(wait);
    arrivalLag.add(Math.max(0, elapsed() - arrival.at));
    const counted = arrival.at >= warmUpMs;
    const isBrowse = random() < BROWSE_SHARE;
    const productId = 1 + Math.floor(random() * PRODUCT_IDS);
    const customer = customers[Math.floor(random() * customers.length)] as Customer;
    const phase = arrival.phase;
    const user = (async () => {
      // A body that is not what the contract promised fails the user, never the driver.
      const ok = await (isBrowse ? browse(phase, counted, productId) : signIn(phase, customer)).catch(
        () => false,
      );
      users.total += 1;
      users[isBrowse ? "browse" : "signIn"] += 1;
      (phaseUsers[phase] as { users: number }).users += 1;
      if (!ok) {
        users.failed += 1;
        users[isBrowse ? "failedBrowse" : "failedSignIn"] += 1;
        (phaseUsers[phase] as { failed: number }).failed += 1;
      }
    })();
    inFlight.add(user);
    peakUsersInFlight = Math.max(peakUsersInFlight, inFlight.size);
    void user.finally(() => inFlight.delete(user));
  }
  await Promise.all(inFlight);
  const wallSeconds = elapsed() / 1000;
  clearInterval(lagProbe);
  clearTimeout(warmTimer);
  const own = ownUsage.stop();

  const before = (await cacheAtWarm) ?? null;
  // Through nginx /metrics is closed (each instance has its own): the X-Cache headers still count.
  const after = await readCacheCounter(url).catch(() => null);
  const lookups = lookupsBetween(before, after, ["listProducts", "getProduct"]);

  return {
    scale,
    phases: phases.map((phase) => ({ ...phase, users: Math.round(phase.seconds * phase.usersPerSecond) })),
    wallSeconds: round(wallSeconds, 1),
    users,
    steps: Object.fromEntries(
      (Object.keys(steps) as StepName[]).map((name) => [name, steps[name].result(STEP_REQUESTS[name])]),
    ) as Record<StepName, StepResult>,
    byPhase: phaseUsers.map((counts, phase) => ({
      phase: phase + 1,
      ...counts,
      p99Ms: Object.fromEntries(
        [...(phaseSteps[phase] ?? new Map()).entries()].map(([name, s]) => [name, s.summary().p99Ms]),
      ),
    })),
    cache: {
      afterSeconds: round(warmUpMs / 1000, 1),
      hitRatio: cacheAtWarm ? hitRatio(lookups) : null,
      lookups,
      xCacheHitRatio: xCache.ratio(),
      xCache: xCache.counts,
      xCacheTier,
    },
    driver: {
      eventLoopLag: eventLoopLag.summary(),
      arrivalLag: arrivalLag.summary(),
      cpuCores: own.cpuCores,
      peakRssMb: own.peakMb,
      peakUsersInFlight,
    },
  };
}

if (import.meta.main) {
  const url = process.env.BENCH_TARGET_URL;
  const file = process.env.BENCH_RESULT_FILE;
  if (!url || !file) {
    console.error("seed-scenario: BENCH_TARGET_URL and BENCH_RESULT_FILE are set by bench/run.ts");
    process.exit(2);
  }
  const result = await runSeedScenario(url, Number(process.env.BENCH_SCALE ?? 1));
  writeFileSync(file, JSON.stringify(result));
}
