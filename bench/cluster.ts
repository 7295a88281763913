// `npm run bench -- cluster`: the seed scenario through nginx against three API instances on one
// PostgreSQL and one Redis (the shape swarm/stack.yml deploys, nginx rendered from the same
// template), and in the same run the scenario against one instance, so the two read side by side.
// Needs DATABASE_URL and REDIS_URL; BENCH_SCALE and BENCH_CUSTOMERS as for the seed scenario,
// BENCH_INSTANCES (3). Written to bench/results/cluster.services.{json,md}.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startNginx } from "../tests/support/nginx";
import { runSeed, SCALE, type SeedTarget } from "./capacity";
import { count, ms, RESULTS, type SeedRun, seedSection, table } from "./report";
import { freePort, type RunningServer, startServer } from "./server";

const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 3);

/** Several instances sharing the database and Redis (one key prefix), nginx in front. */
async function cluster(): Promise<SeedTarget> {
  const port = await freePort();
  const shared = {
    // The access tokens' issuer: one address for all, or a token works only where it was made.
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    REDIS_KEY_PREFIX: `bench:cluster:${Date.now().toString(36)}:`,
    // nginx is the only client the instances see; they believe its X-Forwarded-For.
    TRUSTED_PROXIES: "127.0.0.1",
  };
  // One after the other: each start migrates (a no-op after the first) under the advisory lock.
  const servers: RunningServer[] = [];
  for (let index = 0; index < INSTANCES; index++) servers.push(await startServer(shared));
  const nginx = await startNginx(
    servers.map((server) => new URL(server.url).host),
    port,
  );
  return {
    url: nginx.url,
    pids: servers.map((server) => server.pid),
    async stop() {
      await nginx.stop();
      await Promise.all(servers.map((server) => server.stop()));
    },
  };
}

function comparison(single: SeedRun, spread: SeedRun): string {
  const row = (label: string, pick: (run: SeedRun) => string) => [label, pick(single), pick(spread)];
  const step = (name: keyof SeedRun["steps"]) =>
    row(`${name} p50 / p99 ms`, (run) => `${ms(run.steps[name].p50Ms)} / ${ms(run.steps[name].p99Ms)}`);
  return table(
    ["", "one instance", `${INSTANCES} instances behind nginx`],
    [
      row("users (failed)", (run) => `${count(run.users.total)} (${count(run.users.failed)})`),
      row("5xx / timeouts", (run) => {
        const steps = Object.values(run.steps);
        return `${count(steps.reduce((n, s) => n + s.status5xx, 0))} / ${count(steps.reduce((n, s) => n + s.timeouts, 0))}`;
      }),
      step("list"),
      step("detail"),
      step("login"),
      step("me"),
      row("cache hits (X-Cache)", (run) =>
        run.cache.xCacheHitRatio === null ? "n/a" : `${Math.round(run.cache.xCacheHitRatio * 1000) / 10} %`,
      ),
      row("API RSS peak / end MB (sum)", (run) => `${ms(run.serverRss.peakMb)} / ${ms(run.serverRss.endMb)}`),
      row("API CPU, cores (sum)", (run) => ms(run.serverCpuCores)),
      row("driver CPU, cores", (run) => ms(run.driver.cpuCores)),
    ],
  );
}

export async function runCluster(): Promise<void> {
  if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
    console.error("bench cluster: set DATABASE_URL and REDIS_URL (the instances share them)");
    process.exit(2);
  }
  console.log("cluster bench: the seed scenario against one instance");
  const single = await runSeed();
  console.log(`cluster bench: the seed scenario through nginx against ${INSTANCES} instances`);
  const spread = await runSeed(cluster);
  const at = new Date().toISOString();
  const json = join(RESULTS, "cluster.services.json");
  const markdown = join(RESULTS, "cluster.services.md");
  writeFileSync(
    json,
    `${JSON.stringify({ at, scale: SCALE, instances: INSTANCES, single, cluster: spread }, null, 2)}\n`,
  );
  writeFileSync(
    markdown,
    [
      `# Seed scenario: one instance, and ${INSTANCES} behind nginx (${at}, scale ${SCALE})`,
      comparison(single, spread),
      `# One instance\n\n${seedSection(single)}`,
      `# ${INSTANCES} instances behind nginx\n\n${seedSection(spread)}`,
    ].join("\n\n"),
  );
  console.log(`\n${comparison(single, spread)}\n\nresults: ${json}, ${markdown}`);
}
