import { hashPassword as betterAuthHashPassword } from "better-auth/crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accounts } from "../../../db/schema/index.ts";
import { createTestApp, type TestApp } from "../../support/app";
import { bearer, json, newAccount, registered } from "../../support/auth";
import { assertMatchesContract } from "../../support/contract";
import { totp } from "../../support/totp";

/** Made once with Better-Auth 1.7.25's `hashPassword` (its default before argon2id) for newAccount()'s password. */
const LEGACY_FIXTURE =
  "329201d189174ea0c611a92917fe6c5b:72a273e879370db0b0f7e514440d6eb5d6a7b37dc882d56a4a150399f6091c68de50de8d3f16c27295d5b956fe8d060dbf23d53084054d96ff6727e7138270b0";
/** The production cost, in the PHC string: argon2id, 19 MiB, 2 passes, 1 lane. */
const CURRENT = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/;

async function storedHash(api: TestApp, userId: string): Promise<string> {
  const [row] = await api.database.db
    .select({ password: accounts.password })
    .from(accounts)
    .where(and(eq(accounts.userId, userId), eq(accounts.providerId, "credential")));
  return row?.password ?? "";
}

async function setStoredHash(api: TestApp, userId: string, hash: string): Promise<void> {
  await api.database.db
    .update(accounts)
    .set({ password: hash })
    .where(and(eq(accounts.userId, userId), eq(accounts.providerId, "credential")));
}

