import { eq } from "drizzle-orm";
import { decodeJwt, decodeProtectedHeader, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { accounts, twoFactors, users } from "../../../db/schema/index.ts";
import { policies } from "../../../generated/server";
import type { ApiResponse, TestApp } from "../../support/app";
import { createTestApp } from "../../support/app";
import { bearer, cookieHeader, json, newAccount, registered } from "../../support/auth";
import { exampleHeaders, examplePath } from "../../support/contract";
import { hs256WithPublicKey, rsaKey, signRs256, tampered, unsignedTokens } from "../../support/jwt";
import { totp } from "../../support/totp";

// The attacks the issue lists, each through the whole app (routing, authentication, rate limits,
// validation, handlers, contract check of every response).

let api: TestApp;
beforeAll(async () => {
  api = await createTestApp({ seed: false });
  // With REDIS_URL the connection is still opening here, and it fails fast rather than queueing:
  // a request now would send the rate limiter to its in-process fallback for 5 s, and a brute-force
  // run straddling the switch back to Redis would be counted half in each. Wait for the shared
  // connection as a readiness probe would (a no-op on the in-process cache).
  await api.cache.ping();
});
afterAll(async () => {
  await api.close();
});

/** A client address of its own, so that one test's counters cannot touch another's. */
let lastOctet = 0;
const freshIp = () => {
  lastOctet += 1;
  return `203.0.113.${lastOctet}`;
};

async function signedInAdmin() {
  const account = newAccount("staff");
  await api.services.auth.auth.api.createUser({ body: { ...account, role: "admin" } });
  const login = await api.request(
    "/api/auth/login",
    json({ email: account.email, password: account.password }),
  );
  expect(login.status).toBe(200);
  expect(login.body.user.role).toBe("admin");
  return { account, token: login.body.accessToken as string, cookie: cookieHeader(login) };
}

function expectInvalidToken(response: ApiResponse) {
  expect(response.status).toBe(401);
  expect(response.body.code).toBe("invalid_token");
  expect(response.headers.get("www-authenticate")).toBe('Bearer realm="joxicrochet", error="invalid_token"');
}

describe("access tokens", () => {
  let genuine: string;
  let published: JWK;

  beforeAll(async () => {
    ({ token: genuine } = await registered(api));
    const jwks = await api.request("/.well-known/jwks.json");
    expect(jwks.status).toBe(200);
    [published] = jwks.body.keys;
  });

  const me = (token: string) => api.request("/api/auth/me", { headers: bearer(token) });
  /** Better-Auth's server-only signer: the shop's real, current private key. */
  const signWithRealKey = async (payload: Record<string, unknown>) =>
    (await api.services.auth.auth.api.signJWT({ body: { payload } })).token;

  it("are RS256 under a published kid, live 15 minutes, and carry only subject, role and session", async () => {
    const header = decodeProtectedHeader(genuine);
    expect(header.alg).toBe("RS256");
    expect(header.kid).toBe(published.kid);
    expect(published).toMatchObject({ kty: "RSA", alg: "RS256" });
    expect(published).not.toHaveProperty("d");
    const claims = decodeJwt(genuine);
    expect(Object.keys(claims).sort()).toEqual(["aud", "exp", "iat", "iss", "role", "sid", "sub"]);
    expect(claims).toMatchObject({ aud: "joxicrochet-api", role: "customer" });
    expect((claims.exp as number) - (claims.iat as number)).toBe(15 * 60);
    expect((await me(genuine)).status).toBe(200);
  });

  it("refuses alg none (jose's encoding, and ones naming the published kid)", async () => {
    for (const token of unsignedTokens(decodeJwt(genuine), published.kid as string)) {
      expectInvalidToken(await me(token));
    }
  });

  it("refuses HS256 signed with the published public key as the HMAC secret", async () => {
    // PEM (with and without the final newline), the JWK's JSON, the raw modulus.
    for (const token of await hs256WithPublicKey(published, decodeJwt(genuine))) {
      expectInvalidToken(await me(token));
    }
  });

  it("refuses a token signed by another RSA key under the published kid", async () => {
    const impostor = await rsaKey(published.kid as string);
    expectInvalidToken(await me(await signRs256(impostor, decodeJwt(genuine))));
  });

  it("refuses a token under a kid nobody published", async () => {
    const stranger = await rsaKey("kid-of-nobody");
    expectInvalidToken(await me(await signRs256(stranger, decodeJwt(genuine))));
  });

  it("refuses a tampered payload: a customer token raised to admin is 401, not 200 and not even 403", async () => {
    const raised = tampered(genuine, (claims) => ({ ...claims, role: "admin" }));
    expectInvalidToken(await api.request("/api/admin/users", { headers: bearer(raised) }));
    expect((await api.request("/api/admin/users", { headers: bearer(genuine) })).status).toBe(403);
    const prolonged = tampered(genuine, (claims) => ({ ...claims, exp: (claims.exp as number) + 86_400 }));
    expectInvalidToken(await me(prolonged));
    const otherSession = tampered(genuine, (claims) => ({ ...claims, sub: "someone-else" }));
    expectInvalidToken(await me(otherSession));
  });

  // The next cases are signed by the real key (Better-Auth's server-only signJWT), so the
  // signature is good and only the one claim under test is wrong: they prove the claim checks
  // themselves, not the signature check again. (The clock-driven version of expiry, on tokens
  // the app issued itself, is in rotation.test.ts; the verifier alone in tests/unit/auth.)
  it("refuses an expired token signed by the real key", async () => {
    const now = Math.floor(Date.now() / 1000);
    const { exp: _exp, iat: _iat, ...claims } = decodeJwt(genuine);
    const control = await signWithRealKey({ ...claims, iat: now - 60, exp: now + 840 });
    expect((await me(control)).status).toBe(200);
    expectInvalidToken(await me(await signWithRealKey({ ...claims, iat: now - 901, exp: now - 1 })));
  });

  it("refuses a token not valid yet (nbf ahead) signed by the real key", async () => {
    const now = Math.floor(Date.now() / 1000);
    const { exp: _exp, iat: _iat, ...claims } = decodeJwt(genuine);
    expectInvalidToken(
      await me(await signWithRealKey({ ...claims, iat: now, nbf: now + 120, exp: now + 900 })),
    );
  });

  it("refuses another issuer or another audience, signed by the real key", async () => {
    const { exp: _exp, iat: _iat, ...claims } = decodeJwt(genuine);
    expectInvalidToken(await me(await signWithRealKey({ ...claims, iss: "https://evil.example" })));
    expectInvalidToken(await me(await signWithRealKey({ ...claims, aud: "another-api" })));
  });

  it("refuses a token signed by the real key without a session or a role", async () => {
    const { sid: _sid, exp: _exp, iat: _iat, ...noSession } = decodeJwt(genuine);
    const { role: _role, exp: _e, iat: _i, ...noRole } = decodeJwt(genuine);
    expectInvalidToken(await me(await signWithRealKey(noSession)));
    expectInvalidToken(await me(await signWithRealKey(noRole)));
  });

  it("answers 401, never 500, to malformed credentials", async () => {
    for (const token of [
      "x",
      "a.b.c",
      "a.b",
      `${genuine}x`,
      genuine.split(".").slice(0, 2).join("."),
      ".....",
    ]) {
      expectInvalidToken(await me(token));
    }
    for (const authorization of ["Basic dXNlcjpwYXNz", "Bearer", "Bearer  ", `Token ${genuine}`]) {
      const response = await api.request("/api/auth/me", { headers: { authorization } });
      expect(response.status).toBe(401);
    }
  });
});

describe("revoked sessions", () => {
  it("refuses the access token of a signed-out session at once, while the same user's other sessions go on", async () => {
    const { account, token, cookie } = await registered(api);
    const second = await api.request(
      "/api/auth/login",
      json({ email: account.email, password: account.password }),
    );
    const otherToken = second.body.accessToken as string;
    expect((await api.request("/api/auth/logout", { method: "POST", headers: { cookie } })).status).toBe(204);
    expectInvalidToken(await api.request("/api/auth/me", { headers: bearer(token) }));
    expect((await api.request("/api/auth/me", { headers: bearer(otherToken) })).status).toBe(200);
  });

  it("refuses the access tokens of the other sessions after a password change", async () => {
    const { account, token } = await registered(api);
    const second = await api.request(
      "/api/auth/login",
      json({ email: account.email, password: account.password }),
    );
    const otherToken = second.body.accessToken as string;
    const changed = await api.request(
      "/api/auth/password",
      json({ currentPassword: account.password, newPassword: "chain-stitch-winter-77" }, bearer(token)),
    );
    expect(changed.status).toBe(204);
    expectInvalidToken(await api.request("/api/auth/me", { headers: bearer(otherToken) }));
    expect((await api.request("/api/auth/me", { headers: bearer(token) })).status).toBe(200);
  });
});

describe("no account enumeration", () => {
  /** Everything a client can see of a refusal except what differs per request. */
  const visible = (response: ApiResponse) => {
    const { requestId: _requestId, ...body } = response.body;
    return {
      status: response.status,
      contentType: response.headers.get("content-type"),
      wwwAuthenticate: response.headers.get("www-authenticate"),
      setCookie: response.headers.getSetCookie(),
      body,
    };
  };

  // Compared: status, headers that could differ, and the whole problem document (code, title,
  // detail, type, instance, the set of fields). Not compared: timing. The code path is what makes
  // timing equal (Better-Auth hashes the offered password for an unknown address too, checked
  // below by counting hash calls); a stopwatch over a few scrypt runs on a shared CI machine
  // would measure the machine, and a test that flakes teaches people to ignore it.
  it("answers a wrong password and an unknown address alike", async () => {
    const { account } = await registered(api);
    const wrongPassword = await api.request(
      "/api/auth/login",
      json({ email: account.email, password: "not-the-password-1" }),
      { ip: freshIp() },
    );
    const unknownEmail = await api.request(
      "/api/auth/login",
      json({ email: `nobody-${account.email}`, password: "not-the-password-1" }),
      { ip: freshIp() },
    );
    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.body.code).toBe("invalid_credentials");
    expect(visible(unknownEmail)).toEqual(visible(wrongPassword));
  });

  it("does the same expensive work for an unknown address (one password hash) as for a known one", async () => {
    const { account } = await registered(api);
    const context = await api.services.auth.auth.$context;
    const hash = vi.spyOn(context.password, "hash");
    const verify = vi.spyOn(context.password, "verify");
    try {
      await api.request(
        "/api/auth/login",
        json({ email: `nobody-${account.email}`, password: "x-password-1" }),
      );
      expect(hash).toHaveBeenCalledTimes(1);
      expect(verify).toHaveBeenCalledTimes(0);
      hash.mockClear();
      await api.request("/api/auth/login", json({ email: account.email, password: "x-password-1" }));
      expect(hash).toHaveBeenCalledTimes(0);
      expect(verify).toHaveBeenCalledTimes(1);
    } finally {
      hash.mockRestore();
      verify.mockRestore();
    }
  });

  it("answers a reset or a sign-in code request alike for known and unknown addresses", async () => {
    const { account } = await registered(api);
    for (const path of ["/api/auth/password-reset", "/api/auth/email-otp"]) {
      const known = await api.request(path, json({ email: account.email }), { ip: freshIp() });
      const unknown = await api.request(path, json({ email: `nobody-${account.email}` }), { ip: freshIp() });
      expect(known.status).toBe(202);
      expect([unknown.status, unknown.text, unknown.headers.get("content-type")]).toEqual([
        known.status,
        known.text,
        known.headers.get("content-type"),
      ]);
    }
  });
});

