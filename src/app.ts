import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { type Handlers, policies } from "../generated/server";
import type { Config } from "./config";
import { mergeGuestCart } from "./domain/cart/merge";
import { signedCursors } from "./domain/pagination/signed-cursor";
import { adminHandlers } from "./handlers/admin";
import { authHandlers } from "./handlers/auth";
import { cartHandlers } from "./handlers/cart";
import type { CatalogDeps } from "./handlers/catalog-deps";
import { categoryHandlers } from "./handlers/categories";
import { checkoutHandlers } from "./handlers/checkout";
import { healthHandlers } from "./handlers/health";
import { imageHandlers } from "./handlers/images";
import { metaHandlers } from "./handlers/meta";
import { orderHandlers } from "./handlers/orders";
import { paymentHandlers } from "./handlers/payments";
import { productHandlers } from "./handlers/products";
import { handlerStubs } from "./handlers/stubs";
import { accessLog, requestRecorder } from "./http/access-log";
import { authenticate } from "./http/authenticate";
import { limitBody } from "./http/body-limit";
import { cachedReadFastPath, servedOnFastPath } from "./http/cached-read-fast-path";
import { cartOwnerOf, mergeCartAfterSignIn } from "./http/cart-cookie";
import { clientIp } from "./http/client-ip";
import type { AppEnv } from "./http/env";
import { idempotentRetries } from "./http/idempotency";
import { invalidateAfterWrite } from "./http/invalidate-after-write";
import { requireMetricsToken } from "./http/metrics-access";
import { mountOperations } from "./http/mount";
import { compilePathTemplates, notFoundHandler } from "./http/not-found";
import { createOpenApiApp } from "./http/openapi-app";
import { exemptFromGeneralLimit, generalRateLimit, operationRateLimit } from "./http/rate-limit";
import { keepRawBody } from "./http/raw-body";
import { cachedTargets, responseCaching } from "./http/response-cache";
import { responseEnvelope, responseHeaders } from "./http/response-headers";
import { signsIn } from "./http/signed-in-answer";
import { enforceTransportLimits, transportLimits } from "./http/transport-limits";
import { trustedDevices } from "./http/trusted-device";
import type { ApiReferenceAssets } from "./platform/api-reference";
import type { Logger } from "./platform/logger";
import { instrumentHashingQueue, type Metrics } from "./platform/metrics";
import type { Shop } from "./startup";

export interface AppDependencies {
  config: Pick<
    Config,
    | "env"
    | "corsOrigins"
    | "bodyLimitBytes"
    | "rateLimitPerMinute"
    | "rateLimitScale"
    | "shippingMethods"
    | "taxRatePercent"
    | "trustedProxies"
    | "metricsToken"
  >;
  platform: Pick<
    Shop,
    | "database"
    | "cache"
    | "redis"
    | "auth"
    | "authSecret"
    | "accounts"
    | "rateLimiter"
    | "catalog"
    | "payments"
    | "idempotency"
    | "outbox"
  >;
  logger: Logger;
  metrics: Metrics;
  /** The bundled contract, served at /openapi.json. */
  document: { info: { version: string } };
  /** Scalar's script for /docs, read when first asked for. */
  reference: () => ApiReferenceAssets;
  startedAt: number;
}

const EXPOSED_HEADERS = [
  "X-Request-Id",
  "Server-Timing",
  "ETag",
  "Retry-After",
  "RateLimit",
  "RateLimit-Policy",
];

