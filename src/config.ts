import { availableParallelism } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { SecretFileError, withSecretFiles } from "./config-secrets";
import { type TrustedProxies, trustedProxies } from "./net/ip";

const commaList = z.string().transform((value) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean),
);

const origin = z.string().refine((value) => {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}, "must be an origin such as https://shop.example (scheme, host and optional port, no path)");

const ShippingMethodsSchema = z
  .string()
  .transform((value, context) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      context.addIssue("must be JSON: a list of { id, name, priceCents }");
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(
        z.strictObject({
          id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "ids are lower-case letters, digits and hyphens"),
          name: z.string().min(1).max(80),
          priceCents: z.int().min(0).max(1_000_000),
        }),
      )
      .min(1)
      .max(20),
  );

/** Flat rates when SHIPPING_METHODS is unset. */
const DEFAULT_SHIPPING_METHODS = [
  { id: "standard", name: "Standard delivery (3-5 working days)", priceCents: 495 },
  { id: "express", name: "Express delivery (1-2 working days)", priceCents: 995 },
];

const EnvironmentSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must start with redis:// or rediss://")
    .optional(),
  DATA_DIR: z.string().min(1).default("./.data"),
  PUBLIC_URL: z.url().optional(),
  CORS_ORIGINS: commaList.pipe(z.array(origin)).default([]),
  TRUSTED_PROXIES: commaList
    .transform((entries, context) => {
      try {
        return trustedProxies(entries);
      } catch {
        context.addIssue("must list IP addresses or CIDR ranges, such as 10.0.0.0/8,127.0.0.1");
        return z.NEVER;
      }
    })
    .default(trustedProxies([])),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(1024 * 1024),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  MIGRATE_ON_START: z.stringbool().default(true),
  SEED_ON_START: z.stringbool().default(true),
  SEED_PHOTOS: z.stringbool().default(true),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must start with smtp:// or smtps://")
    .optional(),
  MAIL_FROM: z.string().min(3).default("JoxiCrochet <shop@joxicrochet.shop>"),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  AUTH_KEY_ROTATION_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(30 * 24 * 3600),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(100),
  RATE_LIMIT_SCALE: z.coerce.number().int().min(1).default(1),
  REDIS_KEY_PREFIX: z.string().default("jc:"),
  METRICS_TOKEN: z.string().min(32, "must be at least 32 characters").optional(),
  PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
  PASSWORD_HASH_MAX_WAIT_SECONDS: z.coerce.number().min(0).max(60).default(2),
  SHIPPING_METHODS: ShippingMethodsSchema.default(DEFAULT_SHIPPING_METHODS),
  TAX_RATE_PERCENT: z.coerce.number().min(0).max(100).default(0),
  RUN_WORKER: z.stringbool().default(true),
  PAYMENT_PROVIDER: z.enum(["test", "stripe"]).default("test"),
  PAYMENT_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/, "must be whsec_ and at least 24 base64-encoded bytes")
    .optional(),
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_[A-Za-z0-9_]+$/, "must be a Stripe secret key, sk_...")
    .optional(),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9]+$/, "must be a Stripe signing secret, whsec_...")
    .optional(),
  STRIPE_API_URL: z.url().optional(),
});

/**
 * The test provider's signing secret when PAYMENT_WEBHOOK_SECRET is unset (never in production):
 * public, so that a developer can sign test webhooks by hand.
 */
export const DEVELOPMENT_WEBHOOK_SECRET = `whsec_${Buffer.from("joxicrochet test payments secret").toString("base64")}`;

export type PaymentsConfig =
  | { provider: "test"; webhookSecret: string }
  | { provider: "stripe"; secretKey: string; webhookSecret: string; apiUrl?: string };

export type Environment = z.infer<typeof EnvironmentSchema>;

