import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestApp, type TestApp } from "../../support/app";
import { bearer, json, newAccount, registered } from "../../support/auth";
import { kidOf, rsaKey, signRs256 } from "../../support/jwt";

// How Better-Auth 1.7's jwt plugin rotates (node_modules/better-auth/dist/plugins/jwt):
//  - a key row gets `expiresAt = createdAt + rotationInterval` when it is minted (utils.mjs);
//  - signing picks the newest key whose expiresAt is still ahead, and mints a new one when there
//    is none (sign.mjs: lazy rotation at signing time, nothing runs on a timer);
//  - the key set lists every key until `expiresAt + gracePeriod` (index.mjs, getJwks).
// Every one of those decisions reads the JavaScript clock (`new Date()`, `Date.now()`), and so do
// jose's exp check and the shop's verifier. So the honest way to make a 60-second rotation happen
// is to move that clock: Date alone is faked (timers, PGlite and Redis run on real time) from
// before the app is built, so that the verifier captures the faked `Date.now` too. Backdating key
// rows instead would test a database state the plugin never produces, and leave the tokens' own
// timestamps on a different clock than the keys'.

const ROTATION_SECONDS = 60;
const TTL_SECONDS = 15 * 60;
const GRACE_SECONDS = 2 * TTL_SECONDS; // options.ts: jwks.gracePeriod

describe("signing-key rotation", () => {
  let api: TestApp;
  const t0 = Date.UTC(2026, 10, 25, 9, 0, 0);
  const at = (seconds: number) => vi.setSystemTime(t0 + seconds * 1000);

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    at(0);
    api = await createTestApp({ seed: false, env: { AUTH_KEY_ROTATION_SECONDS: String(ROTATION_SECONDS) } });
  });
  afterAll(async () => {
    await api?.close();
    vi.useRealTimers();
  });

  const me = (token: string) => api.request("/api/auth/me", { headers: bearer(token) });
  const publishedKids = async () => {
    const response = await api.request("/.well-known/jwks.json");
    expect(response.status).toBe(200);
    return (response.body.keys as { kid: string; alg: string; kty: string }[]).map((key) => {
      expect(key).toMatchObject({ alg: "RS256", kty: "RSA" });
      expect(key).not.toHaveProperty("d"); // never the private part
      return key.kid;
    });
  };

  it("rotates on the interval; the previous key verifies until its tokens expire, then leaves the key set", async () => {
    // t0: the first token mints key 1 (expires at t0 + 60 s).
    at(0);
    const { account, token: tokenA, cookie } = await registered(api, newAccount("rotation"));
    const kid1 = kidOf(tokenA);
    expect(kid1).toEqual(expect.any(String));
    expect((await me(tokenA)).status).toBe(200);
    expect(await publishedKids()).toEqual([kid1]);

    // Within the interval every token is signed by key 1.
    at(ROTATION_SECONDS - 1);
    const login = await api.request(
      "/api/auth/login",
      json({ email: account.email, password: account.password }),
    );
    expect(login.status).toBe(200);
    const lastOfKey1 = login.body.accessToken as string;
    expect(kidOf(lastOfKey1)).toBe(kid1);

    // Past the interval the next token mints key 2.
    at(ROTATION_SECONDS + 1);
    const refreshed = await api.request("/api/auth/refresh", { method: "POST", headers: { cookie } });
    expect(refreshed.status).toBe(200);
    const tokenB = refreshed.body.accessToken as string;
    const kid2 = kidOf(tokenB);
    expect(kid2).toEqual(expect.any(String));
    expect(kid2).not.toBe(kid1);
    expect((await publishedKids()).sort()).toEqual([kid1, kid2].sort());

    // Both verify: B through one reload of the keys (new kid), A from the keys already loaded.
    const getJwks = vi.spyOn(api.services.auth.auth.api, "getJwks");
    try {
      expect((await me(tokenB)).status).toBe(200);
      expect((await me(tokenA)).status).toBe(200);
      expect((await me(lastOfKey1)).status).toBe(200);
      expect((await me(tokenB)).status).toBe(200);
      expect(getJwks).toHaveBeenCalledTimes(1);
    } finally {
      getJwks.mockRestore();
    }

    // A token under a kid nobody published is refused, rotation or not.
    const stranger = await rsaKey("kid-nobody-published");
    const claims = decodeJwt(tokenB);
    const forged = await signRs256(stranger, { ...claims });
    const refusal = await me(forged);
    expect(refusal.status).toBe(401);
    expect(refusal.body.code).toBe("invalid_token");

    // Key 1's tokens live their 15 minutes, not a second more.
    const expA = decodeJwt(tokenA).exp as number;
    const expLast = decodeJwt(lastOfKey1).exp as number;
    expect(expA - (decodeJwt(tokenA).iat as number)).toBe(TTL_SECONDS);
    at(expA - t0 / 1000 - 1);
    expect((await me(tokenA)).status).toBe(200);
    at(expA - t0 / 1000);
    expect((await me(tokenA)).status).toBe(401);
    at(expLast - t0 / 1000 - 1);
    expect((await me(lastOfKey1)).status).toBe(200);
    at(expLast - t0 / 1000);
    expect((await me(lastOfKey1)).status).toBe(401);

    // Key 1 stays published for the whole grace period after it stopped signing (t0 + 60 s),
    // which outlasts every token it signed: the last one expired at t0 + 59 s + 15 min.
    expect(expLast).toBeLessThan(t0 / 1000 + ROTATION_SECONDS + GRACE_SECONDS);
    at(ROTATION_SECONDS + GRACE_SECONDS - 1);
    expect(await publishedKids()).toContain(kid1);
    at(ROTATION_SECONDS + GRACE_SECONDS + 1);
    const after = await publishedKids();
    expect(after).not.toContain(kid1);
    expect(after).toContain(kid2);
    // (Token A can no longer verify here for two reasons at once: it expired at t0 + 15 min, and
    // its key is gone. The plugin makes the first always come before the second.)
    expect((await me(tokenA)).status).toBe(401);
  });
});

