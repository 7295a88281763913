import { createHash } from "node:crypto";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { policies } from "../../../generated/server";
import { signsIn } from "../../../src/http/signed-in-answer";
import { DEVICE_COOKIE, trustedDevices } from "../../../src/http/trusted-device";

const SECRET = "a-secret-of-the-unit-tests-that-is-long-enough";
const EMAIL = "Ada@Example.com";

/** An app whose sign-in answers what the test says, and which reports the device a request proves. */
function appWith(devices: ReturnType<typeof trustedDevices>, answer: { status: number; body: unknown }) {
  const app = new Hono();
  app.post("/api/auth/login", devices.issueAfterSignIn, (c) =>
    c.json(answer.body as object, answer.status as 200),
  );
  app.post("/api/auth/check", async (c) => {
    const { email } = await c.req.json<{ email: string }>();
    return c.json({ device: (await devices.deviceFor(c, email)) ?? null });
  });
  return app;
}

const signedIn = {
  status: 200,
  body: { status: "signed_in", user: { id: "user-1", email: EMAIL.toLowerCase() } },
};

async function deviceCookieFrom(app: Hono): Promise<string | undefined> {
  const response = await app.request("/api/auth/login", { method: "POST" });
  return response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${DEVICE_COOKIE}=`));
}

async function deviceFor(app: Hono, email: string, cookie: string | undefined) {
  const response = await app.request("/api/auth/check", {
    method: "POST",
    headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ email }),
  });
  return ((await response.json()) as { device: string | null }).device;
}

const pair = (setCookie: string | undefined) => setCookie?.split(";")[0];

describe("device cookies", () => {
  it("are issued by a sign-in that succeeds: HttpOnly, SameSite=Lax, on /api/auth, for a year", async () => {
    const cookie = await deviceCookieFrom(
      appWith(trustedDevices({ secret: SECRET, secure: false }), signedIn),
    );
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\/api\/auth/);
    expect(cookie).toMatch(/; Max-Age=31536000/);
    expect(cookie).not.toMatch(/; Secure/);
    const secure = await deviceCookieFrom(
      appWith(trustedDevices({ secret: SECRET, secure: true }), signedIn),
    );
    expect(secure).toMatch(/; Secure/);
  });

  it("never carry the address, nor a plain digest of it", async () => {
    const cookie = decodeURIComponent(
      (await deviceCookieFrom(appWith(trustedDevices({ secret: SECRET, secure: false }), signedIn))) ?? "",
    );
    const address = EMAIL.toLowerCase();
    expect(cookie).not.toContain(address);
    expect(cookie).not.toContain("example");
    for (const encoding of ["base64url", "hex", "base64"] as const) {
      const plain = createHash("sha256").update(address).digest(encoding).slice(0, 16);
      expect(cookie).not.toContain(plain);
    }
  });

  it("are not issued when the sign-in is refused, or only half done (two_factor_required)", async () => {
    const devices = trustedDevices({ secret: SECRET, secure: false });
    for (const answer of [
      { status: 401, body: { code: "invalid_credentials" } },
      { status: 429, body: { code: "rate_limited" } },
      { status: 200, body: { status: "two_factor_required" } },
      { status: 200, body: { status: "signed_in" } },
    ]) {
      expect(await deviceCookieFrom(appWith(devices, answer)), JSON.stringify(answer)).toBeUndefined();
    }
  });

  it("name a device for the account they were issued for, whatever the case of the address", async () => {
    const app = appWith(trustedDevices({ secret: SECRET, secure: false }), signedIn);
    const cookie = pair(await deviceCookieFrom(app));
    const device = await deviceFor(app, EMAIL, cookie);
    expect(device).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await deviceFor(app, ` ${EMAIL.toUpperCase()} `, cookie)).toBe(device);
    // Every sign-in is a new device id (a new cookie).
    expect(await deviceFor(app, EMAIL, pair(await deviceCookieFrom(app)))).not.toBe(device);
  });

  it("name no device for another account, when tampered with, signed by another secret, or expired", async () => {
    let clock = Date.now();
    const devices = trustedDevices({ secret: SECRET, secure: false, now: () => clock });
    const app = appWith(devices, signedIn);
    const cookie = pair(await deviceCookieFrom(app)) as string;
    expect(await deviceFor(app, EMAIL, cookie)).not.toBeNull();

    expect(await deviceFor(app, "grace@example.com", cookie)).toBeNull();
    expect(await deviceFor(app, EMAIL, undefined)).toBeNull();

    const [name, value] = cookie.split("=") as [string, string];
    const decoded = decodeURIComponent(value);
    const [account, device, expires, signature] = decoded.split(".") as [string, string, string, string];
    const flip = (text: string) => (text[0] === "A" ? "B" : "A") + text.slice(1);
    for (const tampered of [
      `${account}.${flip(device)}.${expires}.${signature}`,
      `${flip(account)}.${device}.${expires}.${signature}`,
      `${account}.${device}.${Number(expires) + 3600}.${signature}`,
      `${account}.${device}.${expires}.${flip(signature)}`,
      `${account}.${device}.${expires}`,
    ]) {
      expect(await deviceFor(app, EMAIL, `${name}=${encodeURIComponent(tampered)}`), tampered).toBeNull();
    }

    const elsewhere = appWith(trustedDevices({ secret: `${SECRET}-other`, secure: false }), signedIn);
    expect(await deviceFor(elsewhere, EMAIL, cookie)).toBeNull();

    clock += 366 * 24 * 3600 * 1000;
    expect(await deviceFor(app, EMAIL, cookie)).toBeNull();
  });

  it("are issued by exactly the operations of the contract that sign a client in", () => {
    const issuing = Object.values(policies)
      .filter((policy) => signsIn(policy))
      .map((policy) => policy.operationId)
      .sort();
    expect(issuing).toEqual([
      "registerAccount",
      "signIn",
      "signInWithCode",
      "verifyBackupCode",
      "verifyTwoFactor",
    ]);
  });
});