describe("password storage: argon2id, with Better-Auth's old scrypt hashes upgraded", () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await createTestApp({ seed: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  const login = (email: string, password: string) =>
    api.request("/api/auth/login", json({ email, password }));

  /** A registered account whose stored hash is replaced by `hash`, as if it had been stored long ago. */
  async function accountWithStoredHash(hash: string) {
    const { account, response, token } = await registered(api, newAccount("legacy"));
    const userId = response.body.user.id as string;
    await setStoredHash(api, userId, hash);
    return { account, userId, token };
  }

  it("stores a new account's password as argon2id at OWASP's minimum", async () => {
    const { response } = await registered(api);
    expect(await storedHash(api, response.body.user.id)).toMatch(CURRENT);
  });

  it.each([
    ["the fixture made by Better-Auth's hashPassword", async () => LEGACY_FIXTURE],
    ["a hash made now by Better-Auth's hashPassword", () => betterAuthHashPassword(newAccount().password)],
  ])("signs in with %s, replaces it by argon2id, and signs in again", async (_, legacyHash) => {
    const { account, userId } = await accountWithStoredHash(await legacyHash());
    expect(await storedHash(api, userId)).toMatch(/^[0-9a-f]{32}:[0-9a-f]{128}$/);

    const first = await login(account.email, account.password);
    expect(first.status).toBe(200);
    expect(first.body.status).toBe("signed_in");
    expect(await storedHash(api, userId)).toMatch(CURRENT);

    const again = await login(account.email, account.password);
    expect(again.status).toBe(200);
    const me = await api.request("/api/auth/me", { headers: bearer(again.body.accessToken) });
    expect(me.body.email).toBe(account.email);
  });

  it("keeps the old hash when the password is wrong", async () => {
    const { account, userId } = await accountWithStoredHash(LEGACY_FIXTURE);
    const refused = await login(account.email, "granny-square-spring-99");
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe("invalid_credentials");
    expect(await storedHash(api, userId)).toBe(LEGACY_FIXTURE);
  });

  it("upgrades on a password confirmation too (enabling two-factor authentication)", async () => {
    const { account, userId, token } = await accountWithStoredHash(LEGACY_FIXTURE);
    const setup = await api.request(
      "/api/auth/two-factor/enable",
      json({ password: account.password }, bearer(token)),
    );
    expect(setup.status).toBe(200);
    expect(await storedHash(api, userId)).toMatch(CURRENT);
  });

  it("upgrades at a sign-in that still waits for its second factor", async () => {
    const { account, response, token } = await registered(api, newAccount("legacy-2fa"));
    const userId = response.body.user.id as string;
    const setup = await api.request(
      "/api/auth/two-factor/enable",
      json({ password: account.password }, bearer(token)),
    );
    const confirmed = await api.request(
      "/api/auth/two-factor/verify",
      json({ code: totp(setup.body.totpUri) }, bearer(token)),
    );
    expect(confirmed.status).toBe(200);
    await setStoredHash(api, userId, LEGACY_FIXTURE);

    const pending = await login(account.email, account.password);
    expect(pending.status).toBe(200);
    expect(pending.body.status).toBe("two_factor_required");
    expect(await storedHash(api, userId)).toMatch(CURRENT);
  });
});

describe("a saturated hashing queue", () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await createTestApp({
      seed: false,
      // One hash at a time and no wait at all: whatever arrives while a password is checked is refused.
      env: { PASSWORD_HASH_CONCURRENCY: "1", PASSWORD_HASH_MAX_WAIT_SECONDS: "0", RATE_LIMIT_SCALE: "100" },
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  /**
   * As `api.request`, from a client address of its own, except that a 503 is one of the outcomes
   * this test expects: every response, 200 or 503, must still be what the contract declares.
   */
  async function send(path: string, init: RequestInit, ip: string) {
    const response = await api.app.request(path, init, {
      requestIP: () => ({ address: ip, family: "IPv4", port: 50000 }),
    });
    const text = await response.text();
    assertMatchesContract("POST", path, response, text, { expectServerError: response.status >= 500 });
    return { status: response.status, headers: response.headers, body: JSON.parse(text) };
  }

  const metricValue = (text: string, series: string) =>
    Number(text.match(new RegExp(`^${series} (\\S+)$`, "m"))?.[1] ?? Number.NaN);

  it("answers concurrent sign-ins beyond it with 503 problem+json and Retry-After, at once, the rest 200", async () => {
    const { account } = await registered(api);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        send(
          "/api/auth/login",
          json({ email: account.email, password: account.password }),
          `203.0.113.${index + 1}`,
        ),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(
      statuses.every((status) => status === 200 || status === 503),
      statuses.join(","),
    ).toBe(true);
    expect(statuses).toContain(200);
    expect(statuses).toContain(503);
    const refusals = answers.filter((answer) => answer.status === 503);
    for (const refused of refusals) {
      expect(refused.headers.get("content-type")).toBe("application/problem+json");
      expect(refused.body).toMatchObject({ status: 503, code: "overloaded" });
      expect(refused.headers.get("retry-after")).toMatch(/^[1-9][0-9]*$/);
    }

    const metrics = await api.request("/metrics");
    expect(metrics.status).toBe(200);
    expect(metricValue(metrics.text, "password_hash_refused_total")).toBe(refusals.length);
    // The registration's hash and each accepted sign-in's verification.
    expect(metricValue(metrics.text, "password_hash_duration_seconds_count")).toBe(
      1 + answers.length - refusals.length,
    );
    expect(metricValue(metrics.text, "password_hash_in_flight")).toBe(0);
    expect(metricValue(metrics.text, "password_hash_waiting")).toBe(0);
  });

  it("exports event-loop lag", async () => {
    // Measured by perf_hooks' monitorEventLoopDelay (prom-client's defaults). Only the series are
    // checked here: vitest runs on Node, whose histogram under-reports a stall; on Bun, which runs
    // the server, the e2e suite checks the values (tests/e2e/accounts.test.ts).
    const metrics = await api.request("/metrics");
    for (const series of [
      "nodejs_eventloop_lag_seconds",
      "nodejs_eventloop_lag_max_seconds",
      "nodejs_eventloop_lag_p99_seconds",
    ]) {
      expect(metrics.text).toMatch(new RegExp(`^${series} \\d`, "m"));
    }
  });
});
