import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { redisSecondaryStorage } from "../../../src/platform/auth/secondary-storage";
import { connectRedis } from "../../../src/platform/redis";
import { createTestApp, type TestApp } from "../../support/app";
import { bearer, cookieHeader, json, nextMailTo, registered } from "../../support/auth";
import { deadPort, startTcpProxy, type TcpProxy } from "../../support/tcp-proxy";
import { readCode, waitFor } from "../mailer/helpers";

const NEW_PASSWORD = "granny-square-winter-77";
/** How often the session store retries the deletes Redis refused (RETRY_DELETES_EVERY_MS). */
const RETRY_EVERY_MS = 5_000;

const redisWarnings = (api: TestApp) => api.logs.filter((line) => line.msg === "redis unavailable for auth");

/** Credentials for /me: the cookie and the access token of one session. */
function credentialsOf(response: { headers: Headers; body: { accessToken: string } }) {
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return { cookie: { cookie }, token: bearer(response.body.accessToken) };
}

describe("sessions with Redis unreachable (a client for a port nothing listens on)", () => {
  let redis: Redis;
  let api: TestApp;

  beforeAll(async () => {
    redis = connectRedis(`redis://127.0.0.1:${await deadPort()}`, { keyPrefix: `test:${randomUUID()}:` });
    api = await createTestApp({ seed: false, redis });
  });

  afterAll(async () => {
    await api?.close();
    redis?.disconnect();
  });

  const me = (headers: Record<string, string>) => api.request("/api/auth/me", { headers });

  it("registers, signs in and knows the caller by cookie and by access token, from PostgreSQL", async () => {
    expect(redis.status).not.toBe("ready");
    const { account, token, cookie } = await registered(api);
    expect((await me({ cookie })).status).toBe(200);
    expect((await me(bearer(token))).status).toBe(200);

    const signedIn = await api.request(
      "/api/auth/login",
      json({ email: account.email, password: account.password }),
    );
    expect(signedIn.status).toBe(200);
    const session = credentialsOf(signedIn);
    const byCookie = await me(session.cookie);
    expect(byCookie.status).toBe(200);
    expect(byCookie.body.email).toBe(account.email);
    expect((await me(session.token)).status).toBe(200);
    expect((await api.request("/api/auth/refresh", { method: "POST", headers: session.cookie })).status).toBe(
      200,
    );

    // Redis was tried, failed, and the requests went on without it.
    expect(redisWarnings(api).length).toBeGreaterThan(0);
  });

  it("signs out and changes the password: the ended sessions stay ended", async () => {
    const { account, token, cookie } = await registered(api);
    const login = () =>
      api.request("/api/auth/login", json({ email: account.email, password: account.password }));
    const leaving = credentialsOf(await login());
    const other = credentialsOf(await login());

    expect((await api.request("/api/auth/logout", { method: "POST", headers: leaving.cookie })).status).toBe(
      204,
    );
    expect((await me(leaving.cookie)).status).toBe(401);
    expect((await me(leaving.token)).status).toBe(401);

    const changed = await api.request(
      "/api/auth/password",
      json({ currentPassword: account.password, newPassword: NEW_PASSWORD }, { cookie }),
    );
    expect(changed.status).toBe(204);
    expect((await me(other.cookie)).status).toBe(401);
    expect((await me(other.token)).status).toBe(401);
    expect((await me({ cookie })).status).toBe(200);
    expect((await me(bearer(token))).status).toBe(200);
  });

  it("mails and checks sign-in codes, which live in PostgreSQL alone", async () => {
    const { account } = await registered(api);
    expect((await api.request("/api/auth/email-otp", json({ email: account.email }))).status).toBe(202);
    const mail = await nextMailTo(api, account.email, "Your JoxiCrochet sign-in code");
    const signedIn = await api.request(
      "/api/auth/email-otp/verify",
      json({ email: account.email, code: readCode(mail.text) }),
    );
    expect(signedIn.status).toBe(200);
    expect((await me({ cookie: cookieHeader(signedIn) })).status).toBe(200);
  });
});

const REDIS_URL = process.env.REDIS_URL;

