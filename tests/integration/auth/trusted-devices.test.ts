import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiResponse, createTestApp, type TestApp } from "../../support/app";
import { json, registered } from "../../support/auth";

// A stranger who guesses an account's password from many addresses uses up the account's sign-in
// attempts. The owner's device, which signed in before, keeps a limit of its own (OWASP's device
// cookies), and nobody else gets one by copying, forging or bringing their own.

let api: TestApp;
beforeAll(async () => {
  api = await createTestApp({ seed: false });
});
afterAll(async () => {
  await api?.close();
});

let lastOctet = 0;
const freshIp = () => {
  lastOctet += 1;
  return `192.0.2.${lastOctet}`;
};

const login = (email: string, password: string, from: { ip: string; cookie?: string }) =>
  api.request("/api/auth/login", json({ email, password }, from.cookie ? { cookie: from.cookie } : {}), {
    ip: from.ip,
  });

/** The `joxicrochet-device=…` pair a response set, for a Cookie header. */
function deviceCookie(response: ApiResponse): string {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("joxicrochet-device="));
  if (!cookie) throw new Error(`no device cookie in ${response.status} ${response.text}`);
  return cookie.split(";")[0] as string;
}

/** An account whose owner signed in once from one address, and kept the device cookie. */
async function ownerWithDevice() {
  const { account } = await registered(api);
  const signedIn = await login(account.email, account.password, { ip: freshIp() });
  expect(signedIn.status).toBe(200);
  return { account, device: deviceCookie(signedIn) };
}

/**
 * Wrong passwords for the address, each from a new address (a botnet), until the answer is 429;
 * resolves with how many were answered 401. Every attempt counts, the owner's own sign-in too.
 */
async function guessUntilLockedOut(email: string, cookie?: string): Promise<number> {
  for (let attempt = 1; attempt <= 6; attempt += 1) {
    const wrong = await login(email, `wrong-password-${attempt}`, { ip: freshIp(), cookie });
    if (wrong.status === 429) return attempt - 1;
    expect(wrong.status).toBe(401);
  }
  throw new Error("six wrong passwords and still not locked out");
}

function expectLockedOut(response: ApiResponse) {
  expect(response.status).toBe(429);
  expect(response.body.code).toBe("rate_limited");
  expect(response.headers.get("ratelimit")).toMatch(/^"signIn";r=0;/);
}

describe("the per-account sign-in limit and device cookies", () => {
  it("locks out untrusted clients, but the owner's device that signed in before still signs in from a new address", async () => {
    const { account, device } = await ownerWithDevice();
    // Five attempts a minute per account: the owner's sign-in was the first.
    expect(await guessUntilLockedOut(account.email)).toBe(4);
    // The owner on a new device, without the cookie, is an untrusted client too.
    expectLockedOut(await login(account.email, account.password, { ip: freshIp() }));

    const owner = await login(account.email, account.password, { ip: freshIp(), cookie: device });
    expect(owner.status).toBe(200);
    expect(owner.body.status).toBe("signed_in");
    // A fresh cookie for the next time.
    expect(deviceCookie(owner)).not.toBe(device);
  });

  it("gives no way through to a device cookie for another account", async () => {
    const { account } = await ownerWithDevice();
    const stranger = await ownerWithDevice();
    await guessUntilLockedOut(account.email);
    expectLockedOut(await login(account.email, account.password, { ip: freshIp(), cookie: stranger.device }));
  });

  it("gives no way through to a tampered device cookie", async () => {
    const { account, device } = await ownerWithDevice();
    await guessUntilLockedOut(account.email);
    const [name, value] = device.split("=") as [string, string];
    const [accountPart, devicePart, ...rest] = decodeURIComponent(value).split(".");
    const other = (devicePart?.[0] === "A" ? "B" : "A") + devicePart?.slice(1);
    const tampered = `${name}=${encodeURIComponent([accountPart, other, ...rest].join("."))}`;
    expectLockedOut(await login(account.email, account.password, { ip: freshIp(), cookie: tampered }));
    expectLockedOut(
      await login(account.email, account.password, { ip: freshIp(), cookie: `${device.slice(0, -6)}AAAAAA` }),
    );
  });

  it("locks out a copied device cookie after five wrong passwords of its own, without touching the account's limit", async () => {
    const { account, device } = await ownerWithDevice();
    expect(await guessUntilLockedOut(account.email, device)).toBe(5);
    expectLockedOut(await login(account.email, account.password, { ip: freshIp(), cookie: device }));
    // Those failures were the device's: the account's own attempts are all there.
    expect((await login(account.email, account.password, { ip: freshIp() })).status).toBe(200);
  });

  it("still holds the device to the limit of the address it comes from", async () => {
    const { account, device } = await ownerWithDevice();
    const ip = freshIp();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await login(`spray-${attempt}-${ip}@example.com`, "Winter2026!", { ip })).status).toBe(401);
    }
    expectLockedOut(await login(account.email, account.password, { ip, cookie: device }));
    expect((await login(account.email, account.password, { ip: freshIp(), cookie: device })).status).toBe(
      200,
    );
  });

  it("applies to every operation limited per e-mail: a password-reset flood does not stop the owner's device", async () => {
    const { account, device } = await ownerWithDevice();
    const reset = (from: { ip: string; cookie?: string }) =>
      api.request(
        "/api/auth/password-reset",
        json({ email: account.email }, from.cookie ? { cookie: from.cookie } : {}),
        from,
      );
    for (let attempt = 0; attempt < 5; attempt += 1)
      expect((await reset({ ip: freshIp() })).status).toBe(202);
    expect((await reset({ ip: freshIp() })).status).toBe(429);
    expect((await reset({ ip: freshIp(), cookie: device })).status).toBe(202);
  });

  it("is given by registration, a sign-in like any other", async () => {
    const { account, response } = await registered(api);
    const device = deviceCookie(response);
    await guessUntilLockedOut(account.email);
    expect((await login(account.email, account.password, { ip: freshIp(), cookie: device })).status).toBe(
      200,
    );
  });
});
