import { createLocalJWKSet, errors, type JSONWebKeySet, jwtVerify } from "jose";

export interface AccessClaims {
  userId: string;
  role: string;
  sessionId: string;
  expiresAt: number;
}

export class InvalidAccessToken extends Error {
  override name = "InvalidAccessToken";
}

export interface AccessTokenVerifierOptions {
  /** The current public keys (a database read): called at start, then only for an unknown `kid`. */
  loadKeys(): Promise<JSONWebKeySet>;
  issuer: string;
  audience: string;
  isRevoked(sessionId: string): Promise<boolean>;
  /** An unknown `kid` reloads the keys at most this often, so forged kids cannot hammer the database. */
  reloadCooldownMs?: number;
  now?: () => number;
}

/**
 * Verifies RS256 access tokens locally against the published keys: no database read per request.
 * Anything but a well-formed, unexpired RS256 token for this issuer and audience, signed by a
 * known key, of a session not revoked, is refused.
 */
export function createAccessTokenVerifier(options: AccessTokenVerifierOptions) {
  const now = options.now ?? Date.now;
  const cooldown = options.reloadCooldownMs ?? 10_000;
  let keys: ReturnType<typeof createLocalJWKSet> | undefined;
  let loadedAt = Number.NEGATIVE_INFINITY;

  async function reload(): Promise<void> {
    keys = createLocalJWKSet(await options.loadKeys());
    loadedAt = now();
  }

  async function verifyWithKeys(token: string) {
    if (!keys) await reload();
    return jwtVerify(token, keys as ReturnType<typeof createLocalJWKSet>, {
      algorithms: ["RS256"],
      issuer: options.issuer,
      audience: options.audience,
      requiredClaims: ["sub", "exp", "iat", "sid", "role"],
      currentDate: new Date(now()),
    });
  }

  return {
    async verify(token: string): Promise<AccessClaims> {
      let result: Awaited<ReturnType<typeof verifyWithKeys>>;
      try {
        try {
          result = await verifyWithKeys(token);
        } catch (error) {
          // A key minted by a rotation (here or on another instance) is not loaded yet.
          if (!(error instanceof errors.JWKSNoMatchingKey) || now() - loadedAt < cooldown) throw error;
          await reload();
          result = await verifyWithKeys(token);
        }
      } catch (error) {
        throw new InvalidAccessToken(error instanceof Error ? error.message : "invalid token");
      }
      const { sub, sid, role, exp } = result.payload;
      if (typeof sid !== "string" || typeof role !== "string" || typeof sub !== "string") {
        throw new InvalidAccessToken("malformed claims");
      }
      if (await options.isRevoked(sid)) throw new InvalidAccessToken("the session is revoked");
      return { userId: sub, role, sessionId: sid, expiresAt: (exp as number) * 1000 };
    },
    reload,
  };
}

export type AccessTokenVerifier = ReturnType<typeof createAccessTokenVerifier>;