/** Everything the process is configured with, read once at start. */
export interface Config {
  env: Environment["NODE_ENV"];
  port: number;
  host: string;
  database: { url: string } | { dataDir: string };
  redisUrl: string | undefined;
  dataDir: string;
  /** PUBLIC_URL, or the address the server listens on: the token issuer and the base of links in mail. */
  publicUrl: string;
  corsOrigins: string[];
  /** Proxies whose X-Forwarded-For is believed, parsed once here. */
  trustedProxies: TrustedProxies;
  bodyLimitBytes: number;
  logLevel: Environment["LOG_LEVEL"];
  /**
   * Apply the migrations before listening. On by default (one process); off for replicas, which
   * leave it to the one-shot `bun db/migrate.ts` job that runs before them.
   */
  migrateOnStart: boolean;
  seedOnStart: boolean;
  /** Draw placeholder photos for the seed products, in the background, after seeding on start. */
  seedPhotos: boolean;
  /** SMTP server for mail; when unset, mail is written as .eml files to `${dataDir}/outbox`. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Signs session cookies and encrypts signing keys; required in production. */
  authSecret: string | undefined;
  /** How often the access-token signing key is replaced. */
  authKeyRotationSeconds: number;
  /** The general limit per client IP; operations may declare stricter ones (`x-rate-limit`). */
  rateLimitPerMinute: number;
  /** Multiplies every per-operation limit of the contract; 1 in production, raised by load tests. */
  rateLimitScale: number;
  /** Prefix of every Redis key, so that several deployments (or test runs) can share a server. */
  redisKeyPrefix: string;
  /** The operators' Bearer token for /metrics; without it, production keeps /metrics closed. */
  metricsToken: string | undefined;
  /** Password hashes computed at once (each on a thread of its own); the rest wait in a queue. */
  passwordHashConcurrency: number;
  /** A password hash that would wait longer than this is refused at once (503, Retry-After). */
  passwordHashMaxWaitSeconds: number;
  /** The flat-rate shipping methods a checkout offers, prices in cents. */
  shippingMethods: { id: string; name: string; priceCents: number }[];
  /** Tax added to a checkout's goods and shipping, in percent; 0 when prices include it. */
  taxRatePercent: number;
  /** Who takes payments: the built-in test provider, or Stripe. */
  payments: PaymentsConfig;
  /**
   * Whether this process delivers the outbox and runs the sweepers. On by default (the embedded
   * shop is one process); off for API replicas when `npm run worker` runs beside them.
   */
  runWorker: boolean;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Empty variables count as unset, so `FOO=` in a compose file means "use the default". */
function withoutEmpty(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== "",
    ),
  );
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvironmentSchema.safeParse(withoutEmpty(readSecretFiles(env)));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? "environment");
    throw new ConfigError(`Invalid ${variable}: ${issue?.message ?? "invalid value"}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === "production" && !e.AUTH_SECRET) {
    throw new ConfigError("Invalid AUTH_SECRET: required when NODE_ENV is production");
  }
  // Replicas that each fell back to their own listening address would refuse each other's
  // access tokens (the issuer differs) and mail links to an address nobody can reach.
  if (e.NODE_ENV === "production" && !e.PUBLIC_URL) {
    throw new ConfigError(
      "Invalid PUBLIC_URL: required when NODE_ENV is production (the address clients use, the same on every replica)",
    );
  }
  return {
    payments: paymentsConfig(e),
    runWorker: e.RUN_WORKER,
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL ? { url: e.DATABASE_URL } : { dataDir: join(e.DATA_DIR, "pglite") },
    redisUrl: e.REDIS_URL,
    dataDir: e.DATA_DIR,
    publicUrl: e.PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`,
    corsOrigins: e.CORS_ORIGINS,
    trustedProxies: e.TRUSTED_PROXIES,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    logLevel: e.LOG_LEVEL,
    migrateOnStart: e.MIGRATE_ON_START,
    seedOnStart: e.SEED_ON_START,
    seedPhotos: e.SEED_PHOTOS,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    authSecret: e.AUTH_SECRET,
    authKeyRotationSeconds: e.AUTH_KEY_ROTATION_SECONDS,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    rateLimitScale: e.RATE_LIMIT_SCALE,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    metricsToken: e.METRICS_TOKEN,
    passwordHashConcurrency: e.PASSWORD_HASH_CONCURRENCY ?? availableParallelism(),
    passwordHashMaxWaitSeconds: e.PASSWORD_HASH_MAX_WAIT_SECONDS,
    shippingMethods: e.SHIPPING_METHODS,
    taxRatePercent: e.TAX_RATE_PERCENT,
  };
}

function readSecretFiles(env: Record<string, string | undefined>): Record<string, string | undefined> {
  try {
    return withSecretFiles(env);
  } catch (error) {
    if (error instanceof SecretFileError) throw new ConfigError(error.message);
    throw error;
  }
}

function paymentsConfig(e: Environment): PaymentsConfig {
  if (e.PAYMENT_PROVIDER === "stripe") {
    if (!e.STRIPE_SECRET_KEY || !e.STRIPE_WEBHOOK_SECRET)
      throw new ConfigError(
        "Invalid STRIPE_SECRET_KEY: STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are required for Stripe",
      );
    return {
      provider: "stripe",
      secretKey: e.STRIPE_SECRET_KEY,
      webhookSecret: e.STRIPE_WEBHOOK_SECRET,
      ...(e.STRIPE_API_URL ? { apiUrl: e.STRIPE_API_URL } : {}),
    };
  }
  if (e.NODE_ENV === "production" && !e.PAYMENT_WEBHOOK_SECRET)
    throw new ConfigError("Invalid PAYMENT_WEBHOOK_SECRET: required for the test provider in production");
  return { provider: "test", webhookSecret: e.PAYMENT_WEBHOOK_SECRET ?? DEVELOPMENT_WEBHOOK_SECRET };
}
