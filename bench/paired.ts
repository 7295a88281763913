// The paired scenarios of bench/scenarios.ts (`npm run bench -- catalog-reads | auth-cost | logins`):
// each target beside a cheap operation of the same server, measured in the same run.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import autocannon from "autocannon";
import type { Scenario, Target } from "./scenarios";

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

export function record(name: string, runtime: string, result: object): void {
  mkdirSync(join(import.meta.dirname, "results"), { recursive: true });
  const file = join(import.meta.dirname, "results", `${name}.${runtime}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ scenario: name, runtime, at: new Date().toISOString(), ...result }, null, 2)}\n`,
  );
}

export async function runPaired(url: string, scenario: Scenario, runtime: string): Promise<void> {
  await scenario.prepare?.(url);
  const connections = scenario.connections ?? CONNECTIONS;
  const baseline = await measure(url, "baseline", scenario.baseline(), connections);
  const rows = [baseline];
  for (const [name, target] of Object.entries(scenario.targets())) {
    rows.push(await measure(url, name, target, connections));
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
  record(scenario.name, runtime, { connections, durationSeconds: DURATION_SECONDS, rows, reference });
}
