// Throughput scenarios: autocannon, closed loop, BENCH_CONNECTIONS connections (64) for
// BENCH_DURATION seconds (10) each, after a 2 s warm-up, against the server and, in the same run,
// against a bare Bun.serve returning the cached product list's bytes (the baseline).
// Each scenario records requests/s, p50/p95/p99 of every response (autocannon's own figures leave
// out non-2xx, which would drop the 304s), errors, the cache hit ratio from /metrics and the
// server's peak RSS.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { type CacheLookups, hitRatio, lookupsBetween, readCacheCounter, XCacheTally } from "./cache-metrics";
import { sampleUsage } from "./process-usage";
import { BUN, freePort, REPOSITORY } from "./server";
import { type LatencySummary, round, Samples } from "./stats";

export const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 10);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const WARM_UP_SECONDS = Math.min(2, DURATION_SECONDS);

export interface ThroughputTarget {
  name: string;
  request: string;
  /** Requested in turn by each connection. */
  paths: string[];
  /** Instead of `paths`: a new path for every request (a key no cache has seen). */
  nextPath?: () => string;
  headers?: Record<string, string>;
  /** The statuses that count as answers; anything else is an error. */
  expect: number[];
  /** The operations whose cache lookups count for this scenario. */
  operationIds: string[];
}

export interface ThroughputRow extends LatencySummary {
  name: string;
  request: string;
  requestsPerSecond: number;
  /** This scenario's requests/s over the baseline's, measured in the same run. */
  ratioToBaseline: number | null;
  statuses: Record<string, number>;
  errors: { total: number; unexpectedStatus: number; socketErrors: number; timeouts: number };
  /** (hit + stale) / lookups from the server's /metrics; null when the server exports no such counter. */
  cacheHitRatio: number | null;
  cacheLookups: CacheLookups | null;
  /** From the X-Cache response headers: HIT, MISS, STALE (ABSENT when a response had none). */
  xCache: Record<string, number>;
  xCacheTier: Record<string, number>;
  serverPeakRssMb: number | null;
  /** CPU used during the measurement, in cores: with 2 in all, a generator near 1 may be the bottleneck. */
  serverCpuCores: number | null;
  loadGeneratorCpuCores: number | null;
}

const LIST = "/api/products?limit=20";
const SEARCHES = ["granny square blanket", "sleepy fox", "merino slouchy", "hedgehog pattern", "blankt"];

/** The scenarios, built against the running server (the 304 needs its current ETag). */
export async function throughputTargets(url: string): Promise<ThroughputTarget[]> {
  const etag = (await fetch(`${url}${LIST}`)).headers.get("etag");
  if (!etag) throw new Error(`GET ${LIST} sent no ETag`);
  let missCounter = 0;
  let listMissCounter = 0;
  return [
    {
      name: "product list (cached)",
      request: `GET ${LIST}`,
      paths: [LIST],
      expect: [200],
      operationIds: ["listProducts"],
    },
    {
      name: "product detail, ids 1-100",
      request: "GET /api/products/{1..100} in turn",
      paths: Array.from({ length: 100 }, (_, index) => `/api/products/${index + 1}`),
      expect: [200],
      operationIds: ["getProduct"],
    },
    {
      // The cache key covers the whole normalised query, so an unknown parameter (`bench-miss`,
      // ignored by the handler) makes a key never seen; the hit ratio recorded beside this row
      // (~0) shows that every request missed.
      name: "product detail, cache miss",
      request: "GET /api/products/{1..100}?bench-miss={n}, a new key every request",
      paths: ["/api/products/1?bench-miss=0"],
      nextPath: () => {
        missCounter += 1;
        return `/api/products/${1 + (missCounter % 100)}?bench-miss=${missCounter}`;
      },
      expect: [200],
      operationIds: ["getProduct"],
    },
    {
      // Every product costs at most 250 €, so each maxPrice above that gives the first page of the
      // whole catalog under a key (a declared parameter) the cache has never seen.
      name: "product list, cache miss",
      request: "GET /api/products?limit=20&maxPrice={25001..}, a new key every request",
      paths: [`${LIST}&maxPrice=25000`],
      nextPath: () => {
        listMissCounter += 1;
        return `${LIST}&maxPrice=${25000 + listMissCounter}`;
      },
      expect: [200],
      operationIds: ["listProducts"],
    },
    {
      name: "search",
      request: `GET /api/products?q=… (${SEARCHES.length} queries in turn)`,
      paths: SEARCHES.map((q) => `/api/products?q=${encodeURIComponent(q)}`),
      expect: [200],
      operationIds: ["listProducts"],
    },
    {
      name: "category tree",
      request: "GET /api/categories",
      paths: ["/api/categories"],
      expect: [200],
      operationIds: ["listCategories"],
    },
    {
      name: "revalidation (304)",
      request: `GET ${LIST} with If-None-Match: <current ETag>`,
      paths: [LIST],
      headers: { "if-none-match": etag },
      expect: [304],
      operationIds: ["listProducts"],
    },
  ];
}

