// Writes a run of the capacity bench as bench/results/latest.<runtime>.json (everything),
// .md (the tables) and .svg (throughput and p99 per scenario).

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { throughputChart } from "./chart";
import type { SeedScenarioResult } from "./seed-scenario";
import { checkTargets, percent, type TargetCheck } from "./targets";
import type { ThroughputRow } from "./throughput";

export type Runtime = "embedded" | "services";

export interface SeedRun extends SeedScenarioResult {
  serverRss: { peakMb: number | null; endMb: number | null };
  serverCpuCores: number | null;
}

export interface BenchRun {
  runtime: Runtime;
  at: string;
  commit: string;
  command: string;
  machine: { cpus: number; loadAverageAtStart: number[] };
  settings: { scale: number; durationSeconds: number; connections: number; customers: number };
  seed: SeedRun | null;
  throughput: ThroughputRow[] | null;
  targets: TargetCheck[];
}

export const RESULTS = join(import.meta.dirname, "results");

export function writeReport(run: Omit<BenchRun, "targets">): {
  json: string;
  markdown: string;
  svg?: string;
} {
  const complete: BenchRun = { ...run, targets: checkTargets(run.seed, run.throughput) };
  mkdirSync(RESULTS, { recursive: true });
  const base = join(RESULTS, `latest.${run.runtime}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(complete, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdown(complete));
  if (!run.throughput) return { json: `${base}.json`, markdown: `${base}.md` };
  const title = `${run.runtime}: ${run.settings.connections} connections, ${run.settings.durationSeconds} s per scenario (${run.at.slice(0, 10)}, ${run.commit})`;
  writeFileSync(`${base}.svg`, throughputChart(run.throughput, title));
  return { json: `${base}.json`, markdown: `${base}.md`, svg: `${base}.svg` };
}

export const ms = (value: number | null) => (value === null ? "n/a" : String(value));
export const count = (value: number) => value.toLocaleString("en-US");

export function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ].join("\n");
}

export function markdown(run: BenchRun): string {
  const sections = [
    `# Capacity bench: ${run.runtime === "services" ? "PostgreSQL + Redis" : "embedded (PGlite, in-process cache)"}`,
    `${run.at} · commit ${run.commit} · ${run.machine.cpus} cores, load average ${run.machine.loadAverageAtStart.map((v) => v.toFixed(2)).join(" ")} at the start\n\n\`${run.command}\``,
  ];
  if (run.seed) sections.push(seedSection(run.seed));
  if (run.throughput) sections.push(throughputSection(run));
  sections.push(
    `## Targets (issue 9)\n\n${table(
      ["target", "measured", "met"],
      run.targets.map((t) => [t.target, t.measured, t.met === null ? "n/a" : t.met ? "yes" : "**no**"]),
    )}`,
  );
  return `${sections.join("\n\n")}\n`;
}

export function seedSection(seed: SeedRun): string {
  const phases = seed.phases
    .map((p) => `${Math.round(p.seconds * 10) / 10} s at ${p.usersPerSecond}/s (${count(p.users)} users)`)
    .join(", ");
  const steps = table(
    ["step", "request", "count", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors", "timeouts", "5xx"],
    Object.entries(seed.steps).map(([name, s]) => [
      name,
      `\`${s.request}\``,
      count(s.count),
      ms(s.p50Ms),
      ms(s.p95Ms),
      ms(s.p99Ms),
      ms(s.maxMs),
      count(s.errors),
      count(s.timeouts),
      count(s.status5xx),
    ]),
  );
  const byPhase = table(
    ["phase", "users", "failed", "p99 list", "p99 detail", "p99 login", "p99 me"],
    seed.byPhase.map((p) => [
      String(p.phase),
      count(p.users),
      count(p.failed),
      ms(p.p99Ms.list ?? null),
      ms(p.p99Ms.detail ?? null),
      ms(p.p99Ms.login ?? null),
      ms(p.p99Ms.me ?? null),
    ]),
  );
  const { users, cache, driver, serverRss } = seed;
  const xCache = Object.entries(cache.xCache)
    .map(([outcome, n]) => `${outcome} ${count(n)}`)
    .join(", ");
  return [
    `## Seed scenario (open arrivals, scale ${seed.scale})`,
    `Phases: ${phases}; ${seed.wallSeconds} s in all. 70 % browse, 30 % sign in; a user fails on any error, non-2xx or a step over 10 s.`,
    steps,
    byPhase,
    [
      `- users: ${count(users.total)}, failed ${count(users.failed)} (browse ${count(users.failedBrowse)} of ${count(users.browse)}, sign-in ${count(users.failedSignIn)} of ${count(users.signIn)})`,
      `- cache hit ratio after ${cache.afterSeconds} s (list and detail, /metrics): ${percent(cache.hitRatio)}; from X-Cache headers: ${percent(cache.xCacheHitRatio)}${xCache ? ` (${xCache})` : ""}`,
      `- server: RSS peak ${ms(serverRss.peakMb)} MB, at the end ${ms(serverRss.endMb)} MB; ${ms(seed.serverCpuCores)} cores of CPU`,
      `- driver: event-loop lag p99 ${ms(driver.eventLoopLag.p99Ms)} ms (max ${ms(driver.eventLoopLag.maxMs)}), arrivals late by p99 ${ms(driver.arrivalLag.p99Ms)} ms (max ${ms(driver.arrivalLag.maxMs)}), ${ms(driver.cpuCores)} cores of CPU, RSS ${ms(driver.peakRssMb)} MB, at most ${count(driver.peakUsersInFlight)} users in flight`,
    ].join("\n"),
  ].join("\n\n");
}

function throughputSection(run: BenchRun): string {
  const rows = run.throughput ?? [];
  return [
    `## Throughput (${run.settings.connections} connections, ${run.settings.durationSeconds} s per scenario after a 2 s warm-up)`,
    table(
      [
        "scenario",
        "request",
        "req/s",
        "× baseline",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "errors",
        "cache hit ratio",
        "peak RSS MB",
        "CPU server / generator",
      ],
      rows.map((r) => [
        r.name,
        `\`${r.request}\``,
        count(r.requestsPerSecond),
        r.ratioToBaseline === null ? "n/a" : r.ratioToBaseline.toFixed(3),
        ms(r.p50Ms),
        ms(r.p95Ms),
        ms(r.p99Ms),
        count(r.errors.total),
        percent(r.cacheHitRatio),
        ms(r.serverPeakRssMb),
        `${ms(r.serverCpuCores)} / ${ms(r.loadGeneratorCpuCores)}`,
      ]),
    ),
    `Errors are statuses other than the expected one (200, or 304 for revalidation), socket errors and timeouts. The baseline's RSS and CPU are the bare server's own. CPU is in cores of the machine's ${run.machine.cpus}: a load generator near 1 core is itself the limit. Chart: \`latest.${run.runtime}.svg\`.`,
  ].join("\n\n");
}
