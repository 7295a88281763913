// `npm run bench [-- what]` against servers started here on 127.0.0.1, bounded in time.
//   (nothing)     the capacity bench: the seed scenario, then the throughput scenarios with their
//                 baseline; written to bench/results/latest.<embedded|services>.{json,md,svg}
//   seed          only the seed scenario          throughput   only the throughput scenarios
//   catalog-reads | auth-cost | logins | account-timing   the earlier paired scenarios
//   checkout      buyers from cart to paid order, beside a bare server (bench/checkout.ts)
//   cluster       the seed scenario on one instance, then through nginx on three (bench/cluster.ts)
// BENCH_SCALE (seed phases, 1 = 8 minutes), BENCH_DURATION (s per throughput scenario, 10),
// BENCH_CONNECTIONS (64), BENCH_CUSTOMERS (50). DATABASE_URL / REDIS_URL select the services.
// BENCH_BUN_FLAGS: flags for the server's bun (e.g. "--cpu-prof-md --cpu-prof-dir=/tmp/prof").

import { execSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { accountTiming } from "./account-timing";
import { runSeed, runThroughputScenarios, SCALE } from "./capacity";
import { runCheckout } from "./checkout";
import { runCluster } from "./cluster";
import { CUSTOMER_POOL_SIZE } from "./customers";
import { record, runPaired } from "./paired";
import { type Runtime, writeReport } from "./report";
import { scenarios } from "./scenarios";
import { startServer } from "./server";
import { CONNECTIONS, DURATION_SECONDS } from "./throughput";

const runtime: Runtime = process.env.DATABASE_URL ? "services" : "embedded";
const selected = process.argv[2];
const capacityParts = {
  seed: selected === undefined || selected === "seed",
  throughput: selected === undefined || selected === "throughput",
};

if (capacityParts.seed || capacityParts.throughput) {
  const machine = { cpus: cpus().length, loadAverageAtStart: loadavg() };
  const at = new Date().toISOString();
  const seed = capacityParts.seed ? await runSeed() : null;
  const throughput = capacityParts.throughput ? await runThroughputScenarios() : null;
  const files = writeReport({
    runtime,
    at,
    commit: commit(),
    command: commandLine(),
    machine,
    settings: {
      scale: SCALE,
      durationSeconds: DURATION_SECONDS,
      connections: CONNECTIONS,
      customers: CUSTOMER_POOL_SIZE,
    },
    seed,
    throughput,
  });
  console.log(`\nresults: ${Object.values(files).join(", ")}`);
} else if (selected === "checkout") {
  await runCheckout(runtime);
} else if (selected === "cluster") {
  await runCluster();
} else {
  const paired = scenarios.find((scenario) => scenario.name === selected);
  if (!paired && selected !== accountTiming.name) {
    const known = [
      "seed",
      "throughput",
      "checkout",
      "cluster",
      ...scenarios.map((s) => s.name),
      accountTiming.name,
    ];
    console.error(`unknown scenario '${selected}'; known: ${known.join(", ")}`);
    process.exit(2);
  }
  const server = await startServer();
  try {
    if (paired) {
      await runPaired(server.url, paired, runtime);
    } else {
      // Paired timing is not a throughput measurement.
      const rows = await accountTiming.measure(server.url);
      console.log(`\n${accountTiming.name}: ${accountTiming.description}`);
      console.table(rows);
      record(accountTiming.name, runtime, { rows });
    }
  } finally {
    await server.stop();
  }
}

function commit(): string {
  try {
    const head = execSync("git rev-parse --short HEAD", { encoding: "utf8" }).trim();
    const dirty = execSync("git status --porcelain --untracked-files=no", { encoding: "utf8" }).trim();
    return dirty ? `${head}+changes` : head;
  } catch {
    return "unknown";
  }
}

/** The command as someone would retype it: the bench's own variables, never a URL's credentials. */
function commandLine(): string {
  const names = ["BENCH_SCALE", "BENCH_DURATION", "BENCH_CONNECTIONS", "BENCH_CUSTOMERS"];
  const set = names.filter((name) => process.env[name]).map((name) => `${name}=${process.env[name]}`);
  if (process.env.DATABASE_URL) set.push("DATABASE_URL=…");
  if (process.env.REDIS_URL) set.push("REDIS_URL=…");
  return [...set, "npm run bench", ...(selected ? ["--", selected] : [])].join(" ");
}
