// The capacity bench of issue 9: the seed scenario (open arrivals) and the throughput scenarios,
// each on a server of its own started here, so that each one's memory and cache start fresh.

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { customerPool, ensureCustomers } from "./customers";
import { sampleUsage } from "./process-usage";
import type { SeedRun } from "./report";
import type { SeedScenarioResult } from "./seed-scenario";
import { BUN, REPOSITORY, startServer } from "./server";
import { runThroughput, type ThroughputRow } from "./throughput";

export const SCALE = Number(process.env.BENCH_SCALE ?? 1);
/** The driver's fetch pool (Bun's default is 256): open arrivals must never queue in the client. */
const DRIVER_MAX_REQUESTS = "4096";

/** What the seed scenario runs against: one server, or nginx in front of several (bench/cluster.ts). */
export interface SeedTarget {
  url: string;
  /** The API processes, whose memory and CPU are reported (summed when there are several). */
  pids: number[];
  stop(): Promise<void>;
}

async function singleServer(): Promise<SeedTarget> {
  const server = await startServer();
  return { url: server.url, pids: [server.pid], stop: () => server.stop() };
}

export async function runSeed(start: () => Promise<SeedTarget> = singleServer): Promise<SeedRun> {
  const target = await start();
  const folder = mkdtempSync(join(tmpdir(), "jc-seed-"));
  try {
    const pool = customerPool();
    console.log(`seed scenario: registering ${pool.length} customers`);
    await ensureCustomers(target.url, pool);
    console.log(`seed scenario: open arrivals at scale ${SCALE}`);
    const usages = target.pids.map((pid) => sampleUsage(pid));
    const resultFile = join(folder, "result.json");
    const driver = spawn(BUN, ["bench/seed-scenario.ts"], {
      cwd: REPOSITORY,
      env: {
        ...process.env,
        BENCH_TARGET_URL: target.url,
        BENCH_RESULT_FILE: resultFile,
        BENCH_SCALE: String(SCALE),
        BUN_CONFIG_MAX_HTTP_REQUESTS: DRIVER_MAX_REQUESTS,
      },
      stdio: "inherit",
    });
    const code = await new Promise<number | null>((done) => driver.once("exit", done));
    const measured = usages.map((usage) => usage.stop());
    if (code !== 0) throw new Error(`the seed scenario's driver exited with ${code}`);
    const result = JSON.parse(readFileSync(resultFile, "utf8")) as SeedScenarioResult;
    return {
      ...result,
      serverRss: { peakMb: sum(measured.map((m) => m.peakMb)), endMb: sum(measured.map((m) => m.lastMb)) },
      serverCpuCores: sum(measured.map((m) => m.cpuCores)),
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
    await target.stop();
  }
}

/** Each process's peaks may fall at different moments: their sum bounds the total from above. */
function sum(values: (number | null)[]): number | null {
  if (values.some((value) => value === null)) return null;
  return Math.round((values as number[]).reduce((total, value) => total + value, 0) * 100) / 100;
}

export async function runThroughputScenarios(): Promise<ThroughputRow[]> {
  const server = await startServer();
  try {
    console.log("throughput scenarios:");
    return await runThroughput(server.url, server.pid);
  } finally {
    await server.stop();
  }
}
