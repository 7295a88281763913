import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestApp, type TestApp } from "../../support/app";
import { bearer, cookieHeader, json, newAccount, registered } from "../../support/auth";
import { TEST_WEBHOOK_SECRET } from "../../support/orders";

describe("registration, sign-in and sessions", () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await createTestApp({ seed: false });
  });
  afterAll(async () => {
    await api.close();
  });

  it("registers a customer, signed in with a session cookie and an access token", async () => {
    const { account, response } = await registered(api);
    expect(response.body).toMatchObject({ status: "signed_in", tokenType: "Bearer", expiresIn: 900 });
    expect(response.body.user).toMatchObject({
      email: account.email,
      role: "customer",
      emailVerified: false,
    });
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith("joxicrochet-session="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Max-Age=604800/);
  });

  it("knows the caller by access token and by cookie", async () => {
    const { account, token, cookie } = await registered(api);
    const byToken = await api.request("/api/auth/me", { headers: bearer(token) });
    expect(byToken.status).toBe(200);
    expect(byToken.body.email).toBe(account.email);
    const byCookie = await api.request("/api/auth/me", { headers: { cookie } });
    expect(byCookie.status).toBe(200);
    expect(byCookie.body.email).toBe(account.email);
  });

  it("signs in with the password and refuses a wrong one", async () => {
    const { account } = await registered(api);
    const ok = await api.request(
      "/api/auth/login",
      json({ email: account.email, password: account.password }),
    );
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe("signed_in");
    const wrong = await api.request(
      "/api/auth/login",
      json({ email: account.email, password: "not-the-password" }),
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe("invalid_credentials");
  });

  it("refreshes the access token from the cookie only", async () => {
    const { token, cookie } = await registered(api);
    const refreshed = await api.request("/api/auth/refresh", { method: "POST", headers: { cookie } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.accessToken).toEqual(expect.any(String));
    const withToken = await api.request("/api/auth/refresh", { method: "POST", headers: bearer(token) });
    expect(withToken.status).toBe(401);
  });

  it("signs out: the cookie and the access tokens of that session stop working", async () => {
    const { token, cookie } = await registered(api);
    const out = await api.request("/api/auth/logout", { method: "POST", headers: bearer(token) });
    expect(out.status).toBe(204);
    expect((await api.request("/api/auth/me", { headers: bearer(token) })).status).toBe(401);
    expect((await api.request("/api/auth/me", { headers: { cookie } })).status).toBe(401);
  });

  it("refuses a second account with the same address", async () => {
    const account = newAccount();
    await registered(api, account);
    const again = await api.request(
      "/api/auth/register",
      json({ ...account, email: account.email.toUpperCase() }),
    );
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("email_taken");
  });

  it("answers 401 without credentials", async () => {
    const response = await api.request("/api/auth/me");
    expect(response.status).toBe(401);
    expect(response.body.code).toBe("unauthenticated");
    expect(response.headers.get("www-authenticate")).toContain("Bearer");
    expect(cookieHeader(response)).toBe("");
  });
});

describe("the session cookie in production", () => {
  it("is Secure, and keeps its name", async () => {
    const api = await createTestApp({
      seed: false,
      env: {
        NODE_ENV: "production",
        PUBLIC_URL: "https://shop.example",
        PAYMENT_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      },
    });
    try {
      const { response } = await registered(api);
      const cookie = response.headers.getSetCookie().find((c) => c.startsWith("joxicrochet-session="));
      expect(cookie).toMatch(/;\s*Secure/i);
      expect(cookie).toMatch(/HttpOnly/i);
    } finally {
      await api.close();
    }
  });
});

describe("a session in use", () => {
  it("is extended, and the browser gets the cookie for the longer life", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const api = await createTestApp({ seed: false });
    try {
      const { cookie } = await registered(api);
      const fresh = await api.request("/api/auth/me", { headers: { cookie } });
      expect(fresh.headers.getSetCookie()).toEqual([]);

      // Better-Auth extends a session used more than a day after it was last extended.
      vi.setSystemTime(Date.now() + 2 * 24 * 3600 * 1000);
      const later = await api.request("/api/auth/me", { headers: { cookie } });
      expect(later.status).toBe(200);
      const renewed = later.headers.getSetCookie().find((c) => c.startsWith("joxicrochet-session="));
      expect(renewed).toMatch(/Max-Age=604800/);
    } finally {
      await api.close();
      vi.useRealTimers();
    }
  });
});
