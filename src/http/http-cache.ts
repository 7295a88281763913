import type { Context, MiddlewareHandler } from "hono";
import type { OperationPolicy } from "../../generated/server";
import type { AppEnv } from "./env";
import { bodyEtag, ifNoneMatchSatisfied } from "./etag";

/** How long a cache may keep serving a stale copy while it revalidates (fixed by the issue, not the contract). */
export const STALE_WHILE_REVALIDATE_SECONDS = 300;

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * Metadata describing the body a 304 does not carry (RFC 9110 §15.4.5). Everything else stays,
 * CORS and request-id fields included, so that a script reading the 304 sees what a 200 shows.
 */
const DROPPED_ON_304 = [
  "content-type",
  "content-length",
  "content-encoding",
  "content-language",
  "content-range",
  "transfer-encoding",
];

/**
 * HTTP caching for a public read the contract marks with `x-cache`: `Cache-Control` and an `ETag`
 * on its 200 answers, and 304 when `If-None-Match` names the current tag. Route middleware, so
 * only the operation's own answers are touched; errors pass unchanged. `undefined` when the
 * operation is not cacheable, for the caller to leave it out of the chain.
 */
export function httpCache(
  policy: Pick<OperationPolicy, "method" | "cache">,
): MiddlewareHandler<AppEnv> | undefined {
  const { cache, method } = policy;
  if (!cache || (method !== "GET" && method !== "HEAD")) return undefined;
  const cacheControl = `public, max-age=${cache.ttl}, stale-while-revalidate=${STALE_WHILE_REVALIDATE_SECONDS}`;
  return async (c, next) => {
    await next();
    const response = c.res;
    if (response.status !== 200) return;
    // Public even when the request carries Authorization or a cookie: these representations never depend on the caller.
    if (!response.headers.has("Cache-Control")) response.headers.set("Cache-Control", cacheControl);
    let etag = response.headers.get("ETag") ?? undefined;
    if (etag === undefined && isJson(response)) {
      // A clone, so the body the client gets is untouched; only JSON is read whole, other bodies may stream.
      etag = bodyEtag(new Uint8Array(await response.clone().arrayBuffer()));
      response.headers.set("ETag", etag);
    }
    if (!ifNoneMatchSatisfied(c.req.header("If-None-Match"), etag)) await answerNotModified(c, response);
  };
}

function isJson(response: Response): boolean {
  const mediaType = (response.headers.get("Content-Type") ?? "").split(";")[0]?.trim() ?? "";
  return JSON_MEDIA_TYPE.test(mediaType);
}

async function answerNotModified(c: Context<AppEnv>, response: Response): Promise<void> {
  const headers = new Headers(response.headers);
  for (const name of DROPPED_ON_304) headers.delete(name);
  await response.body?.cancel();
  // Cleared first: assigning over a response copies its headers (Content-Length too) into the new one.
  c.res = undefined;
  c.res = new Response(null, { status: 304, headers });
}
