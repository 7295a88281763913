import type { BetterAuthOptions, SecondaryStorage } from "better-auth";
import type { AuthMiddleware } from "better-auth/api";
import { admin, bearer, emailOTP, jwt, twoFactor } from "better-auth/plugins";
import { createAccessControl } from "better-auth/plugins/access";
import { adminAc, defaultStatements, userAc } from "better-auth/plugins/admin/access";
import type { ResetTokens } from "./reset-tokens";
import { secondFactorAfterEveryFirst } from "./second-factor";

/** What the shop sends by mail on behalf of authentication; the mailer decides how. */
export interface AuthMail {
  verifyEmail(to: string, token: string): Promise<void>;
  resetPassword(to: string, token: string): Promise<void>;
  signInCode(to: string, code: string): Promise<void>;
  twoFactorCode(to: string, code: string): Promise<void>;
}

export interface AuthSettings {
  secret: string;
  /** Where links in mail and the token issuer point. */
  baseUrl: string;
  secureCookies: boolean;
  keyRotationSeconds: number;
  mail: AuthMail;
  secondaryStorage?: SecondaryStorage;
  /** Better-Auth's own messages, into the app's logger rather than the console. */
  log?: (level: "debug" | "info" | "warn" | "error", message: string) => void;
  /** Called for every session deleted (sign-out, password change or reset, admin revocation). */
  onSessionDeleted(session: { id: string; token: string }): Promise<void>;
  /** Password hashing and verification, in place of Better-Auth's default. */
  password: {
    hash(password: string): Promise<string>;
    verify(data: { hash: string; password: string }): Promise<boolean>;
  };
  /** Runs after every Better-Auth operation, before the plugins' own hooks. */
  afterEveryOperation: AuthMiddleware;
}

/** Better-Auth's user and session permissions, granted as staff (`admin`) or shopper (`customer`). */
const accessControl = createAccessControl(defaultStatements);

export const SESSION_COOKIE = "joxicrochet-session";
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const TOKEN_AUDIENCE = "joxicrochet-api";
const SESSION_DAYS = 7;

/** The Better-Auth configuration of the shop, minus the database (which the caller adds). */
export function authOptions(settings: AuthSettings, resetTokens: ResetTokens) {
  return {
    appName: "JoxiCrochet",
    secret: settings.secret,
    baseURL: settings.baseUrl,
    basePath: "/api/auth",
    secondaryStorage: settings.secondaryStorage,
    // Rate limiting is the API's own (driven by the contract), in front of every operation.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    logger: settings.log
      ? { level: "debug", log: (level, message) => settings.log?.(level, message) }
      : undefined,
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 10,
      maxPasswordLength: 128,
      autoSignIn: true,
      revokeSessionsOnPasswordReset: true,
      resetPasswordTokenExpiresIn: 30 * 60,
      sendResetPassword: async ({ user, token }) => {
        await resetTokens.issued(user.id, token);
        await settings.mail.resetPassword(user.email, token);
      },
      onPasswordReset: async ({ user }) => resetTokens.used(user.id),
      password: settings.password,
    },
    emailVerification: {
      sendOnSignUp: true,
      autoSignInAfterVerification: false,
      expiresIn: 24 * 3600,
      sendVerificationEmail: async ({ user, token }) => settings.mail.verifyEmail(user.email, token),
    },
    verification: { storeInDatabase: true },
    session: {
      expiresIn: SESSION_DAYS * 24 * 3600,
      updateAge: 24 * 3600,
      // Sessions live in PostgreSQL; Redis, when present, is only a faster copy in front of it.
      storeSessionInDatabase: true,
      cookieCache: { enabled: false },
    },
    hooks: { after: settings.afterEveryOperation },
    databaseHooks: {
      session: {
        // The access tokens of a deleted session must stop working before they expire.
        delete: {
          after: async (session: { id: string; token: string }) =>
            settings.onSessionDeleted({ id: session.id, token: session.token }),
        },
      },
    },
    user: {
      changeEmail: { enabled: false },
      deleteUser: { enabled: false },
    },
    advanced: {
      cookiePrefix: "joxicrochet",
      // Secure is set through the attributes instead, so that the cookie keeps the name the contract
      // gives it (Better-Auth would otherwise prefix it with __Secure-).
      useSecureCookies: false,
      cookies: {
        session_token: {
          name: SESSION_COOKIE,
          attributes: { httpOnly: true, sameSite: "lax", secure: settings.secureCookies, path: "/" },
        },
      },
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", secure: settings.secureCookies },
      ipAddress: { disableIpTracking: true },
    },
    plugins: [
      admin({
        ac: accessControl,
        roles: {
          admin: accessControl.newRole(adminAc.statements),
          customer: accessControl.newRole(userAc.statements),
        },
        defaultRole: "customer",
        adminRoles: ["admin"],
      }),
      secondFactorAfterEveryFirst(
        twoFactor({
          issuer: "JoxiCrochet",
          accountLockout: { enabled: true, maxFailedAttempts: 3, durationSeconds: 15 * 60 },
          otpOptions: {
            allowedAttempts: 3,
            sendOTP: async ({ user, otp }) => settings.mail.twoFactorCode(user.email, otp),
          },
        }),
      ),
      emailOTP({
        otpLength: 6,
        expiresIn: 5 * 60,
        allowedAttempts: 3,
        disableSignUp: true,
        sendVerificationOTP: async ({ email, otp }) => settings.mail.signInCode(email, otp),
      }),
      jwt({
        jwks: {
          keyPairConfig: { alg: "RS256", modulusLength: 2048 },
          rotationInterval: settings.keyRotationSeconds,
          // A retired key keeps verifying for longer than any token it signed can live.
          gracePeriod: ACCESS_TOKEN_TTL_SECONDS * 2,
        },
        jwt: {
          issuer: settings.baseUrl,
          audience: TOKEN_AUDIENCE,
          expirationTime: `${ACCESS_TOKEN_TTL_SECONDS}s`,
          // Only what authorisation needs: the subject (default), the role and the session.
          definePayload: ({ user, session }) => ({ role: user.role ?? "customer", sid: session.id }),
        },
        disableSettingJwtHeader: true,
      }),
      bearer(),
    ],
  } satisfies BetterAuthOptions;
}
