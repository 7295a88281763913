import { OpenAPIHono } from "@hono/zod-openapi";
import type { Logger } from "pino";
import type { AppEnv } from "./env";
import { errorHandler } from "./errors";
import { requestId } from "./request-id";
import { validationHook } from "./validation";

/**
 * An app whose every answer carries a request id and whose validation failures and errors all
 * answer with problem documents naming it.
 */
export function createOpenApiApp(logger: Logger): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use(requestId());
  app.onError(errorHandler(logger));
  return app;
}