describe("no database read per authenticated request", () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await createTestApp({ seed: false });
  });
  afterAll(async () => {
    await api.close();
  });

  // Counted at the driver (pg.Pool#query or PGlite#query), which every query of Drizzle, of
  // Better-Auth's adapter and of the shop goes through, so no path can hide one. The operation is
  // one the caller is not allowed to call (customer → admin list: 403), so the handler, which
  // would read the database by design, never runs: what is left is authentication and the role
  // check, decided from the token alone. Only queries on the auth tables count; the outbox worker
  // polls its own table on a timer.
  it("authenticates and authorises a Bearer token from the token alone", async () => {
    const { token } = await registered(api, newAccount("no-db"));
    expect((await api.request("/api/admin/users", { headers: bearer(token) })).status).toBe(403); // keys loaded

    const client = api.database.client as { query: (...args: unknown[]) => unknown };
    const query = vi.spyOn(client, "query");
    const getJwks = vi.spyOn(api.services.auth.auth.api, "getJwks");
    const authTableQueries = () =>
      query.mock.calls.filter(([sql]) => {
        const text = typeof sql === "string" ? sql : (sql as { text?: string }).text;
        return /"(jwks|sessions|users|accounts|two_factors)"/.test(text ?? "");
      }).length;
    try {
      for (let i = 0; i < 25; i += 1) {
        const response = await api.request("/api/admin/users", { headers: bearer(token) });
        expect(response.status).toBe(403);
        expect(response.body.code).toBe("forbidden");
      }
      expect(authTableQueries()).toBe(0);
      expect(getJwks).not.toHaveBeenCalled();

      // The counter does see queries: an unknown kid (past the reload cooldown of 10 s since the
      // keys were loaded at start-up, which this test cannot wait for) costs none either, and the
      // handler of an allowed operation reads the users table as expected.
      const stranger = await rsaKey("kid-unknown");
      const forged = await signRs256(stranger, { ...decodeJwt(token) });
      expect((await api.request("/api/admin/users", { headers: bearer(forged) })).status).toBe(401);
      expect(getJwks).not.toHaveBeenCalled();
      expect((await api.request("/api/auth/me", { headers: bearer(token) })).status).toBe(200);
      expect(authTableQueries()).toBeGreaterThan(0);
    } finally {
      query.mockRestore();
      getJwks.mockRestore();
    }
  });
});