describe("strict bodies: nobody sets their own role, verification or ban", () => {
  const privileged = { role: "admin", emailVerified: true, banned: false } as const;

  it("refuses registration with role, emailVerified or banned, naming the field, and creates nothing", async () => {
    const account = newAccount("escalate");
    for (const [field, value] of Object.entries(privileged)) {
      const response = await api.request("/api/auth/register", json({ ...account, [field]: value }), {
        ip: freshIp(),
      });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe("validation_failed");
      expect(response.body.errors).toEqual([
        { location: "body", field, pointer: `/${field}`, message: expect.stringMatching(/unknown field/i) },
      ]);
    }
    const all = await api.request("/api/auth/register", json({ ...account, ...privileged }), {
      ip: freshIp(),
    });
    expect(all.status).toBe(400);
    expect(all.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(
      Object.keys(privileged).sort(),
    );
    expect(await api.database.db.select().from(users).where(eq(users.email, account.email))).toEqual([]);

    // Nothing half-made stands in the way: the address registers normally, as a plain customer.
    const { response } = await registered(api, account);
    expect(response.body.user).toMatchObject({ role: "customer", emailVerified: false });
    const [row] = await api.database.db.select().from(users).where(eq(users.email, account.email));
    expect(row).toMatchObject({ role: "customer", emailVerified: false, banned: false });
  });

  it("refuses them in the body of every operation that takes one", async () => {
    const { token } = await registered(api);
    // Staff operations answer a customer 403 before reading the body; their strictness is
    // tested with an admin in tests/integration/products/manage.test.ts. A payment provider's
    // webhook carries the provider's event, open by design and believed only once signed.
    const withBody = Object.values(policies).filter(
      (policy) =>
        policy.body?.mediaTypes.includes("application/json") &&
        policy.roles.length === 0 &&
        policy.operationId !== "receivePaymentWebhook",
    );
    expect(withBody.length).toBeGreaterThanOrEqual(10);
    for (const policy of withBody) {
      // A well-formed path (each parameter's example): the body is judged before any lookup.
      const path = examplePath(policy.path, policy.method);
      const headers = { ...bearer(token), ...exampleHeaders(policy.path, policy.method) };
      const init = { ...json(privileged, headers), method: policy.method };
      const response = await api.request(path, init, { ip: freshIp() });
      expect(response.status, `${policy.operationId}: ${response.text}`).toBe(400);
      const named = response.body.errors.map((error: { field?: string }) => error.field);
      expect(named, policy.operationId).toEqual(expect.arrayContaining(Object.keys(privileged)));
    }
    const me = await api.request("/api/auth/me", { headers: bearer(token) });
    expect(me.body).toMatchObject({ role: "customer", emailVerified: false });
  });

  it("does not expose Better-Auth's own endpoints (update-user, admin set-role, sign-up)", async () => {
    const { token } = await registered(api);
    for (const path of [
      "/api/auth/update-user",
      "/api/auth/admin/set-role",
      "/api/auth/admin/unban-user",
      "/api/auth/sign-up/email",
      "/api/auth/sign-in/email",
      "/api/auth/token",
    ]) {
      const response = await api.request(path, json({ ...privileged, userId: "x" }, bearer(token)));
      expect(response.status, path).toBe(404);
    }
  });
});

describe("brute force on sign-in", () => {
  const login = (email: string, password: string, ip: string) =>
    api.request("/api/auth/login", json({ email, password }), { ip });

  function expectRateLimited(response: ApiResponse) {
    expect(response.status).toBe(429);
    expect(response.body).toMatchObject({ status: 429, code: "rate_limited" });
    const retryAfter = Number(response.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 120).toBe(true);
    expect(response.headers.get("ratelimit")).toMatch(/^"signIn";r=0;t=\d+$/);
    expect(response.headers.get("ratelimit-policy")).toContain('"signIn";q=5;w=60');
    expect(response.headers.get("ratelimit-policy")).toContain('"general";q=100;w=60');
  }

  it("ends in 429 after 5 tries for one address from one client, and a right password does not get through", async () => {
    const { account } = await registered(api);
    const ip = freshIp();
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const response = await login(account.email, `wrong-password-${attempt}`, ip);
      expect(response.status).toBe(401);
      // t: seconds until the whole quota is back, up to two windows with the sliding window.
      expect(response.headers.get("ratelimit")).toMatch(new RegExp(`^"signIn";r=${5 - attempt};t=\\d+$`));
    }
    expectRateLimited(await login(account.email, "wrong-password-6", ip));
    // Past the limit the answer no longer depends on the password: no oracle for the last guess.
    expectRateLimited(await login(account.email, account.password, ip));
  });

  it("counts per address across clients (a botnet), whatever the case of the address", async () => {
    const { account } = await registered(api);
    const spellings = [account.email, account.email.toUpperCase()];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const response = await login(spellings[attempt % 2] as string, "wrong-password", freshIp());
      expect(response.status).toBe(401);
    }
    expectRateLimited(await login(account.email.toUpperCase(), "wrong-password", freshIp()));
    // Another address is not held back by it.
    const other = await registered(api);
    expect((await login(other.account.email, other.account.password, freshIp())).status).toBe(200);
  });

  it("counts per client across addresses (password spraying)", async () => {
    const ip = freshIp();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await login(`spray-${attempt}@example.com`, "Winter2026!", ip)).status).toBe(401);
    }
    expectRateLimited(await login("spray-5@example.com", "Winter2026!", ip));
  });
});