export function buildApp(deps: AppDependencies): OpenAPIHono<AppEnv> {
  const app = createOpenApiApp(deps.logger);
  const { database, cache } = deps.platform;
  instrumentHashingQueue(deps.metrics.registry, deps.platform.auth.hashingQueue);

  const record = requestRecorder(deps.logger, deps.metrics);
  app.use(accessLog(record));
  // Secure headers, Server-Timing and CORS (credentials allowed, so the origin is echoed only
  // when it is on the list; never `*`), in one pass.
  const headerOptions = {
    corsOrigins: deps.config.corsOrigins,
    exposeHeaders: EXPOSED_HEADERS,
    corsMaxAge: 600,
  };
  app.use(responseHeaders(headerOptions));
  // Before any work on the request, yet logged and readable cross-origin like every answer.
  app.use(enforceTransportLimits(transportLimits(deps.config.bodyLimitBytes)));
  const limiter = deps.platform.rateLimiter;
  const proxies = deps.config.trustedProxies;
  // Before the body limit, which may replace the request object the client address is read from.
  app.use(
    generalRateLimit({
      limiter,
      perMinute: deps.config.rateLimitPerMinute,
      trustedProxies: proxies,
      exempt: exemptFromGeneralLimit(Object.values(policies)),
    }),
  );
  const targets = cachedTargets();
  const { auth, authenticator } = deps.platform.auth;
  const catalog: CatalogDeps = { ...deps.platform.catalog, db: database.db };
  const checkout = {
    db: database.db,
    shippingMethods: deps.config.shippingMethods,
    taxRateBasisPoints: Math.round(deps.config.taxRatePercent * 100),
  };
  const payments = {
    db: database.db,
    provider: deps.platform.payments,
    checkout,
    wakeOutbox: () => deps.platform.outbox.wake(),
  };
  const handlers: Handlers<AppEnv> = {
    // Operations `npm run generate` stubbed (501) until their handlers are written; none today.
    ...handlerStubs,
    ...healthHandlers({ database, cache, version: deps.document.info.version, startedAt: deps.startedAt }),
    ...categoryHandlers(catalog),
    ...productHandlers(catalog),
    ...imageHandlers(catalog),
    ...authHandlers({
      ...deps.platform.accounts,
      publicKeys: async () => (await auth.api.getJwks()) as { keys: object[] },
    }),
    ...adminHandlers(catalog),
    ...cartHandlers({ db: database.db, secureCookies: deps.config.env === "production" }),
    ...checkoutHandlers(checkout),
    ...paymentHandlers(payments),
    ...orderHandlers({ db: database.db, cursors: signedCursors(deps.platform.authSecret), payments }),
    ...metaHandlers({ document: deps.document, reference: deps.reference, metrics: deps.metrics }),
  };
  const devices = trustedDevices({
    secret: deps.platform.authSecret,
    secure: deps.config.env === "production",
  });
  const cartAfterSignIn = mergeCartAfterSignIn({
    merge: (token, userId) => mergeGuestCart(database.db, token, userId),
    secure: deps.config.env === "production",
    logger: deps.logger,
  });
  // A key is the client's choice: scoped to the caller, one caller's key never answers another.
  const idempotencyScope = (c: Context<AppEnv>) => {
    const owner = cartOwnerOf(c);
    if (owner?.kind === "customer") return `user:${owner.userId}`;
    if (owner?.kind === "guest") return `guest:${owner.tokenHash}`;
    return `ip:${clientIp(c, proxies) ?? "unknown"}`;
  };
  const metricsAccess = requireMetricsToken({
    token: deps.config.metricsToken,
    openWithoutToken: deps.config.env !== "production",
  });
  // Authentication first, so that a per-user limit knows the user; the cache last, so that a hit
  // has passed every check a computed answer passes, and a write invalidates once it succeeded.
  mountOperations(app, handlers, (policy) => [
    authenticate(policy, authenticator),
    ...(policy.auth.schemes.includes("metricsToken") ? [metricsAccess] : []),
    // Before anything reads the body: a per-e-mail limit reads the address from it.
    ...(policy.body ? [limitBody(policy.body.maxBytes ?? deps.config.bodyLimitBytes)] : []),
    ...(policy.rateLimit
      ? [
          operationRateLimit(policy, {
            limiter,
            trustedProxies: proxies,
            scale: deps.config.rateLimitScale,
            trustedDevice: devices.deviceFor,
          }),
        ]
      : []),
    ...(signsIn(policy) ? [devices.issueAfterSignIn, cartAfterSignIn] : []),
    // The provider signs the bytes it sent: they are kept before validation parses them.
    ...(policy.operationId === "receivePaymentWebhook" ? [keepRawBody] : []),
    ...optional(idempotentRetries(policy, { store: deps.platform.idempotency, scopeOf: idempotencyScope })),
    ...optional(responseCaching(policy, cache, deps.metrics, servedOnFastPath(policy) ? targets : undefined)),
    ...optional(invalidateAfterWrite(policy, cache, deps.metrics)),
  ]);

  app.notFound(notFoundHandler(compilePathTemplates(Object.values(policies))));

  const fastPath = cachedReadFastPath({
    cache,
    targets,
    limiter,
    perMinute: deps.config.rateLimitPerMinute,
    trustedProxies: proxies,
    envelope: responseEnvelope(headerOptions),
    record,
    metrics: deps.metrics,
  });
  const dispatch = app.fetch;
  app.fetch = (request, env, executionCtx) => {
    const fast = fastPath(request, env);
    if (fast === undefined) return dispatch(request, env, executionCtx);
    if (fast instanceof Response) return fast;
    return fast.then((response) => response ?? dispatch(request, env, executionCtx));
  };
  return app;
}

function optional<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}
