import type { Redis } from "ioredis";
import type { Db } from "../db";
import type { Logger } from "../logger";
import { type AccessTokenVerifier, createAccessTokenVerifier } from "./access-tokens";
import { type AccountsGateway, accountsGateway } from "./accounts-gateway";
import { type Authenticator, createAuthenticator } from "./authenticator";
import { passwordSettings } from "./better-auth-passwords";
import { createHashingQueue, type HashingQueue } from "./hashing-queue";
import { type Auth, createAuth } from "./instance";
import { ACCESS_TOKEN_TTL_SECONDS, type AuthMail, TOKEN_AUDIENCE } from "./options";
import { resetTokens } from "./reset-tokens";
import { createSessionRevocations } from "./revocations";
import { redisSecondaryStorage } from "./secondary-storage";

export interface AuthSetup {
  db: Db;
  redis: Redis | undefined;
  logger: Logger;
  secret: string;
  /** The API's public base URL: token issuer, and the base of links in mail. */
  baseUrl: string;
  secureCookies: boolean;
  keyRotationSeconds: number;
  /** What authentication mails (links, codes), and how: the app wires it onto the outbox. */
  mail: AuthMail;
  passwordHashing: { concurrency: number; maxWaitSeconds: number };
}

export interface AuthPlatform {
  auth: Auth;
  /** Better-Auth as the accounts domain uses it, HTTP plumbing included. */
  gateway: AccountsGateway;
  authenticator: Authenticator;
  verifier: AccessTokenVerifier;
  /** Where every password hash and verification waits its turn (and is refused when too busy). */
  hashingQueue: HashingQueue;
  close(): void;
}

/** Argon2id at OWASP's minimum takes 15–100 ms; until the queue has measured it, assume this. */
const FIRST_HASH_ESTIMATE_SECONDS = 0.1;

/** Revocations outlive every access token the revoked session could have signed. */
const REVOCATION_SECONDS = ACCESS_TOKEN_TTL_SECONDS + 60;

export function openAuth(setup: AuthSetup): AuthPlatform {
  const warn = (error: unknown) =>
    setup.logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      "redis unavailable for auth",
    );
  const revocations = createSessionRevocations({
    db: setup.db,
    redis: setup.redis,
    onRedisError: warn,
    onDatabaseError: (error) =>
      setup.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        "session revocations: database unavailable",
      ),
  });
  const secondaryStorage = setup.redis ? redisSecondaryStorage(setup.redis, warn) : undefined;
  const hashingQueue = createHashingQueue({
    concurrency: setup.passwordHashing.concurrency,
    maxWaitSeconds: setup.passwordHashing.maxWaitSeconds,
    initialDurationSeconds: FIRST_HASH_ESTIMATE_SECONDS,
  });
  const auth = createAuth(setup.db, {
    secret: setup.secret,
    baseUrl: setup.baseUrl,
    secureCookies: setup.secureCookies,
    keyRotationSeconds: setup.keyRotationSeconds,
    secondaryStorage,
    // Its failed sign-ins are routine (wrong passwords): noted, not raised as errors.
    log: (level, message) =>
      setup.logger[level === "error" ? "warn" : "debug"]({ component: "better-auth" }, message),
    onSessionDeleted: async (session) => {
      // Better-Auth drops the cached copy only of the sessions it can list from Redis, which it
      // cannot while Redis is down (a password reset then): this drops it (or retries) for every one.
      await Promise.all([
        revocations.revoke(session.id, REVOCATION_SECONDS),
        secondaryStorage?.delete(session.token),
      ]);
    },
    mail: setup.mail,
    ...passwordSettings({
      db: setup.db,
      queue: hashingQueue,
      onUpgradeError: (error) =>
        setup.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          "password hash upgrade failed; the old hash stays until the next sign-in",
        ),
    }),
  });
  const verifier = createAccessTokenVerifier({
    loadKeys: async () => (await auth.api.getJwks()) as never,
    issuer: setup.baseUrl,
    audience: TOKEN_AUDIENCE,
    isRevoked: (sessionId) => revocations.isRevoked(sessionId),
  });
  return {
    auth,
    gateway: accountsGateway(auth, setup.db, resetTokens(setup.db)),
    authenticator: createAuthenticator(auth, verifier),
    verifier,
    hashingQueue,
    close() {
      secondaryStorage?.stop();
      revocations.stop();
    },
  };
}
