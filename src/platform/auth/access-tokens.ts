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
  /** Refuses tokens issued longer ago than this (and issued in the future); default 15 minutes. */
  maxTokenAgeSeconds?: number;
  /** An unknown `kid` reloads the keys at most this often, so forged kids cannot hammer the database. */
  reloadCooldownMs?: number;
  now?: () => number;
}

/**
 * Verifies RS256 access tokens locally against the published keys: no database read per request.
 * Anything but a well-formed, unexpired RS256 token for this issuer and audience, signed by a
 * known key, of a session not revoked, is refused (`InvalidAccessToken`). A failure to load the
 * keys is thrown as it is: it says nothing about the token.
 */
export function createAccessTokenVerifier(options: AccessTokenVerifierOptions) {
  const now = options.now ?? Date.now;
  const cooldown = options.reloadCooldownMs ?? 10_000;
  type KeySet = ReturnType<typeof createLocalJWKSet>;
  let keys: KeySet | undefined;
  let loadedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<KeySet> | undefined;

  /** One load at a time: callers that arrive together share it, so a burst costs one key read. */
  function reload(): Promise<KeySet> {
    loading ??= (async () => {
      try {
        const loaded = createLocalJWKSet(await options.loadKeys());
        keys = loaded;
        loadedAt = now();
        return loaded;
      } catch (error) {
        throw new KeysUnavailable(error);
      } finally {
        loading = undefined;
      }
    })();
    return loading;
  }

  const verifyWith = (set: KeySet, token: string) =>
    jwtVerify(token, set, {
      algorithms: ["RS256"],
      issuer: options.issuer,
      audience: options.audience,
      requiredClaims: ["sub", "exp", "iat", "sid", "role"],
      // However long the signer made it, no access token is honoured for longer than this.
      maxTokenAge: options.maxTokenAgeSeconds ?? 15 * 60,
      currentDate: new Date(now()),
    });

  async function verifySignature(token: string) {
    const used = keys ?? (await reload());
    try {
      return await verifyWith(used, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      // A key minted by a rotation (here or on another instance) is not loaded yet, unless a
      // reload that finished meanwhile brought it.
      let latest = keys ?? used;
      if (latest === used) {
        if (now() - loadedAt < cooldown) throw error;
        latest = await reload();
      }
      return verifyWith(latest, token);
    }
  }

  return {
    async verify(token: string): Promise<AccessClaims> {
      let result: Awaited<ReturnType<typeof verifySignature>>;
      try {
        result = await verifySignature(token);
      } catch (error) {
        // The key store failing says nothing about the token: that is an error, not a 401.
        if (error instanceof KeysUnavailable) throw error.cause;
        throw new InvalidAccessToken(error instanceof Error ? error.message : "invalid token");
      }
      const { sub, sid, role, exp } = result.payload;
      if (typeof sid !== "string" || typeof role !== "string" || typeof sub !== "string") {
        throw new InvalidAccessToken("malformed claims");
      }
      if (await options.isRevoked(sid)) throw new InvalidAccessToken("the session is revoked");
      return { userId: sub, role, sessionId: sid, expiresAt: (exp as number) * 1000 };
    },
    async reload(): Promise<void> {
      await reload().catch((error: unknown) => {
        throw error instanceof KeysUnavailable ? error.cause : error;
      });
    },
  };
}

/** Loading the keys failed (the database, most likely): not the token's fault. */
class KeysUnavailable extends Error {
  override name = "KeysUnavailable";
  constructor(cause: unknown) {
    super("the access-token keys could not be loaded", { cause });
  }
}

export type AccessTokenVerifier = ReturnType<typeof createAccessTokenVerifier>;