describe("secrets never leave the server", () => {
  it("keeps password, hash, TOTP secret and backup codes out of every later response and every log line", async () => {
    // Log lines: the app's own (pino, `api.logs`), and whatever goes to the console, where
    // Better-Auth's logger writes (its warnings bypass pino).
    const consoleLines: string[] = [];
    const consoleSpies = (["log", "info", "warn", "error", "debug"] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        consoleLines.push(args.map((arg) => (typeof arg === "string" ? arg : JSON.stringify(arg))).join(" "));
      }),
    );
    onTestFinished(() => {
      for (const spy of consoleSpies) spy.mockRestore();
    });
    const seen: ApiResponse[] = [];
    const call = async (path: string, init?: RequestInit) => {
      const response = await api.request(path, init);
      seen.push(response);
      return response;
    };

    const { account, response: registration } = await registered(api, newAccount("secrets"));
    seen.push(registration);
    const userId = registration.body.user.id as string;
    const firstToken = registration.body.accessToken as string;

    // The one response that carries secrets, by design: the owner's own setup, once.
    const setup = await api.request(
      "/api/auth/two-factor/enable",
      json({ password: account.password }, bearer(firstToken)),
    );
    expect(setup.status).toBe(200);
    const totpUri = setup.body.totpUri as string;
    const backupCodes = setup.body.backupCodes as string[];
    expect(backupCodes.length).toBeGreaterThan(0);
    const confirmed = await call(
      "/api/auth/two-factor/verify",
      json({ code: totp(totpUri) }, bearer(firstToken)),
    );
    expect(confirmed.status).toBe(200);
    const token = confirmed.body.accessToken as string;

    const [credential] = await api.database.db.select().from(accounts).where(eq(accounts.userId, userId));
    const [factor] = await api.database.db.select().from(twoFactors).where(eq(twoFactors.userId, userId));
    const hash = credential?.password as string;
    expect(hash).toBeTruthy();
    expect(factor).toBeDefined();
    const secrets: Record<string, string> = {
      password: account.password,
      "password hash": hash,
      "TOTP secret": new URL(totpUri).searchParams.get("secret") as string,
      "TOTP URI": totpUri,
      "stored TOTP secret": factor?.secret as string,
      "stored backup codes": factor?.backupCodes as string,
    };
    // The salt and the key of the argon2id PHC string too, should anything print it in pieces.
    expect(hash).toMatch(/^\$argon2id\$/);
    for (const [index, part] of hash.split("$").slice(-2).entries())
      secrets[`password hash part ${index}`] = part;
    for (const [index, code] of backupCodes.entries()) secrets[`backup code ${index}`] = code;
    for (const [name, value] of Object.entries(secrets)) expect(value.length, name).toBeGreaterThanOrEqual(8);
    // The search below does find them where they are meant to be: in the owner's setup answer.
    expect(setup.text).toContain(secrets["TOTP secret"]);
    for (const code of backupCodes) expect(setup.text).toContain(code);

    // Afterwards: everything a client or staff can ask for about the account.
    await call("/api/auth/me", { headers: bearer(token) });
    await call("/api/auth/me", { headers: { cookie: cookieHeader(confirmed) } });
    const pending = await call("/api/auth/login", json({ email: account.email, password: account.password }));
    expect(pending.body).toEqual({ status: "two_factor_required" });
    const viaBackup = await call(
      "/api/auth/two-factor/backup-codes/verify",
      json({ code: backupCodes[0] }, { cookie: cookieHeader(pending) }),
    );
    expect(viaBackup.status).toBe(200);
    await call("/api/auth/login", json({ email: account.email, password: "not-the-password-1" }));
    await call("/api/auth/refresh", { method: "POST", headers: { cookie: cookieHeader(viaBackup) } });
    await call("/api/auth/two-factor/disable", json({ password: "not-the-password-1" }, bearer(token)));
    await call(
      "/api/auth/password",
      json({ currentPassword: "nope-nope-nope", newPassword: "x" }, bearer(token)),
    );
    const admin = await signedInAdmin();
    const list = await call("/api/admin/users?limit=100", { headers: bearer(admin.token) });
    expect(list.status).toBe(200);
    const listed = (list.body.data as Record<string, unknown>[]).find((user) => user.id === userId);
    expect(listed).toMatchObject({ twoFactorEnabled: true });
    for (const user of list.body.data as Record<string, unknown>[]) {
      expect(Object.keys(user).sort()).toEqual(
        ["createdAt", "email", "emailVerified", "id", "name", "role", "twoFactorEnabled"].sort(),
      );
    }
    await call("/api/auth/logout", { method: "POST", headers: bearer(token) });

    const responses = seen.map((response) => {
      const headers = [...response.headers.entries()].map(([name, value]) => `${name}: ${value}`).join("\n");
      return `${response.status}\n${headers}\n\n${response.text}`;
    });
    const logs = [...api.logs.map((line) => JSON.stringify(line)), ...consoleLines];
    expect(logs.length).toBeGreaterThan(seen.length);
    // Better-Auth's own messages reach the app's logger (at debug level), so the search covers them.
    expect(
      api.logs.some(
        (line) => line.component === "better-auth" && String(line.msg).includes("Invalid password"),
      ),
    ).toBe(true);
    for (const [name, value] of Object.entries(secrets)) {
      const inResponses = responses.filter((text) => text.includes(value));
      const inLogs = logs.filter((line) => line.includes(value));
      expect(inResponses, `${name} in a response`).toEqual([]);
      expect(inLogs, `${name} in a log line`).toEqual([]);
    }
    // The setup answer is never stored by a cache on the way.
    expect(setup.headers.get("cache-control")).toBe("no-store");
  });
});