/** Measures one target; `serverPid` is whose memory is sampled, `metrics` whether /metrics can be read. */
export async function measure(
  url: string,
  target: ThroughputTarget,
  options: { serverPid: number; metrics: boolean },
): Promise<ThroughputRow> {
  const requests = target.nextPath
    ? [
        {
          method: "GET" as const,
          setupRequest: (request: object) => ({ ...request, path: target.nextPath?.() }),
        },
      ]
    : target.paths.map((path) => ({ method: "GET" as const, path }));
  const base = {
    url: `${url}${target.paths[0]}`,
    headers: target.headers,
    connections: CONNECTIONS,
    requests,
  };
  await autocannon({ ...base, duration: WARM_UP_SECONDS });

  const latency = new Samples();
  const statuses: Record<string, number> = {};
  const xCache = new XCacheTally();
  const xCacheTier: Record<string, number> = {};
  const cacheBefore = options.metrics ? await readCacheCounter(url) : null;
  const server = sampleUsage(options.serverPid);
  const generator = sampleUsage(process.pid);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        ...base,
        duration: DURATION_SECONDS,
        // Reads X-Cache from each response's headers.
        setupClient: (client) => {
          client.on("headers", (received) => {
            const { cache, tier } = cacheFields(received);
            xCache.add(cache);
            if (tier) xCacheTier[tier] = (xCacheTier[tier] ?? 0) + 1;
          });
        },
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      latency.add(responseTime);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
  });
  const serverUsage = server.stop();
  const generatorCpuCores = generator.stop().cpuCores;
  const lookups = options.metrics
    ? lookupsBetween(cacheBefore, await readCacheCounter(url), target.operationIds)
    : null;

  const unexpectedStatus = Object.entries(statuses)
    .filter(([status]) => !target.expect.includes(Number(status)))
    .reduce((sum, [, count]) => sum + count, 0);
  const socketErrors = result.errors - result.timeouts;
  return {
    name: target.name,
    request: target.request,
    requestsPerSecond: Math.round(latency.count / result.duration),
    ratioToBaseline: null,
    ...latency.summary(),
    statuses,
    errors: {
      total: unexpectedStatus + result.errors,
      unexpectedStatus,
      socketErrors,
      timeouts: result.timeouts,
    },
    cacheHitRatio: hitRatio(lookups),
    cacheLookups: lookups,
    xCache: xCache.responses > 0 ? xCache.counts : {},
    xCacheTier,
    serverPeakRssMb: serverUsage.peakMb,
    serverCpuCores: serverUsage.cpuCores,
    loadGeneratorCpuCores: generatorCpuCores,
  };
}

