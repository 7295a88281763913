import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env";
import { HttpProblem } from "./problem";

export interface MetricsAccess {
  /** `METRICS_TOKEN`: when set, the metrics need it as a Bearer token. */
  token: string | undefined;
  /** Without a token: open on a developer's machine, closed in production. */
  openWithoutToken: boolean;
}

const CHALLENGE = { "WWW-Authenticate": 'Bearer realm="joxicrochet-metrics"' };

/**
 * Guards the operations whose contract names the `metricsToken` scheme. The metrics tell who
 * uses the shop and how much, so production keeps them for operators.
 */
export function requireMetricsToken(access: MetricsAccess): MiddlewareHandler<AppEnv> {
  const expected = access.token === undefined ? undefined : digest(access.token);
  return async (c, next) => {
    if (expected === undefined) {
      if (access.openWithoutToken) return next();
      throw refused("Metrics are closed in production until METRICS_TOKEN is configured");
    }
    const [scheme, token] = (c.req.header("authorization") ?? "").split(" ");
    // Digests of equal length, so the comparison takes the same time whatever was sent.
    if (scheme?.toLowerCase() !== "bearer" || !token || !timingSafeEqual(digest(token), expected)) {
      throw refused("Send the metrics token as a Bearer token");
    }
    await next();
  };
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

function refused(detail: string): HttpProblem {
  return new HttpProblem({
    status: 401,
    code: "unauthenticated",
    title: "Authentication required",
    detail,
    headers: CHALLENGE,
  });
}
