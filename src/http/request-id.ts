import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env";

const MAX_LENGTH = 128;
const UNSAFE = /[^\w\-=]/;

/**
 * The client's `X-Request-Id` when it is short and plain (so it can go into a log line and a
 * header as it is), a new UUID otherwise: the same rule as hono's request-id middleware.
 */
export function requestIdFor(request: Request): string {
  const sent = request.headers.get("X-Request-Id");
  return sent && sent.length <= MAX_LENGTH && !UNSAFE.test(sent) ? sent : crypto.randomUUID();
}

/** Every answer names its request: `requestId` in the context, `X-Request-Id` on the answer. */
export function requestId(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = requestIdFor(c.req.raw);
    c.set("requestId", id);
    c.header("X-Request-Id", id);
    await next();
  };
}