/** Runs the baseline and every target; each row carries its ratio to the baseline. */
export async function runThroughput(url: string, serverPid: number): Promise<ThroughputRow[]> {
  const targets = await throughputTargets(url);
  const list = targets[0] as ThroughputTarget;
  const baseline = await startBaseline(url, list.paths[0] as string);
  let baselineRow: ThroughputRow;
  try {
    baselineRow = await measure(
      baseline.url,
      {
        ...list,
        name: "baseline: bare Bun.serve, same bytes",
        request: `the bytes of GET ${LIST}`,
        operationIds: [],
      },
      { serverPid: baseline.pid, metrics: false },
    );
    console.log(summaryLine(baselineRow));
  } finally {
    await baseline.stop();
  }
  const rows: ThroughputRow[] = [{ ...baselineRow, ratioToBaseline: 1 }];
  for (const target of targets) {
    const row = await measure(url, target, { serverPid, metrics: true });
    row.ratioToBaseline = round(row.requestsPerSecond / baselineRow.requestsPerSecond, 3);
    console.log(summaryLine(row));
    rows.push(row);
  }
  return rows;
}

/**
 * X-Cache and X-Cache-Tier of a response. autocannon's `headers` event passes its HTTP parser's
 * record, whose `headers` is a flat [name, value, name, value, ...] list (its typings say a header
 * object; both are read). Only those two names are looked for, so that the load generator's cost
 * per response does not grow with the number of fields the server sends.
 */
function cacheFields(received: unknown): { cache?: string; tier?: string } {
  const found: { cache?: string; tier?: string } = {};
  const note = (name: unknown, value: unknown) => {
    if (typeof name !== "string" || (name.length !== 7 && name.length !== 12)) return;
    const lower = name.toLowerCase();
    if (lower === "x-cache") found.cache = String(value);
    else if (lower === "x-cache-tier") found.tier = String(value);
  };
  const raw = (received as { headers?: unknown }).headers;
  if (Array.isArray(raw)) {
    for (let i = 0; i + 1 < raw.length; i += 2) note(raw[i], raw[i + 1]);
  } else if (received && typeof received === "object") {
    for (const [name, value] of Object.entries(received)) note(name, value);
  }
  return found;
}

/** The fields of a response for the baseline to send again; the server adds its own framing fields. */
function replayableHeaders(headers: Headers): [string, string][] {
  const framing = new Set(["content-length", "date", "transfer-encoding", "connection", "keep-alive"]);
  return [...headers].filter(([name]) => !framing.has(name));
}

function summaryLine(row: ThroughputRow): string {
  return `  ${row.name}: ${row.requestsPerSecond} req/s, p99 ${row.p99Ms} ms, errors ${row.errors.total}, hit ratio ${row.cacheHitRatio}`;
}

export interface Baseline {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts the bare server with the bytes the real one sends for `path`: its status, its header
 * fields (those that change per request with one fixed value) and its body, so that the client's
 * side of the comparison (parsing the same response) is the same in both.
 */
async function startBaseline(url: string, path: string): Promise<Baseline> {
  const response = await fetch(`${url}${path}`);
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
  return startBareServer(new Uint8Array(await response.arrayBuffer()), replayableHeaders(response.headers));
}

/** `bench/baseline-server.ts` answering every request with these bytes and header fields. */
export async function startBareServer(body: Uint8Array, headers: [string, string][]): Promise<Baseline> {
  const folder = mkdtempSync(join(tmpdir(), "jc-baseline-"));
  const bodyFile = join(folder, "body");
  writeFileSync(bodyFile, body);
  const port = await freePort();
  const child: ChildProcess = spawn(BUN, ["bench/baseline-server.ts"], {
    cwd: REPOSITORY,
    env: {
      ...process.env,
      PORT: String(port),
      BASELINE_BODY_FILE: bodyFile,
      BASELINE_HEADERS: JSON.stringify(headers),
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise((done) => child.once("exit", done));
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await (await fetch(baseUrl)).arrayBuffer();
      break;
    } catch (error) {
      if (attempt > 100) throw error;
      await Bun.sleep(50);
    }
  }
  return {
    url: baseUrl,
    pid: child.pid as number,
    async stop() {
      child.kill("SIGTERM");
      await exited;
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
