import type { MiddlewareHandler } from "hono";
import { type OperationPolicy, policies } from "../../generated/server";
import type { AppEnv } from "./env";
import { HttpProblem } from "./problem";

/** The largest request head (request line and header fields) the app accepts: Bun's usual default. */
export const HEADER_LIMIT_BYTES = 16 * 1024;

/**
 * How far above the app's limits Bun's own ceilings sit. Bun refuses past its ceilings itself,
 * before the app is called, with an empty body; with this headroom every refusal a client can
 * meet below them is the app's problem+json. Bun discards a body the app does not read without
 * buffering it, so the headroom costs no memory.
 */
const NATIVE_HEADROOM = 4;

export interface TransportLimits {
  /** The largest body any request may declare in Content-Length. */
  bodyBytes: number;
  /** The largest request line plus header fields. */
  headerBytes: number;
}

/**
 * The limits every request must meet before it is routed: a body no larger than the largest one
 * any operation accepts (its `x-body-limit`, or the app-wide JSON limit), a head no larger than
 * {@link HEADER_LIMIT_BYTES}. The server sets Bun's ceilings from these, and the app enforces them.
 */
export function transportLimits(
  jsonBodyLimitBytes: number,
  operations: readonly OperationPolicy[] = Object.values(policies),
): TransportLimits {
  const declared = operations.map((operation) => operation.body?.maxBytes ?? 0);
  return { bodyBytes: Math.max(jsonBodyLimitBytes, ...declared), headerBytes: HEADER_LIMIT_BYTES };
}

/** Bun's `maxRequestBodySize` and `http.maxHeaderSize`, well above what the app refuses itself. */
export function nativeCeilings(limits: TransportLimits): TransportLimits {
  return { bodyBytes: limits.bodyBytes * NATIVE_HEADROOM, headerBytes: limits.headerBytes * NATIVE_HEADROOM };
}

/**
 * Refuses, before routing, a request whose head is too large (431) or whose Content-Length
 * exceeds every operation's limit (413), without reading the body. A chunked body has no length
 * up front; the operation's own body limit counts it as it is read.
 */
export function enforceTransportLimits(limits: TransportLimits): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (requestHeadBytes(c.req.raw) > limits.headerBytes) {
      throw new HttpProblem({
        status: 431,
        code: "request_header_fields_too_large",
        title: "Request header fields too large",
        detail: `The request line and headers together are limited to ${limits.headerBytes} bytes`,
      });
    }
    const declaredLength = Number(c.req.header("content-length"));
    if (declaredLength > limits.bodyBytes) {
      throw new HttpProblem({
        status: 413,
        code: "payload_too_large",
        title: "Payload too large",
        detail: `Request bodies are limited to ${limits.bodyBytes} bytes`,
      });
    }
    await next();
  };
}

/**
 * The size of the request line and header fields as they came over HTTP/1.1, which is what Bun's
 * own ceiling counts. Repeated fields arrive joined into one, so this is a few bytes short for them.
 */
export function requestHeadBytes(request: Request): number {
  const { url } = request;
  const pathStart = url.indexOf("/", url.indexOf("//") + 2);
  const target = pathStart === -1 ? "/" : url.slice(pathStart);
  // "METHOD target HTTP/1.1\r\n" ... "\r\n"
  let bytes = request.method.length + 1 + target.length + 11 + 2;
  for (const [name, value] of request.headers) bytes += name.length + 2 + value.length + 2;
  return bytes;
}