describe.skipIf(!REDIS_URL)(
  "sessions with a Redis that goes away and comes back (a proxy in front of REDIS_URL)",
  () => {
    let proxy: TcpProxy;
    let redis: Redis;
    let api: TestApp;
    const ready = () => waitFor(() => redis.status === "ready", 15_000);

    beforeAll(async () => {
      const target = new URL(REDIS_URL as string);
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
      const through = new URL(target);
      through.hostname = "127.0.0.1";
      through.port = String(proxy.port);
      redis = connectRedis(through.toString(), { keyPrefix: `test:${randomUUID()}:` });
      await ready();
      api = await createTestApp({ seed: false, redis });
    });

    afterEach(async () => {
      proxy.setMode("up");
      await ready();
    });

    afterAll(async () => {
      await api?.close();
      redis?.disconnect();
      await proxy?.close();
    });

    const me = (headers: Record<string, string>) => api.request("/api/auth/me", { headers });

    it("answers from PostgreSQL while Redis hangs (its calls time out)", async () => {
      const { account, token, cookie } = await registered(api);
      expect((await me({ cookie })).status).toBe(200);

      proxy.setMode("stalled");
      expect((await me({ cookie })).status).toBe(200);
      expect((await me(bearer(token))).status).toBe(200);
      const signedIn = await api.request(
        "/api/auth/login",
        json({ email: account.email, password: account.password }),
      );
      expect(signedIn.status).toBe(200);
      const session = credentialsOf(signedIn);
      expect((await me(session.cookie)).status).toBe(200);
      expect(
        (await api.request("/api/auth/logout", { method: "POST", headers: session.cookie })).status,
      ).toBe(204);
      expect((await me(session.cookie)).status).toBe(401);
      expect((await me(session.token)).status).toBe(401);
      expect(redisWarnings(api).some((line) => /timed out/i.test(String(line.err)))).toBe(true);
    });

    it("does not bring back a session signed out while Redis was down", async () => {
      const { token, cookie } = await registered(api);
      // Read once with Redis up, so the session is certainly cached there.
      expect((await me({ cookie })).status).toBe(200);

      proxy.setMode("down");
      expect((await api.request("/api/auth/logout", { method: "POST", headers: { cookie } })).status).toBe(
        204,
      );
      expect((await me({ cookie })).status).toBe(401);

      proxy.setMode("up");
      await ready();
      // Redis still holds the copy it had before the sign-out; it must not count.
      expect((await me({ cookie })).status).toBe(401);
      expect((await me(bearer(token))).status).toBe(401);
      await new Promise((resolve) => setTimeout(resolve, RETRY_EVERY_MS + 500));
      expect((await me({ cookie })).status).toBe(401);
    });

    it("does not bring back the sessions a password reset ended while Redis was down", async () => {
      const { account, token, cookie } = await registered(api);
      const other = credentialsOf(
        await api.request("/api/auth/login", json({ email: account.email, password: account.password })),
      );
      const sessions = [{ cookie }, bearer(token), other.cookie, other.token];
      for (const headers of sessions) expect((await me(headers)).status).toBe(200);

      proxy.setMode("down");
      expect((await api.request("/api/auth/password-reset", json({ email: account.email }))).status).toBe(
        202,
      );
      const mail = await nextMailTo(api, account.email, "Reset your password");
      const resetToken = mail.text.match(/Reset token: (\S+)/)?.[1];
      const reset = await api.request(
        "/api/auth/password-reset/confirm",
        json({ token: resetToken, newPassword: NEW_PASSWORD }),
      );
      expect(reset.status).toBe(204);
      for (const headers of sessions) expect((await me(headers)).status).toBe(401);

      proxy.setMode("up");
      await ready();
      for (const headers of sessions) expect((await me(headers)).status).toBe(401);
      await new Promise((resolve) => setTimeout(resolve, RETRY_EVERY_MS + 500));
      for (const headers of sessions) expect((await me(headers)).status).toBe(401);
    });

    it("does not bring back the sessions a password change ended while Redis was down", async () => {
      const { account, cookie } = await registered(api);
      const other = credentialsOf(
        await api.request("/api/auth/login", json({ email: account.email, password: account.password })),
      );
      expect((await me(other.cookie)).status).toBe(200);

      proxy.setMode("down");
      const changed = await api.request(
        "/api/auth/password",
        json({ currentPassword: account.password, newPassword: NEW_PASSWORD }, { cookie }),
      );
      expect(changed.status).toBe(204);
      expect((await me(other.cookie)).status).toBe(401);

      proxy.setMode("up");
      await ready();
      expect((await me(other.cookie)).status).toBe(401);
      expect((await me(other.token)).status).toBe(401);
      expect((await me({ cookie })).status).toBe(200);
    });
  },
);

