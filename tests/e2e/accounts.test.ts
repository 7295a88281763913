import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { demoAccounts } from "../../db/seed/accounts.ts";
import { BUN, E2E_AUTH_SECRET, e2eDatabaseUrl, ROOT, startServer } from "./support/server";

const run = promisify(execFile);

async function signIn(url: string, email: string, password: string) {
  const response = await fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  return { status: response.status, body: (await response.json()) as { accessToken?: string } };
}

function me(url: string, token: string | undefined) {
  return fetch(`${url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
}

async function listUsers(url: string, token: string | undefined) {
  return fetch(`${url}/api/admin/users?limit=5`, { headers: { authorization: `Bearer ${token}` } });
}

describe("accounts on a running server", () => {
  it("seeds the demo admin and customer of the README on the embedded default", {
    timeout: 120_000,
  }, async () => {
    const server = await startServer({ DATABASE_URL: undefined, REDIS_URL: undefined });
    try {
      const [admin, customer] = demoAccounts;
      const asAdmin = await signIn(server.url, admin.email, admin.password);
      expect(asAdmin.status).toBe(200);
      expect((await listUsers(server.url, asAdmin.body.accessToken)).status).toBe(200);
      const asCustomer = await signIn(server.url, customer.email, customer.password);
      expect(asCustomer.status).toBe(200);
      expect((await listUsers(server.url, asCustomer.body.accessToken)).status).toBe(403);

      // On Bun, which runs the server: the two sign-ins checked the seeded argon2id hashes through
      // the queue, and the event-loop lag is measured (not stuck at zero).
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      const value = (series: string) => Number(metrics.match(new RegExp(`^${series} (\\S+)$`, "m"))?.[1]);
      expect(value("password_hash_duration_seconds_count")).toBeGreaterThanOrEqual(2);
      expect(value("password_hash_refused_total")).toBe(0);
      expect(value("nodejs_eventloop_lag_max_seconds")).toBeGreaterThan(0);
      expect(value("nodejs_eventloop_lag_p50_seconds")).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  });

  it("admin:create creates an admin who can sign in, and promotes an existing account", {
    timeout: 120_000,
  }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "jc-admin-create-"));
    const email = `staff-${Date.now()}@example.com`;
    // The CLI works on the database the server will use.
    const database = await e2eDatabaseUrl();
    const env = {
      ...process.env,
      ...(database ? { DATABASE_URL: database } : {}),
      DATA_DIR: dataDir,
      AUTH_SECRET: E2E_AUTH_SECRET,
    };
    try {
      const created = await run(BUN, ["src/cli/admin-create.ts", email, "Staff"], { cwd: ROOT, env });
      const password = /one-time password: (\S+)/.exec(created.stdout)?.[1];
      expect(password).toEqual(expect.any(String));
      const again = await run(BUN, ["src/cli/admin-create.ts", email], { cwd: ROOT, env });
      expect(again.stdout).toContain(`${email} is now an admin`);

      const server = await startServer({ DATA_DIR: dataDir });
      try {
        const session = await signIn(server.url, email, password as string);
        expect(session.status).toBe(200);
        expect((await listUsers(server.url, session.body.accessToken)).status).toBe(200);
      } finally {
        await server.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  describe.each([
    { database: "embedded PGlite in DATA_DIR", env: { DATABASE_URL: undefined } },
    ...(process.env.DATABASE_URL
      ? // A database of this file's own on that server (see e2eDatabaseUrl).
        [{ database: "PostgreSQL at DATABASE_URL", env: {} }]
      : []),
  ])("signing out, then a restart on $database without Redis", ({ env }) => {
    it("refuses the signed-out session's access token after the restart", { timeout: 120_000 }, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "jc-revocation-restart-"));
      // Without Redis, process memory was the only record of a sign-out before.
      const serverEnv = { ...env, REDIS_URL: undefined, DATA_DIR: dataDir };
      const account = { email: `leaving-${Date.now()}@example.com`, password: "granny-square-autumn-42" };
      try {
        const first = await startServer(serverEnv);
        let revoked: string | undefined;
        let valid: string | undefined;
        try {
          const registered = await fetch(`${first.url}/api/auth/register`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ ...account, name: "Leaving Knitter" }),
          });
          expect(registered.status).toBe(201);
          valid = ((await registered.json()) as { accessToken?: string }).accessToken;
          const leaving = await signIn(first.url, account.email, account.password);
          revoked = leaving.body.accessToken;
          const out = await fetch(`${first.url}/api/auth/logout`, {
            method: "POST",
            headers: { authorization: `Bearer ${revoked}` },
          });
          expect(out.status).toBe(204);
          expect((await me(first.url, revoked)).status).toBe(401);
        } finally {
          expect(await first.stop()).toBe(0);
        }

        const second = await startServer(serverEnv);
        try {
          const refused = await me(second.url, revoked);
          expect(refused.status).toBe(401);
          expect(((await refused.json()) as { code?: string }).code).toBe("invalid_token");
          // The restart ended nothing else: the registration's own session still works.
          expect((await me(second.url, valid)).status).toBe(200);
        } finally {
          await second.stop();
        }
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
});
