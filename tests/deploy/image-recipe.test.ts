// The image's recipe, run outside a container (no Docker engine here): the Dockerfile's own
// install command into a clean folder, its files copied as its COPY lines copy them, the
// deployment's one-shot migration job, then its CMD with its ENV, until /health/ready answers.
// Read from the Dockerfile and compose.yaml, so the test follows them if they change.
import { execFile, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { freePort } from "../../bench/server";
import { BUN, ROOT } from "../e2e/support/server";
import { createEmptyDatabase } from "../support/database";
import { type DockerStage, readDockerfile } from "./dockerfile";

const run = promisify(execFile);
const stages = readDockerfile(join(ROOT, "Dockerfile"));
const runtime = stages.at(-1) as DockerStage;
const dependencies = stages.find((stage) => stage.name === "dependencies") as DockerStage;
const compose = parse(readFileSync(join(ROOT, "compose.yaml"), "utf8")) as {
  services: Record<string, { command?: string[]; environment?: Record<string, string> }>;
};

/** Alpine's package manager has no meaning outside Alpine; npm comes with this machine's Node. */
const replayable = (command: string) => !/^apk\s/.test(command);

describe("the Dockerfile", () => {
  it("builds on the official Bun image on Alpine, as a non-root user, with the health and stop settings", () => {
    expect(stages.map((stage) => stage.from)).toEqual(
      stages.map(() => expect.stringMatching(/^oven\/bun:[\d.]+-alpine$/)),
    );
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(runtime.user).toBe("bun");
    expect(runtime.healthcheck).toMatch(/\/health\/ready\b/);
    expect(runtime.stopSignal).toBe("SIGTERM");
    // Replicas do not migrate: the migration job does (compose.yaml's `migrate` service).
    expect(runtime.env.MIGRATE_ON_START).toBe("false");
    expect(dependencies.runs.filter(replayable)).toEqual([expect.stringMatching(/^npm ci --omit=dev\b/)]);
    expect(runtime.copies.find((copy) => copy.from === "dependencies")?.sources).toEqual([
      "/app/node_modules",
    ]);
  });

  it("keeps the build context small: .dockerignore leaves out tests, local data and secrets", () => {
    const ignored = readFileSync(join(ROOT, ".dockerignore"), "utf8").split("\n");
    for (const entry of ["node_modules", ".git", ".env", ".data", "tests", "bench"])
      expect(ignored).toContain(entry);
  });
});

describe.skipIf(!process.env.DATABASE_URL)("the image's recipe, outside a container", () => {
  const build = mkdtempSync(join(tmpdir(), "jc-image-"));
  const dependencyStage = join(build, "dependencies");
  const app = join(build, "app");
  const data = join(build, "data");
  const bin = join(build, "bin");
  let database: { url: string; drop(): Promise<void> };
  let environment: Record<string, string>;

  beforeAll(async () => {
    database = await createEmptyDatabase(process.env.DATABASE_URL as string);
    // The image's Bun, and nothing else of this checkout, on the PATH.
    mkdirSync(bin);
    symlinkSync(BUN, join(bin, "bun"));
    mkdirSync(dependencyStage);
    for (const copy of dependencies.copies)
      for (const source of copy.sources) cpSync(join(ROOT, source), join(dependencyStage, source));
    for (const command of dependencies.runs.filter(replayable)) {
      await run("sh", ["-c", command], { cwd: dependencyStage, maxBuffer: 16 * 1024 * 1024 });
    }
    mkdirSync(app);
    for (const copy of runtime.copies) {
      for (const source of copy.sources) {
        const from = copy.from ? join(dependencyStage, source.replace(/^\/app\//, "")) : join(ROOT, source);
        const name = source.split("/").pop() as string;
        const to = copy.destination === "./" ? join(app, name) : join(app, copy.destination);
        cpSync(from, to, { recursive: true });
      }
    }
    environment = {
      PATH: `${bin}:/usr/bin:/bin`,
      HOME: build,
      ...runtime.env,
      // What a deployment provides (compose.yaml, swarm/stack.yml).
      DATABASE_URL: database.url,
      PUBLIC_URL: "https://shop.example",
      AUTH_SECRET: "x".repeat(48),
      PAYMENT_WEBHOOK_SECRET: `whsec_${Buffer.alloc(32, 1).toString("base64")}`,
      SEED_PHOTOS: "false",
      DATA_DIR: data,
      HOST: "127.0.0.1",
    };
  }, 240_000);

  afterAll(async () => {
    await database?.drop();
    rmSync(build, { recursive: true, force: true });
  });

  it("installs production dependencies only, from the lockfile", () => {
    expect(existsSync(join(app, "node_modules/hono/package.json"))).toBe(true);
    // Dev tools that no production package needs (vitest and typescript do come, as peers of
    // better-auth and of Scalar's components).
    for (const devOnly of [
      "@biomejs/biome",
      "autocannon",
      "bun",
      "playwright-core",
      "@redocly/cli",
      "fast-check",
    ]) {
      expect(existsSync(join(app, "node_modules", devOnly))).toBe(false);
    }
    expect(existsSync(join(app, "tests"))).toBe(false);
  });

  it("runs the migration job, then starts from its CMD and answers /health/ready and the catalog", async () => {
    const job = compose.services.migrate?.command as string[];
    const [command = "", ...args] = job;
    const migrated = await run(command, args, { cwd: app, env: environment });
    expect(migrated.stdout).toContain("migrations applied");

    const [program = "", ...programArgs] = runtime.cmd as string[];
    const port = await freePort();
    const server = spawn(program, programArgs, {
      cwd: app,
      env: { ...environment, PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    server.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    server.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => server.once("close", (code) => resolve(code)));
    try {
      const deadline = Date.now() + 60_000;
      let ready: Response | undefined;
      while (Date.now() < deadline) {
        ready = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
        if (ready?.status === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(ready?.status, output).toBe(200);
      const products = await fetch(`http://127.0.0.1:${port}/api/products?limit=5`);
      expect(products.status).toBe(200);
      expect(((await products.json()) as { data: unknown[] }).data.length).toBeGreaterThan(0);
      expect(output).not.toContain("waiting for the migration job");
    } finally {
      server.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  }, 120_000);
});
