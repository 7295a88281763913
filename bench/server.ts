import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export interface RunningServer {
  url: string;
  /** The server process itself (not a wrapper), for reading its memory from /proc. */
  pid: number;
  stop(): Promise<void>;
}

export const REPOSITORY = resolve(import.meta.dirname, "..");
export const BUN = join(REPOSITORY, "node_modules/.bin/bun");

/**
 * Settings of the bench server only. A load test from one client on 127.0.0.1 would otherwise
 * meet the per-IP limits (src/config.ts: RATE_LIMIT_PER_MINUTE for every request,
 * RATE_LIMIT_SCALE multiplying each operation's own `x-rate-limit`) and measure 429s. The limiter
 * still runs and counts every request: it is raised, not switched off.
 */
const BENCH_SERVER_ENV = {
  RATE_LIMIT_PER_MINUTE: "100000000",
  RATE_LIMIT_SCALE: "100000000",
  // No placeholder photos drawn in the background while the load is measured.
  SEED_PHOTOS: "false",
  // On a real database the signing keys are encrypted with this; a fixed bench-only value lets a
  // second run on the same database read the first run's keys. AUTH_SECRET in the environment wins.
  AUTH_SECRET: "bench-only-secret-never-used-outside-npm-run-bench",
};

/**
 * Starts the real server on 127.0.0.1 (a fresh embedded database unless DATABASE_URL is set),
 * logging as in production, one line per request, into /dev/null: the lines are written, as they
 * would be, but reading them here would cost the load generator CPU it shares with the server.
 * Each start gets its own Redis key prefix, so its cache starts cold.
 */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "jc-bench-"));
  const port = await freePort();
  const flags = process.env.BENCH_BUN_FLAGS?.split(" ").filter(Boolean) ?? [];
  const child: ChildProcess = spawn(BUN, [...flags, "src/server.ts"], {
    cwd: REPOSITORY,
    env: {
      ...BENCH_SERVER_ENV,
      ...process.env,
      REDIS_KEY_PREFIX: `bench:${Date.now().toString(36)}:`,
      ...env,
      HOST: "127.0.0.1",
      PORT: String(port),
      DATA_DIR: dataDir,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  await untilReady(url, exited);
  const pid = child.pid;
  if (pid === undefined) throw new Error("the server has no process id");
  return {
    url,
    pid,
    async stop() {
      child.kill("SIGTERM");
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A port nobody listens on right now (the OS picks it); the server binds it a moment later. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((listening) => probe.listen(0, "127.0.0.1", listening));
  const address = probe.address();
  await new Promise((closed) => probe.close(closed));
  if (address === null || typeof address === "string") throw new Error("no port from the OS");
  return address.port;
}

async function untilReady(url: string, exited: Promise<number | null>): Promise<void> {
  let gone: number | null | undefined;
  void exited.then((code) => {
    gone = code;
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (gone !== undefined) throw new Error(`the server exited with ${gone} before it was ready`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await Bun.sleep(200);
  }
  throw new Error("the server was not ready within 120 s");
}
