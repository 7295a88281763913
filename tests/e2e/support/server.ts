import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll } from "vitest";
import { createDatabaseCopy } from "../../support/database";

/** The repository root: tests/e2e/support → ../../.. */
export const ROOT = resolve(import.meta.dirname, "../../..");
export const BUN = join(ROOT, "node_modules/.bin/bun");
const START_TIMEOUT_MS = 60_000;
const LISTENING = "JoxiCrochet API listening on ";
const WORKER_RUNNING = "JoxiCrochet worker running";

/**
 * Values for the child's environment; `undefined` removes a variable the helper would
 * otherwise pass on (e.g. `{ DATABASE_URL: undefined }` forces the embedded database).
 */
export type ServerEnv = Record<string, string | undefined>;

export interface RunningServer {
  /** Base URL from the listening log line, without a trailing slash (e.g. http://127.0.0.1:41234). */
  url: string;
  port: number;
  process: ChildProcess;
  /** Every line the process wrote, stdout and stderr interleaved, in arrival order. */
  logs: string[];
  /** Only the lines written to stderr. */
  stderr: string[];
  dataDir: string;
  /** Resolves with the exit code (null when killed by a signal) once the process has exited. */
  exited: Promise<number | null>;
  /**
   * Sends `signal` (SIGTERM by default), waits for the exit (force-kills after 30 s) and removes
   * the data folder when the helper created it. Safe to call more than once.
   */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface ExitedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The child's environment: only what bun needs plus the service URLs of the test run (so the
 * e2e suite also runs against real PostgreSQL/Redis in CI), then `overrides`. The rest of the
 * test runner's environment (NODE_ENV=test, VITEST_*, a stray PORT...) is not passed on.
 */
/**
 * One secret for every server the suite starts: on a shared PostgreSQL database (DATABASE_URL)
 * the token signing keys one run stores, encrypted with the secret, must open in the next.
 */
export const E2E_AUTH_SECRET = "e2e-only-secret-of-the-joxicrochet-test-suite";

let ownDatabase: Promise<{ url: string; drop(): Promise<void> }> | undefined;

/**
 * When the test run has PostgreSQL (DATABASE_URL), the database this test file's servers use: a
 * migrated copy of their own on that server, dropped after the file. A shared database would
 * carry rows of other runs into this one (signing keys encrypted under another AUTH_SECRET, say).
 */
export async function e2eDatabaseUrl(): Promise<string | undefined> {
  const server = process.env.DATABASE_URL;
  if (!server) return undefined;
  ownDatabase ??= createDatabaseCopy(server);
  return (await ownDatabase).url;
}

// Registered by every test file that imports this module, after its own hooks have stopped its servers.
afterAll(async () => {
  const database = await ownDatabase;
  ownDatabase = undefined;
  await database?.drop();
});

async function childEnv(overrides: ServerEnv): Promise<Record<string, string>> {
  const env: ServerEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    LANG: process.env.LANG,
    DATABASE_URL: "DATABASE_URL" in overrides ? undefined : await e2eDatabaseUrl(),
    REDIS_URL: process.env.REDIS_URL,
    PORT: "0",
    LOG_LEVEL: "info",
    AUTH_SECRET: E2E_AUTH_SECRET,
    // Drawing 290 photos would compete with the tests for the CPU; the seed tests cover it.
    SEED_PHOTOS: "false",
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

function collectLines(stream: NodeJS.ReadableStream | null, ...sinks: string[][]): void {
  if (!stream) return;
  let pending = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) for (const sink of sinks) sink.push(line);
  });
  stream.on("end", () => {
    if (pending) for (const sink of sinks) sink.push(pending);
    pending = "";
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolveExit) => {
    if (child.exitCode !== null || child.signalCode !== null) resolveExit(child.exitCode);
    // "close" (not "exit") so that every line of stdout/stderr has been collected by then.
    else child.once("close", (code) => resolveExit(code));
  });
}

/**
 * Spawns `bun src/server.ts` on a free port (PORT=0: Bun.serve binds an ephemeral port and the
 * logged url carries the real one) with a fresh temporary DATA_DIR unless `env.DATA_DIR` is
 * given (then the caller owns it and it is kept). Resolves once the listening line is logged.
 */
export async function startServer(env: ServerEnv = {}): Promise<RunningServer> {
  return startProcess("src/server.ts", LISTENING, env);
}

/** Spawns `bun src/worker.ts` (`npm run worker`); resolves once it says it runs. */
export async function startWorker(env: ServerEnv = {}): Promise<RunningServer> {
  return startProcess("src/worker.ts", WORKER_RUNNING, env);
}

async function startProcess(script: string, readyLine: string, env: ServerEnv): Promise<RunningServer> {
  const ownsDataDir = env.DATA_DIR === undefined;
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), "joxicrochet-e2e-"));
  const child = spawn(BUN, [script], {
    cwd: ROOT,
    env: await childEnv({ ...env, DATA_DIR: dataDir }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  const stderr: string[] = [];
  collectLines(child.stdout, logs);
  collectLines(child.stderr, logs, stderr);
  const exited = exitOf(child);

  const removeDataDir = () => {
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const stop = async (signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const force = setTimeout(() => child.kill("SIGKILL"), 30_000);
    try {
      return await exited;
    } finally {
      clearTimeout(force);
      removeDataDir();
    }
  };

  let url: string;
  try {
    url = await waitForLine(readyLine, logs, child, exited);
  } catch (error) {
    await stop("SIGKILL");
    throw error;
  }
  const port = url ? Number(new URL(url).port) : 0;
  return { url, port, process: child, logs, stderr, dataDir, exited, stop };
}

async function waitForLine(
  readyLine: string,
  logs: string[],
  child: ChildProcess,
  exited: Promise<number | null>,
): Promise<string> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  while (Date.now() < deadline) {
    for (const line of logs) {
      if (!line.includes(readyLine)) continue;
      const entry = JSON.parse(line) as { url?: string };
      // A worker listens nowhere: its "url" is empty.
      if (readyLine !== LISTENING) return "";
      if (!entry.url) throw new Error(`listening line without a url field: ${line}`);
      return entry.url.replace(/\/$/, "");
    }
    if (hasExited) {
      throw new Error(
        `process exited (code ${child.exitCode}, signal ${child.signalCode}) before "${readyLine}":\n${logs.join("\n")}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`process did not log "${readyLine}..." within ${START_TIMEOUT_MS} ms:\n${logs.join("\n")}`);
}

/** Runs the server expecting it to exit by itself (e.g. on a bad configuration). */
export async function runServerToExit(env: ServerEnv, timeoutMs = 30_000): Promise<ExitedRun> {
  const dataDir = mkdtempSync(join(tmpdir(), "joxicrochet-e2e-"));
  try {
    const child = spawn(BUN, ["src/server.ts"], {
      cwd: ROOT,
      env: await childEnv({ DATA_DIR: dataDir, ...env }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) =>
      child.once("close", (c, s) => r([c, s])),
    );
    clearTimeout(timer);
    return { code, signal, stdout, stderr };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
