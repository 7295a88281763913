import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

const REPOSITORY = resolve(import.meta.dirname, "..");

/**
 * Starts the real server on 127.0.0.1 (a fresh embedded database unless DATABASE_URL is set),
 * logging as in production: one line per request, read and discarded here.
 */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "jc-bench-"));
  const child: ChildProcess = spawn(join(REPOSITORY, "node_modules/.bin/bun"), ["src/server.ts"], {
    cwd: REPOSITORY,
    // No placeholder photos drawn in the background while the load is measured.
    env: { ...process.env, HOST: "127.0.0.1", PORT: "0", DATA_DIR: dataDir, SEED_PHOTOS: "false", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((accept, reject) => {
    const timer = setTimeout(() => reject(new Error("the server did not start within 60 s")), 60_000);
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        accept(match[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`the server exited with ${code}`)));
  });
  child.stdout?.resume();
  return {
    url,
    async stop() {
      const exited = new Promise((done) => child.once("exit", done));
      child.kill("SIGTERM");
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
