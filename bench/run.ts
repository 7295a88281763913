// `npm run bench [-- scenario]`: autocannon against a server started here on 127.0.0.1, each
// scenario beside a baseline measured in the same run, so that results are ratios.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import autocannon from "autocannon";
import { scenarios } from "./scenarios";
import { startServer } from "./server";

const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

interface Measurement {
  name: string;
  path: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

async function measure(url: string, name: string, path: string): Promise<Measurement> {
  // Warm-up, so that JIT and caches are equal for the baseline and the scenario.
  await autocannon({ url: `${url}${path}`, connections: CONNECTIONS, duration: 2 });
  const result = await autocannon({
    url: `${url}${path}`,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
  });
  return {
    name,
    path,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
  };
}

const selected = process.argv[2];
const chosen = scenarios.filter((scenario) => !selected || scenario.name === selected);
if (chosen.length === 0) {
  console.error(`unknown scenario '${selected}'; known: ${scenarios.map((s) => s.name).join(", ")}`);
  process.exit(2);
}

const server = await startServer();
try {
  for (const scenario of chosen) {
    const baseline = await measure(server.url, "baseline", scenario.baseline);
    const rows = [baseline];
    for (const [name, path] of Object.entries(scenario.targets))
      rows.push(await measure(server.url, name, path));
    console.log(
      `\n${scenario.name}: ${scenario.description} (${CONNECTIONS} connections, ${DURATION_SECONDS} s each)`,
    );
    console.table(
      rows.map((row) => ({
        ...row,
        "req/s vs baseline": (row.requestsPerSecond / baseline.requestsPerSecond).toFixed(2),
        "p50 added (ms)": (row.p50Ms - baseline.p50Ms).toFixed(2),
      })),
    );
    mkdirSync(join(import.meta.dirname, "results"), { recursive: true });
    const file = join(import.meta.dirname, "results", `${scenario.name}.json`);
    writeFileSync(
      file,
      `${JSON.stringify({ scenario: scenario.name, at: new Date().toISOString(), rows }, null, 2)}\n`,
    );
  }
} finally {
  await server.stop();
}