describe("the Redis session store, alone (a fake Redis that fails on demand)", () => {
  function fakeRedis() {
    const data = new Map<string, string>();
    const setCalls: unknown[][] = [];
    let failing = false;
    const guard = () => {
      if (failing) throw new Error("Connection is closed.");
    };
    const client = {
      async get(key: string) {
        guard();
        return data.get(key) ?? null;
      },
      async getdel(key: string) {
        guard();
        const value = data.get(key) ?? null;
        data.delete(key);
        return value;
      },
      async set(key: string, value: string, ...rest: unknown[]) {
        guard();
        setCalls.push([key, value, ...rest]);
        data.set(key, value);
        return "OK";
      },
      async del(...keys: string[]) {
        guard();
        return keys.filter((key) => data.delete(key)).length;
      },
    };
    return {
      client: client as unknown as Redis,
      data,
      setCalls,
      fail(on: boolean) {
        failing = on;
      },
    };
  }

  let redis: ReturnType<typeof fakeRedis>;
  let errors: unknown[];
  let store: ReturnType<typeof redisSecondaryStorage>;

  beforeEach(() => {
    vi.useFakeTimers();
    redis = fakeRedis();
    errors = [];
    store = redisSecondaryStorage(redis.client, (error) => errors.push(error));
  });

  afterEach(() => {
    store.stop();
    vi.useRealTimers();
  });

  it("treats a failed read as a miss (the caller reads PostgreSQL)", async () => {
    redis.data.set("token-1", "cached");
    redis.fail(true);
    expect(await store.get("token-1")).toBeNull();
    expect(await store.getAndDelete?.("token-1")).toBeNull();
    expect(errors).toHaveLength(2);
  });

  it("retries a failed delete until Redis takes it", async () => {
    redis.data.set("token-1", "cached");
    redis.fail(true);
    await store.delete("token-1");
    await vi.advanceTimersByTimeAsync(RETRY_EVERY_MS);
    expect(redis.data.has("token-1")).toBe(true);

    redis.fail(false);
    await vi.advanceTimersByTimeAsync(RETRY_EVERY_MS);
    expect(redis.data.has("token-1")).toBe(false);
  });

  it("does not read back a copy whose delete is still pending, once Redis is back", async () => {
    redis.data.set("token-1", "cached");
    redis.fail(true);
    await store.delete("token-1");
    redis.fail(false);
    // Before the retry has run: Redis still has the stale copy.
    expect(redis.data.has("token-1")).toBe(true);
    expect(await store.get("token-1")).toBeNull();
    expect(await store.getAndDelete?.("token-1")).toBeNull();
  });

  it("leaves no stale copy behind when a write fails", async () => {
    redis.data.set("token-1", "old");
    redis.fail(true);
    await store.set("token-1", "new", 60);
    redis.fail(false);
    expect(await store.get("token-1")).toBeNull();
    await vi.advanceTimersByTimeAsync(RETRY_EVERY_MS);
    expect(redis.data.has("token-1")).toBe(false);
  });

  it("keeps one-time codes and reset tokens out of Redis", async () => {
    await store.set("verification:sign-in-otp-ada@example.com", "123456:0", 300);
    expect(redis.data.size).toBe(0);
    redis.data.set("verification:planted", "1");
    expect(await store.get("verification:planted")).toBeNull();
  });

  it("caches nothing for longer than 5 minutes", async () => {
    await store.set("token-1", "cached", 7 * 24 * 3600);
    await store.set("token-2", "cached");
    expect(redis.setCalls).toEqual([
      ["token-1", "cached", "EX", 300],
      ["token-2", "cached", "EX", 300],
    ]);
  });
});
