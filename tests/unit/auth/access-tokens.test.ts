import type { JSONWebKeySet } from "jose";
import { beforeAll, describe, expect, it, vi } from "vitest";
import {
  type AccessTokenVerifierOptions,
  createAccessTokenVerifier,
  InvalidAccessToken,
} from "../../../src/platform/auth/access-tokens";
import {
  hs256WithPublicKey,
  keySet,
  type RsaKey,
  rsaKey,
  signRs256,
  tampered,
  unsignedTokens,
} from "../../support/jwt";

// The verifier on its own: keys made here, a clock the test moves, a revocation list it controls.
// Each case names the check it proves; every refusal must be `InvalidAccessToken` (the HTTP layer
// turns exactly that into 401 and anything else into 500).

const ISSUER = "https://api.joxicrochet.test";
const AUDIENCE = "joxicrochet-api";
const START = Date.UTC(2026, 10, 25, 8, 30, 0);
const COOLDOWN_MS = 10_000;

let current: RsaKey;
let other: RsaKey;

beforeAll(async () => {
  [current, other] = await Promise.all([rsaKey("key-1"), rsaKey("key-2")]);
});

interface Harness {
  verifier: ReturnType<typeof createAccessTokenVerifier>;
  loadKeys: ReturnType<typeof vi.fn<() => Promise<JSONWebKeySet>>>;
  isRevoked: ReturnType<typeof vi.fn<(sessionId: string) => Promise<boolean>>>;
  /** Moves the verifier's clock. */
  advance(ms: number): void;
  /** What the next key load returns. */
  publish(set: JSONWebKeySet): void;
  nowSeconds(): number;
}

function harness(overrides: Partial<AccessTokenVerifierOptions> = {}): Harness {
  let clock = START;
  let published = keySet(current);
  const loadKeys = vi.fn(async () => published);
  const isRevoked = vi.fn(async (_sessionId: string) => false);
  const verifier = createAccessTokenVerifier({
    loadKeys,
    issuer: ISSUER,
    audience: AUDIENCE,
    isRevoked,
    reloadCooldownMs: COOLDOWN_MS,
    now: () => clock,
    ...overrides,
  });
  return {
    verifier,
    loadKeys,
    isRevoked,
    advance: (ms) => {
      clock += ms;
    },
    publish: (set) => {
      published = set;
    },
    nowSeconds: () => Math.floor(clock / 1000),
  };
}

/** The claims Better-Auth's jwt plugin signs for the shop, issued at `iat`. */
function claims(iat = Math.floor(START / 1000), extra: Record<string, unknown> = {}) {
  return {
    sub: "user-1",
    role: "customer",
    sid: "session-1",
    iss: ISSUER,
    aud: AUDIENCE,
    iat,
    exp: iat + 900,
    ...extra,
  };
}

async function refused(verify: Promise<unknown>, reason?: RegExp) {
  const error = await verify.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidAccessToken);
  if (reason) expect((error as Error).message).toMatch(reason);
}

