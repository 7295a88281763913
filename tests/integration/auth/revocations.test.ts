import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Redis } from "ioredis";
import { decodeJwt } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sessionRevocations } from "../../../db/schema/index.ts";
import { revocationRecords } from "../../../src/platform/auth/revocation-records";
import { connectRedis } from "../../../src/platform/redis";
import { createTestApp, type TestApp } from "../../support/app";
import { bearer, json, registered } from "../../support/auth";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { startTcpProxy, type TcpProxy } from "../../support/tcp-proxy";
import { waitFor } from "../mailer/helpers";

// Signing out must hold however the processes around it come and go: PostgreSQL is the record,
// Redis and each process's memory are copies. Every test runs on PGlite, or on PostgreSQL when
// DATABASE_URL is set; the Redis ones need REDIS_URL.

const REDIS_URL = process.env.REDIS_URL;
const me = (api: TestApp, token: string) => api.request("/api/auth/me", { headers: bearer(token) });

function expectRefused(response: Awaited<ReturnType<typeof me>>) {
  expect(response.status).toBe(401);
  expect(response.body.code).toBe("invalid_token");
}

/** A signed-in session: its access token and its cookie. */
async function signedIn(api: TestApp, account: { email: string; password: string }) {
  const response = await api.request(
    "/api/auth/login",
    json({ email: account.email, password: account.password }),
  );
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${response.text}`);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return { token: response.body.accessToken as string, cookie };
}

/** Two sessions of one account: one is signed out (on `api`), the other stays. */
async function oneSignedOut(api: TestApp) {
  const { account } = await registered(api);
  const leaving = await signedIn(api, account);
  const staying = await signedIn(api, account);
  const out = await api.request("/api/auth/logout", { method: "POST", headers: { cookie: leaving.cookie } });
  expect(out.status).toBe(204);
  expectRefused(await me(api, leaving.token));
  return { revoked: leaving.token, valid: staying.token };
}

const sessionOf = (token: string) => decodeJwt(token).sid as string;

describe.each([{ redis: "none" }, ...(REDIS_URL ? [{ redis: "a Redis that lost everything" }] : [])])(
  "a restart on the same database (Redis: $redis)",
  ({ redis }) => {
    let database: TestDatabase;
    const env = { AUTH_SECRET: randomBytes(32).toString("hex") };
    const clients: Redis[] = [];
    /** A fresh key prefix is a Redis that holds nothing: one that restarted with the app. */
    const freshRedis = () => {
      if (redis === "none") return null;
      const client = connectRedis(REDIS_URL as string, { keyPrefix: `test:${randomUUID()}:` });
      clients.push(client);
      return client;
    };

    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(async () => {
      for (const client of clients) client.disconnect();
      await database?.cleanup();
    });

    it("refuses the access token of a session signed out before the restart", async () => {
      const before = await createTestApp({ seed: false, database, env, redis: freshRedis() });
      const { revoked, valid } = await oneSignedOut(before);
      await before.close();

      const after = await createTestApp({ seed: false, database, env, redis: freshRedis() });
      try {
        expectRefused(await me(after, revoked));
        // The restart itself ended nothing: the other session's token still works.
        expect((await me(after, valid)).status).toBe(200);
      } finally {
        await after.close();
      }
    });
  },
);

describe("two instances on one database without Redis", () => {
  let database: TestDatabase;
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { AUTH_SECRET: randomBytes(32).toString("hex") };
    first = await createTestApp({ seed: false, database, env, redis: null });
    second = await createTestApp({ seed: false, database, env, redis: null });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.cleanup();
  });

  it("refuses on the other instance, once it has read the revocations recorded since (every 5 s)", async () => {
    const { revoked, valid } = await oneSignedOut(first);
    await waitFor(async () => (await me(second, revoked)).status === 401, 15_000);
    expectRefused(await me(second, revoked));
    expect((await me(second, valid)).status).toBe(200);
  });
});

describe.skipIf(!REDIS_URL)("two instances sharing a Redis that goes away and comes back", () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  const clients: Redis[] = [];
  let first: TestApp;
  let second: TestApp;
  /** Reads and writes the apps' keys directly, not through the proxy. */
  let direct: Redis;
  const prefix = `test:${randomUUID()}:`;
  const allReady = () => waitFor(() => clients.every((client) => client.status === "ready"), 15_000);

  beforeAll(async () => {
    database = await createTestDatabase();
    const target = new URL(REDIS_URL as string);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    const through = new URL(target);
    through.hostname = "127.0.0.1";
    through.port = String(proxy.port);
    for (let i = 0; i < 2; i += 1) clients.push(connectRedis(through.toString(), { keyPrefix: prefix }));
    direct = connectRedis(REDIS_URL as string, { keyPrefix: prefix });
    await allReady();
    const env = { AUTH_SECRET: randomBytes(32).toString("hex") };
    first = await createTestApp({ seed: false, database, env, redis: clients[0] });
    second = await createTestApp({ seed: false, database, env, redis: clients[1] });
  });
  afterEach(async () => {
    proxy.setMode("up");
    await allReady();
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    for (const client of [...clients, direct]) client?.disconnect();
    await proxy?.close();
    await database?.cleanup();
  });

  it("refuses on the other instance at once while Redis is up", async () => {
    const { revoked, valid } = await oneSignedOut(first);
    expectRefused(await me(second, revoked));
    expect((await me(second, valid)).status).toBe(200);
  });

  it("refuses on the other instance a session signed out while Redis was down", async () => {
    const { account } = await registered(first);
    const leaving = await signedIn(first, account);
    proxy.setMode("down");
    const out = await first.request("/api/auth/logout", {
      method: "POST",
      headers: { cookie: leaving.cookie },
    });
    expect(out.status).toBe(204);
    // The other instance cannot ask Redis, so it asks PostgreSQL.
    expectRefused(await me(second, leaving.token));

    proxy.setMode("up");
    await allReady();
    // Redis got the revocation once it was back, so both instances refuse through it.
    await waitFor(
      async () => (await direct.exists(`revoked-session:${sessionOf(leaving.token)}`)) === 1,
      15_000,
    );
    expectRefused(await me(second, leaving.token));
    expectRefused(await me(first, leaving.token));
  });

  it("fills a Redis that restarted empty with the revocations in force, from PostgreSQL", async () => {
    const { revoked } = await oneSignedOut(first);
    const key = `revoked-session:${sessionOf(revoked)}`;
    expect(await direct.exists(key)).toBe(1);

    // A Redis restart: the data is gone (only this test's keys: the server is shared) and every
    // client reconnects.
    const keys = (await direct.keys(`${prefix}revoked-session:*`)).map((full) => full.slice(prefix.length));
    await direct.del(...keys);
    proxy.setMode("down");
    proxy.setMode("up");
    await allReady();

    await waitFor(async () => (await direct.exists(key)) === 1, 15_000);
    expect(await direct.ttl(key)).toBeGreaterThan(0);
    expectRefused(await me(second, revoked));
  });
});

describe("the revocation records", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  it("hold a revocation until it ends, then let it go and delete it", async () => {
    const records = revocationRecords(database.db);
    await records.record("session-in-force", 600);
    await records.record("session-ended", 600);
    await database.db
      .update(sessionRevocations)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(sql`${sessionRevocations.sessionId} = 'session-ended'`);

    expect(await records.isRevoked("session-in-force")).toBe(true);
    expect(await records.isRevoked("session-ended")).toBe(false);
    expect((await records.inForce()).map((row) => row.sessionId)).toEqual(["session-in-force"]);

    await records.deleteExpired();
    const left = await database.db.select({ id: sessionRevocations.sessionId }).from(sessionRevocations);
    expect(left.map((row) => row.id)).toEqual(["session-in-force"]);
  });

  it("never shorten a revocation recorded twice", async () => {
    const records = revocationRecords(database.db);
    await records.record("session-twice", 900);
    await records.record("session-twice", 1);
    const [row] = (await records.inForce()).filter((r) => r.sessionId === "session-twice");
    expect(row?.secondsLeft).toBeGreaterThan(800);
  });
});
