import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env";

/**
 * Reads the body as text before validation parses it, so that `c.req.text()` later gives the
 * bytes as sent (a parsed-then-serialised copy would not match a signature over them).
 */
export const keepRawBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  await c.req.text();
  await next();
};
