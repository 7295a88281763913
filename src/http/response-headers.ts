import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env";

/**
 * What every answer carries, set in one pass after the handler, straight onto the response
 * (hono's `c.header` after the handler, and its cors middleware's early `c.res`, each copy the
 * whole response): the secure headers, `Server-Timing` with the total, and CORS.
 *
 * The same fields and values as hono's `secureHeaders` (with the options below), `timing` with
 * `crossOrigin: true` and `cors` with credentials gave; a Content-Security-Policy a handler set
 * itself is kept (the reference page's own).
 */
const SECURE_HEADERS: readonly (readonly [string, string])[] = [
  ["Cross-Origin-Resource-Policy", "same-site"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
  ["Origin-Agent-Cluster", "?1"],
  ["Referrer-Policy", "no-referrer"],
  ["Strict-Transport-Security", "max-age=15552000; includeSubDomains"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-DNS-Prefetch-Control", "off"],
  ["X-Download-Options", "noopen"],
  ["X-Frame-Options", "SAMEORIGIN"],
  ["X-Permitted-Cross-Domain-Policies", "none"],
  ["X-XSS-Protection", "0"],
];

/** The one secure header a handler sets itself (the reference page's script policy), then kept. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

export interface ResponseHeadersOptions {
  /** Origins allowed to read answers with credentials; the origin is echoed, never `*`. */
  corsOrigins: readonly string[];
  /** Response fields a cross-origin script may read. */
  exposeHeaders: readonly string[];
  /** Seconds a browser may keep a preflight's answer. */
  corsMaxAge: number;
}

/** What every answer but a preflight gets, in one pass: CORS, the secure headers and the timing. */
export interface ResponseEnvelope {
  /** The request's Origin when it is allowed to read the answer. */
  allowedOrigin(origin: string | undefined): string | undefined;
  /** Sets the fields on an answer's headers; `started` is when the request came in (performance.now()). */
  apply(headers: Headers, allowedOrigin: string | undefined, started: number): void;
}

export function responseEnvelope(options: ResponseHeadersOptions): ResponseEnvelope {
  const allowed = new Set(options.corsOrigins);
  const exposed = options.exposeHeaders.join(",");
  return {
    allowedOrigin: (origin) => (origin !== undefined && allowed.has(origin) ? origin : undefined),
    apply(headers, allowedOrigin, started) {
      if (allowedOrigin !== undefined) headers.set("Access-Control-Allow-Origin", allowedOrigin);
      headers.set("Access-Control-Allow-Credentials", "true");
      headers.set("Access-Control-Expose-Headers", exposed);
      headers.append("Vary", "Origin");
      secureAndTimed(headers, started);
    },
  };
}

function secureAndTimed(headers: Headers, started: number): void {
  for (const [name, value] of SECURE_HEADERS) headers.set(name, value);
  if (!headers.has("Content-Security-Policy"))
    headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  headers.delete("X-Powered-By");
  const total = (performance.now() - started).toFixed(1);
  headers.append("Server-Timing", `total;dur=${total};desc="Total Response Time"`);
  headers.append("Timing-Allow-Origin", "*");
}

export function responseHeaders(options: ResponseHeadersOptions): MiddlewareHandler<AppEnv> {
  const envelope = responseEnvelope(options);
  const exposed = options.exposeHeaders.join(",");
  const maxAge = String(options.corsMaxAge);
  return async (c, next) => {
    const started = performance.now();
    const allowedOrigin = envelope.allowedOrigin(c.req.header("origin"));
    if (c.req.method !== "OPTIONS") {
      await next();
      envelope.apply(c.res.headers, allowedOrigin, started);
      return;
    }
    // A preflight is answered here, with the fields the actual request will get.
    c.header("Access-Control-Allow-Origin", allowedOrigin);
    c.header("Access-Control-Allow-Credentials", "true");
    c.header("Access-Control-Expose-Headers", exposed);
    c.header("Vary", "Origin", { append: true });
    c.header("Access-Control-Max-Age", maxAge);
    c.header("Access-Control-Allow-Methods", "GET,HEAD,PUT,POST,DELETE,PATCH,QUERY");
    const requested = c.req.header("access-control-request-headers");
    if (requested) {
      c.header(
        "Access-Control-Allow-Headers",
        requested
          .split(",")
          .map((name) => name.trim())
          .join(","),
      );
      c.header("Vary", "Access-Control-Request-Headers", { append: true });
    }
    c.res = c.body(null, 204);
    secureAndTimed(c.res.headers, started);
  };
}
