import type { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import { timing } from "hono/timing";
import { type Handlers, policies } from "../generated/server";
import type { Config } from "./config";
import { categoryHandlers } from "./handlers/categories";
import { healthHandlers } from "./handlers/health";
import { metaHandlers } from "./handlers/meta";
import { accessLog } from "./http/access-log";
import type { AppEnv } from "./http/env";
import { mountOperations } from "./http/mount";
import { compilePathTemplates, notFoundHandler } from "./http/not-found";
import { createOpenApiApp } from "./http/openapi-app";
import { HttpProblem } from "./http/problem";
import type { Platform } from "./platform";
import type { ApiReferenceAssets } from "./platform/api-reference";
import type { Logger } from "./platform/logger";
import type { Metrics } from "./platform/metrics";

export interface AppDependencies {
  config: Pick<Config, "corsOrigins" | "bodyLimitBytes">;
  platform: Pick<Platform, "database" | "cache" | "redis">;
  logger: Logger;
  metrics: Metrics;
  /** The bundled contract, served at /openapi.json. */
  document: { info: { version: string } };
  reference: ApiReferenceAssets;
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

  app.use(timing({ crossOrigin: true }));
  app.use(accessLog(deps.logger, deps.metrics));
  app.use(
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      crossOriginResourcePolicy: "same-site",
      // A handler that sets its own policy (the reference page) keeps it.
      overwrite: false,
    }),
  );
  app.use(
    cors({
      // Credentials are allowed, so the origin is echoed only when it is on the list; never `*`.
      origin: (origin) => (deps.config.corsOrigins.includes(origin) ? origin : null),
      credentials: true,
      exposeHeaders: EXPOSED_HEADERS,
      maxAge: 600,
    }),
  );
  app.use(
    bodyLimit({
      maxSize: deps.config.bodyLimitBytes,
      onError: () => {
        throw new HttpProblem({
          status: 413,
          code: "payload_too_large",
          title: "Payload too large",
          detail: `Request bodies are limited to ${deps.config.bodyLimitBytes} bytes`,
        });
      },
    }),
  );

  const handlers: Handlers<AppEnv> = {
    ...healthHandlers({ database, cache, version: deps.document.info.version, startedAt: deps.startedAt }),
    ...categoryHandlers({ db: database.db }),
    ...metaHandlers({ document: deps.document, reference: deps.reference, metrics: deps.metrics }),
  };
  mountOperations(app, handlers);

  app.notFound(notFoundHandler(compilePathTemplates(Object.values(policies))));
  return app;
}