describe("createAccessTokenVerifier", () => {
  it("accepts a well-formed RS256 token and returns only what authorisation needs", async () => {
    const { verifier } = harness();
    const token = await signRs256(current, claims());
    await expect(verifier.verify(token)).resolves.toEqual({
      userId: "user-1",
      role: "customer",
      sessionId: "session-1",
      expiresAt: (Math.floor(START / 1000) + 900) * 1000,
    });
  });

  it("accepts a token until its exp and refuses it from then on", async () => {
    const { verifier, advance } = harness();
    const token = await signRs256(current, claims());
    advance(899_000);
    await expect(verifier.verify(token)).resolves.toMatchObject({ userId: "user-1" });
    advance(1_000); // now === exp: jose treats exp as exclusive
    await refused(verifier.verify(token), /"exp" claim timestamp check failed/);
    advance(3600_000);
    await refused(verifier.verify(token), /"exp"/);
  });

  it("refuses a token that is not valid yet (nbf in the future)", async () => {
    const { verifier, nowSeconds } = harness();
    const token = await signRs256(current, claims(nowSeconds(), { nbf: nowSeconds() + 60 }));
    await refused(verifier.verify(token), /"nbf"/);
  });

  it("refuses another issuer, another audience, or none", async () => {
    const { verifier } = harness();
    const base = claims();
    for (const variant of [
      { ...base, iss: "https://evil.example" },
      { ...base, iss: `${ISSUER}/` },
      { ...base, aud: "another-api" },
      { ...base, aud: [] },
    ]) {
      await refused(verifier.verify(await signRs256(current, variant)), /"iss"|"aud"/);
    }
    const { iss: _iss, ...noIssuer } = base;
    const { aud: _aud, ...noAudience } = base;
    await refused(verifier.verify(await signRs256(current, noIssuer)), /"iss"/);
    await refused(verifier.verify(await signRs256(current, noAudience)), /"aud"/);
  });

  it("accepts an audience array that contains the API (RFC 7519 §4.1.3)", async () => {
    const { verifier } = harness();
    const token = await signRs256(current, claims(undefined, { aud: ["another-api", AUDIENCE] }));
    await expect(verifier.verify(token)).resolves.toMatchObject({ sessionId: "session-1" });
  });

  it("refuses a token without sub, sid, role, exp or iat, or with a claim of the wrong type", async () => {
    const { verifier } = harness();
    for (const claim of ["sub", "sid", "role", "exp", "iat"] as const) {
      const { [claim]: _dropped, ...rest } = claims();
      await refused(verifier.verify(await signRs256(current, rest)), new RegExp(`"${claim}"`));
    }
    for (const wrong of [{ sid: 42 }, { role: ["admin"] }, { role: { admin: true } }, { sid: null }]) {
      await refused(verifier.verify(await signRs256(current, claims(undefined, wrong))));
    }
  });

  it("refuses alg none, whichever way it is spelled, even naming a known kid", async () => {
    const { verifier } = harness();
    for (const token of unsignedTokens(claims(), current.kid)) await refused(verifier.verify(token));
  });

  it("refuses HS256 keyed with the public key (algorithm confusion)", async () => {
    const { verifier } = harness();
    const tokens = await hs256WithPublicKey(current.publicJwk, claims());
    expect(tokens).toHaveLength(4);
    for (const token of tokens) await refused(verifier.verify(token), /"alg"|algorithm/i);
  });

  it("refuses a token signed by another key under the published kid", async () => {
    const { verifier } = harness();
    const impostor = await signRs256(other, claims(), { kid: current.kid });
    await refused(verifier.verify(impostor), /signature verification failed/);
  });

  it("refuses a tampered payload (role raised to admin, signature kept)", async () => {
    const { verifier } = harness();
    const genuine = await signRs256(current, claims());
    await expect(verifier.verify(genuine)).resolves.toMatchObject({ role: "customer" });
    const raised = tampered(genuine, (payload) => ({ ...payload, role: "admin" }));
    await refused(verifier.verify(raised), /signature verification failed/);
    const prolonged = tampered(genuine, (payload) => ({ ...payload, exp: (payload.exp as number) + 86_400 }));
    await refused(verifier.verify(prolonged), /signature verification failed/);
  });

  it("refuses garbage without reloading keys", async () => {
    const { verifier, loadKeys } = harness();
    for (const token of ["", "a", "a.b", "a.b.c", "....", "eyJhbGciOiJSUzI1NiJ9..", "\u0000.\u0000.\u0000"]) {
      await refused(verifier.verify(token));
    }
    expect(loadKeys.mock.calls.length).toBeLessThanOrEqual(1);
  });

  it("loads the keys once for many verifications: no key read per request", async () => {
    const { verifier, loadKeys, advance } = harness();
    const token = await signRs256(current, claims());
    for (let i = 0; i < 100; i += 1) {
      await verifier.verify(token);
      advance(1_000);
    }
    expect(loadKeys).toHaveBeenCalledTimes(1);
  });

  it("reloads once for an unknown kid, then refuses; another unknown kid within the cooldown reloads nothing", async () => {
    const { verifier, loadKeys, advance } = harness();
    await verifier.verify(await signRs256(current, claims()));
    expect(loadKeys).toHaveBeenCalledTimes(1);

    const stranger = await rsaKey("never-published");
    advance(COOLDOWN_MS + 1);
    await refused(verifier.verify(await signRs256(stranger, claims())), /no applicable key/);
    expect(loadKeys).toHaveBeenCalledTimes(2);

    advance(1_000);
    await refused(verifier.verify(await signRs256(stranger, claims(), { kid: "another-stranger" })));
    await refused(verifier.verify(await signRs256(stranger, claims())));
    expect(loadKeys).toHaveBeenCalledTimes(2);

    advance(COOLDOWN_MS);
    await refused(verifier.verify(await signRs256(stranger, claims())));
    expect(loadKeys).toHaveBeenCalledTimes(3);
  });

  it("reloads at most once when many unknown-kid tokens arrive at the same moment", async () => {
    // The cooldown is there "so forged kids cannot hammer the database": a burst of concurrent
    // forged tokens must cost one key read, not one per token.
    const { verifier, loadKeys, advance } = harness();
    await verifier.verify(await signRs256(current, claims()));
    loadKeys.mockClear();
    loadKeys.mockImplementation(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return keySet(current);
    });
    advance(COOLDOWN_MS + 1);
    const forged = await Promise.all(
      Array.from({ length: 50 }, (_, i) => signRs256(other, claims(), { kid: `forged-${i}` })),
    );
    await Promise.all(forged.map((token) => refused(verifier.verify(token))));
    expect(loadKeys).toHaveBeenCalledTimes(1);
  });

  it("loads the keys once when the first requests arrive together", async () => {
    const { verifier, loadKeys } = harness();
    loadKeys.mockImplementation(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return keySet(current);
    });
    const token = await signRs256(current, claims());
    await Promise.all(Array.from({ length: 20 }, () => verifier.verify(token)));
    expect(loadKeys).toHaveBeenCalledTimes(1);
  });

  it("picks up a key minted by a rotation on the first token it signed, and keeps the previous key", async () => {
    const { verifier, loadKeys, advance, publish } = harness();
    const before = await signRs256(current, claims());
    await verifier.verify(before);
    const next = await rsaKey("key-3");
    publish(keySet(current, next));
    advance(60_000);
    const after = await signRs256(next, claims(Math.floor((START + 60_000) / 1000), { sid: "session-2" }));
    await expect(verifier.verify(after)).resolves.toMatchObject({ sessionId: "session-2" });
    await expect(verifier.verify(before)).resolves.toMatchObject({ sessionId: "session-1" });
    expect(loadKeys).toHaveBeenCalledTimes(2);
  });

  it("lets every token of a freshly minted key through on one shared reload", async () => {
    const { verifier, loadKeys, advance, publish } = harness();
    await verifier.verify(await signRs256(current, claims()));
    const next = await rsaKey("key-4");
    publish(keySet(current, next));
    loadKeys.mockClear();
    advance(COOLDOWN_MS + 1);
    const tokens = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signRs256(next, claims(undefined, { sid: `session-${i}` }))),
    );
    const verified = await Promise.all(tokens.map((token) => verifier.verify(token)));
    expect(verified.map((claims) => claims.sessionId)).toEqual(tokens.map((_, i) => `session-${i}`));
    expect(loadKeys).toHaveBeenCalledTimes(1);
  });

  it("trade-off of the cooldown: a key minted just after a reload verifies only once the cooldown has passed", async () => {
    // Pinned so that nobody is surprised: within `reloadCooldownMs` of the last load (at start,
    // or one forced by a forged kid), a token of a key minted meanwhile elsewhere is refused.
    const { verifier, loadKeys, advance, publish } = harness();
    await verifier.verify(await signRs256(current, claims()));
    const next = await rsaKey("key-5");
    publish(keySet(current, next));
    advance(COOLDOWN_MS / 2);
    const fresh = await signRs256(next, claims(Math.floor((START + COOLDOWN_MS / 2) / 1000)));
    await refused(verifier.verify(fresh), /no applicable key/);
    advance(COOLDOWN_MS / 2);
    await expect(verifier.verify(fresh)).resolves.toMatchObject({ userId: "user-1" });
    expect(loadKeys).toHaveBeenCalledTimes(2);
  });

  it("refuses a revoked session, and asks about revocation only once the signature holds", async () => {
    const { verifier, isRevoked } = harness();
    const token = await signRs256(current, claims());
    isRevoked.mockResolvedValueOnce(true);
    await refused(verifier.verify(token), /revoked/);
    expect(isRevoked).toHaveBeenLastCalledWith("session-1");
    await expect(verifier.verify(token)).resolves.toMatchObject({ sessionId: "session-1" });

    isRevoked.mockClear();
    await refused(verifier.verify(tampered(token, (payload) => ({ ...payload, sid: "session-9" }))));
    expect(isRevoked).not.toHaveBeenCalled();
  });

  it("lets a failing key store surface as an error, not as a refusal of the token", async () => {
    // A database outage must be a 500 (and an alert), not "your token is invalid".
    const { verifier } = harness({ loadKeys: async () => Promise.reject(new Error("database down")) });
    const outcome = await verifier
      .verify(await signRs256(current, claims()))
      .catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(Error);
    expect(outcome).not.toBeInstanceOf(InvalidAccessToken);
    expect((outcome as Error).message).toBe("database down");
  });

  it("tries the key store again after it failed", async () => {
    const { verifier, loadKeys } = harness();
    loadKeys.mockRejectedValueOnce(new Error("database down"));
    const token = await signRs256(current, claims());
    await expect(verifier.verify(token)).rejects.toThrow("database down");
    await expect(verifier.verify(token)).resolves.toMatchObject({ userId: "user-1" });
    expect(loadKeys).toHaveBeenCalledTimes(2);
  });
});
