// `npm run bench [-- scenario]`: autocannon against a server started here on 127.0.0.1, each
// scenario beside a baseline measured in the same run, so that results are ratios.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import autocannon from "autocannon";
import { accountTiming } from "./account-timing";
import { scenarios, type Target } from "./scenarios";
import { startServer } from "./server";

const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

interface Measurement {
  name: string;
  request: string;
  requestsPerSecond: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

async function measure(url: string, name: string, target: Target, connections: number): Promise<Measurement> {
  const options = {
    url: `${url}${target.path}`,
    method: target.method ?? "GET",
    headers: target.headers,
    body: target.body,
    connections,
    ...(target.paths && { requests: target.paths.map((path) => ({ path })) }),
  };
  // Warm-up, so that JIT and caches are equal for the baseline and the targets.
  await autocannon({ ...options, duration: 2 });
  const result = await autocannon({ ...options, duration: DURATION_SECONDS });
  return {
    name,
    request: `${options.method} ${target.path}`,
    requestsPerSecond: Math.round(result.requests.average),
    meanMs: Math.round(result.latency.average * 1000) / 1000,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
  };
}

const selected = process.argv[2];
const chosen = scenarios.filter((scenario) => !selected || scenario.name === selected);
// Paired timing is not a throughput measurement: it runs only when named.
const timing = selected === accountTiming.name;
if (chosen.length === 0 && !timing) {
  const known = [...scenarios.map((s) => s.name), accountTiming.name];
  console.error(`unknown scenario '${selected}'; known: ${known.join(", ")}`);
  process.exit(2);
}
const runtime = process.env.DATABASE_URL ? "services" : "embedded";

function record(name: string, result: object): void {
  mkdirSync(join(import.meta.dirname, "results"), { recursive: true });
  const file = join(import.meta.dirname, "results", `${name}.${runtime}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ scenario: name, runtime, at: new Date().toISOString(), ...result }, null, 2)}\n`,
  );
}

// A load test from one client on 127.0.0.1 raises the limits that would otherwise answer 429.
const server = await startServer({ RATE_LIMIT_PER_MINUTE: "100000000", RATE_LIMIT_SCALE: "100000000" });
try {
  if (timing) {
    const rows = await accountTiming.measure(server.url);
    console.log(`\n${accountTiming.name}: ${accountTiming.description}`);
    console.table(rows);
    record(accountTiming.name, { rows });
  }
  for (const scenario of chosen) {
    await scenario.prepare?.(server.url);
    const connections = scenario.connections ?? CONNECTIONS;
    const baseline = await measure(server.url, "baseline", scenario.baseline(), connections);
    const rows = [baseline];
    for (const [name, target] of Object.entries(scenario.targets())) {
      rows.push(await measure(server.url, name, target, connections));
    }
    console.log(
      `\n${scenario.name}: ${scenario.description} (${connections} connections, ${DURATION_SECONDS} s each)`,
    );
    console.table(
      rows.map((row) => ({
        ...row,
        "req/s vs baseline": (row.requestsPerSecond / baseline.requestsPerSecond).toFixed(2),
        "mean added (ms)": (row.meanMs - baseline.meanMs).toFixed(3),
      })),
    );
    const reference = await scenario.reference?.();
    if (reference) console.log(`${reference.label}: ${reference.perSecond}`);
    record(scenario.name, { connections, durationSeconds: DURATION_SECONDS, rows, reference });
  }
} finally {
  await server.stop();
}
