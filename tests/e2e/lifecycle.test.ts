import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import net from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ROOT, type RunningServer, runServerToExit, startServer } from "./support/server.ts";

const servers: RunningServer[] = [];
async function start(env?: Parameters<typeof startServer>[0]): Promise<RunningServer> {
  const server = await startServer(env);
  servers.push(server);
  return server;
}
afterEach(async () => {
  // Whatever a failed test left running; stop() is a no-op on a process that has exited.
  await Promise.all(servers.splice(0).map((server) => server.stop("SIGKILL")));
});

const logEntries = (server: RunningServer) =>
  server.logs.flatMap((line) => {
    try {
      return [JSON.parse(line) as { msg?: string; [key: string]: unknown }];
    } catch {
      return [];
    }
  });
const messages = (server: RunningServer) => logEntries(server).map((entry) => entry.msg ?? "");

async function waitFor(condition: () => boolean, what: string, server: RunningServer, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; logs:\n${server.logs.join("\n")}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** "connected" or the error code of a fresh TCP connection to the port. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? String(error)));
  });
}

describe("server process lifecycle", () => {
  it("starts on the embedded database when DATABASE_URL is not set, and answers /health", async () => {
    const server = await start({ DATABASE_URL: undefined });
    const listening = logEntries(server).find((entry) =>
      entry.msg?.startsWith("JoxiCrochet API listening on "),
    );
    expect(listening?.database).toBe("pglite");
    // PORT=0: Bun bound an ephemeral port and the logged url carries it.
    expect(server.port).toBeGreaterThan(0);
    expect(existsSync(join(server.dataDir, "pglite"))).toBe(true);

    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });
    const ready = await fetch(`${server.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { database: { status: "up", kind: "pglite" } } });

    expect(await server.stop()).toBe(0);
  }, 90_000);

  it("on SIGTERM stops accepting, completes the requests in flight, logs 'stopped' and exits 0", async () => {
    // What this proves: responses the server is still sending when SIGTERM arrives are delivered
    // in full, the process waits for them (rather than exiting once the handlers returned),
    // the listening socket is closed while it waits, and the exit is clean (code 0, "stopped").
    //
    // How "in flight" is made deterministic without a slow endpoint: several clients request
    // /docs/scalar.js (~4 MB) and stop reading as soon as the status line and headers arrive, so
    // the server cannot finish writing the bodies (TCP flow control). SIGTERM is sent then, and
    // the process must still be running a while later; only then do the clients read on.
    //
    // What it does not prove: a handler still awaiting I/O (the database, say) when the signal
    // arrives is allowed to finish; connections still in the kernel's accept queue, or requests
    // not yet read off an open keep-alive connection, are served. No endpoint is slow enough to
    // hit those windows deterministically.
    const server = await start();
    // The services of the test run are the ones the server uses (so CI covers closing them).
    const listening = logEntries(server).find((entry) =>
      entry.msg?.startsWith("JoxiCrochet API listening on "),
    );
    expect(listening).toMatchObject({
      database: process.env.DATABASE_URL ? "postgres" : "pglite",
      cache: process.env.REDIS_URL ? "redis" : "memory",
    });
    const REQUESTS = 4;
    const expectedScript = readFileSync(
      join(
        dirname(createRequire(join(ROOT, "package.json")).resolve("@scalar/api-reference")),
        "browser/standalone.js",
      ),
    );
    const expectedHash = createHash("sha256").update(expectedScript).digest("hex");

    const responses = await Promise.all(
      Array.from(
        { length: REQUESTS },
        () =>
          new Promise<http.IncomingMessage>((resolve, reject) => {
            const request = http.get(`${server.url}/docs/scalar.js`, { agent: false }, (response) => {
              response.pause();
              resolve(response);
            });
            request.on("error", reject);
          }),
      ),
    );
    for (const response of responses) expect(response.statusCode).toBe(200);

    server.process.kill("SIGTERM");
    await waitFor(
      () => messages(server).some((m) => m.startsWith("stopping")),
      "the stopping log line",
      server,
    );

    // The listener is closed right after that line is logged; a new connection is refused.
    await expect.poll(() => tryConnect(server.port), { timeout: 2_000, interval: 50 }).toBe("ECONNREFUSED");

    // Still running: it is waiting for the unread responses. (Should this fail, the bodies fit in
    // the socket buffers, nothing was in flight and the rest of this test would prove nothing.)
    await new Promise((r) => setTimeout(r, 500));
    expect(server.process.exitCode, `exited before the responses were read:\n${server.logs.join("\n")}`).toBe(
      null,
    );
    expect(messages(server)).not.toContain("stopped");

    const bodies = await Promise.all(
      responses.map(
        (response) =>
          new Promise<Buffer>((resolve, reject) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () =>
              response.complete ? resolve(Buffer.concat(chunks)) : reject(new Error("cut")),
            );
            response.on("error", reject);
            response.resume();
          }),
      ),
    );
    for (const [i, body] of bodies.entries()) {
      expect(body.length).toBe(Number(responses[i]?.headers["content-length"]));
      expect(createHash("sha256").update(body).digest("hex")).toBe(expectedHash);
    }

    expect(await server.exited).toBe(0);
    expect(messages(server)).toContain("stopped");
    expect(server.process.signalCode).toBe(null);
  }, 90_000);

  it("exits 1 with one line on stderr naming PORT when PORT is invalid", async () => {
    const run = await runServerToExit({ PORT: "abc" });
    expect(run.code).toBe(1);
    const lines = run.stderr.split("\n").filter((line) => line !== "");
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid PORT: /);
    expect(run.stdout).toBe("");
  }, 60_000);

  describe.each([
    { database: "embedded PGlite in DATA_DIR", env: { DATABASE_URL: undefined } },
    ...(process.env.DATABASE_URL
      ? // A database of this file's own on that server (see e2eDatabaseUrl).
        [{ database: "PostgreSQL at DATABASE_URL", env: {} }]
      : []),
  ])("restart on $database", ({ env }) => {
    it("keeps the data and does not seed again", async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "joxicrochet-e2e-restart-"));
      try {
        const first = await start({ ...env, DATA_DIR: dataDir });
        const before = await fetch(`${first.url}/api/categories`);
        expect(before.status).toBe(200);
        const tree = (await before.json()) as { data: unknown[] };
        expect(tree.data.length).toBeGreaterThan(0);
        if ("DATABASE_URL" in env) {
          // A fresh folder: the first start seeds the catalog.
          expect(messages(first).some((m) => m.startsWith("seed: "))).toBe(true);
        }
        expect(await first.stop()).toBe(0);
        expect(existsSync(dataDir)).toBe(true); // the caller's folder is kept

        const second = await start({ ...env, DATA_DIR: dataDir });
        const after = await fetch(`${second.url}/api/categories`);
        expect(after.status).toBe(200);
        // Same ids, names and tree: the data survived and nothing was seeded on top of it.
        expect(await after.json()).toEqual(tree);
        expect(messages(second).filter((m) => m.startsWith("seed: "))).toEqual([]);
        expect(await second.stop()).toBe(0);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }, 120_000);
  });
});