describe("roles", () => {
  it("answers 401 without credentials, 403 to a customer, 200 to an admin", async () => {
    const anonymous = await api.request("/api/admin/users");
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe("unauthenticated");

    const customer = await registered(api);
    for (const headers of [bearer(customer.token), { cookie: customer.cookie }]) {
      const refused = await api.request("/api/admin/users", { headers });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe("forbidden");
      expect(refused.text).not.toContain(customer.account.email);
    }

    const admin = await signedInAdmin();
    expect(decodeJwt(admin.token).role).toBe("admin");
    for (const headers of [bearer(admin.token), { cookie: admin.cookie }]) {
      const allowed = await api.request("/api/admin/users", { headers });
      expect(allowed.status).toBe(200);
      expect(allowed.body.data.length).toBeGreaterThan(0);
    }
  });
});

describe("rate-limit headers", () => {
  it("are on every response the general limit applies to, refusals included, and not on the probes", async () => {
    const { token, cookie } = await registered(api);
    const responses = [
      await api.request("/api/auth/me", { headers: bearer(token) }),
      await api.request("/api/auth/me"),
      await api.request("/api/auth/me", { headers: bearer("forged.token.here") }),
      await api.request("/api/admin/users", { headers: bearer(token) }),
      await api.request("/api/auth/refresh", { method: "POST", headers: { cookie } }),
      await api.request("/api/auth/login", json({ email: "not-an-address", password: "x" })),
      await api.request("/api/auth/register", json({ role: "admin" })),
      await api.request("/api/auth/no-such-operation"),
    ];
    expect(responses.map((response) => response.status)).toEqual([200, 401, 401, 403, 200, 400, 400, 404]);
    for (const response of responses) {
      expect(response.headers.get("ratelimit"), String(response.status)).toMatch(/^"\w+";r=\d+;t=\d+$/);
      expect(response.headers.get("ratelimit-policy"), String(response.status)).toContain(
        '"general";q=100;w=60',
      );
    }
    for (const path of ["/health", "/health/ready", "/.well-known/jwks.json"]) {
      const probe = await api.request(path);
      expect(probe.status, path).toBe(200);
      expect(probe.headers.get("ratelimit"), path).toBeNull();
      expect(probe.headers.get("ratelimit-policy"), path).toBeNull();
    }
  });
});
