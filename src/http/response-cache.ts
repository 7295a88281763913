import type { Context, MiddlewareHandler } from "hono";
import type { OperationPolicy } from "../../generated/server";
import {
  type CacheAnswer,
  type CachedResponse,
  cachedResponse,
  expandTagTemplates,
  type ResponseCache,
} from "../platform/cache";
import type { Metrics } from "../platform/metrics";
import type { AppEnv } from "./env";
import { bodyEtag, ifNoneMatchSatisfied } from "./etag";

/** How long a client or CDN may keep serving a stale copy while it revalidates. */
export const STALE_WHILE_REVALIDATE_SECONDS = 300;

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * The one caching middleware, configured by the contract's `x-cache` on a GET: the finished
 * answer is kept in the response cache under the operation, path and normalised query, and
 * served from there with `ETag`, `Cache-Control`, `X-Cache` and `X-Cache-Tier`; `If-None-Match`
 * naming the current tag answers 304. Route middleware, so it runs after routing and before the
 * input is validated: only 200 answers are kept, so a hit can only be for input that was valid.
 */
export function responseCaching(
  policy: Pick<OperationPolicy, "operationId" | "method" | "cache">,
  cache: ResponseCache,
  metrics: Metrics,
  targets?: CachedTargets,
): MiddlewareHandler<AppEnv> | undefined {
  const { cache: declared, method, operationId } = policy;
  if (!declared || method !== "GET") return undefined;
  const cacheControl = `public, max-age=${declared.ttl}, stale-while-revalidate=${STALE_WHILE_REVALIDATE_SECONDS}`;
  return async (c, next) => {
    const tags = expandTagTemplates(declared.tags, c.req.param());
    const lookup = { key: cacheKey(operationId, c.req.url), tags, ttlSeconds: declared.ttl };
    const answer = await cache.answer(lookup, async () => {
      await next();
      return keepable(c, declared.ttl, tags, declared.tags);
    });
    count(metrics, operationId, answer);
    if (answer.entry) targets?.remember(c.req.url, { operationId, key: lookup.key, tags, cacheControl });
    const cacheHeaders = { "X-Cache": answer.outcome.toUpperCase(), "X-Cache-Tier": answer.tier };
    // Nothing computed: the answer is made from the entry alone, in one response.
    if (answer.entry && !c.finalized) return answerFromEntry(c, answer.entry, cacheControl, cacheHeaders);
    if (answer.entry) replaceWithEntry(c, answer.entry, cacheControl);
    else if (c.res.status === 200 && !c.res.headers.has("Cache-Control"))
      c.res.headers.set("Cache-Control", cacheControl);
    // On the response itself: `c.header` after the handler copies the whole response.
    for (const [name, value] of Object.entries(cacheHeaders)) c.res.headers.set(name, value);
  };
}

/** What answers a request target from the in-process tier without routing it again. */
export interface CachedTarget {
  operationId: string;
  key: string;
  tags: string[];
  cacheControl: string;
}

/**
 * Request targets (path and query as sent) the cache has answered, with what their lookup needs;
 * read by the fast path (cached-read-fast-path.ts). Bounded, and emptied when full.
 */
export interface CachedTargets {
  remember(url: string, target: CachedTarget): void;
  get(url: string): CachedTarget | undefined;
}

const MAX_REMEMBERED_CACHED_TARGETS = 10_000;

export function cachedTargets(): CachedTargets {
  const targets = new Map<string, CachedTarget>();
  return {
    remember(url, target) {
      const key = requestTarget(url);
      if (targets.get(key)?.key === target.key) return;
      if (targets.size >= MAX_REMEMBERED_CACHED_TARGETS) targets.clear();
      targets.set(key, target);
    },
    get: (url) => targets.get(requestTarget(url)),
  };
}

function requestTarget(url: string): string {
  return url.slice(url.indexOf("/", url.indexOf("//") + 2));
}

/**
 * The operation, the path and the query with its parameters in order of name, so that the same
 * question asked in another order shares the entry. Nothing of the caller: only operations whose
 * answer is the same for every caller may declare `x-cache`.
 */
export function cacheKey(operationId: string, url: string): string {
  const target = requestTarget(url);
  const queryStart = target.indexOf("?");
  if (queryStart < 0) return `${operationId} ${target}`;
  const remembered = normalisedTargets.get(target);
  if (remembered !== undefined) return `${operationId} ${remembered}`;
  const query = new URLSearchParams(target.slice(queryStart + 1));
  query.sort();
  const normalised = `${target.slice(0, queryStart)}?${query}`;
  if (normalisedTargets.size >= MAX_REMEMBERED_TARGETS) normalisedTargets.clear();
  normalisedTargets.set(target, normalised);
  return `${operationId} ${normalised}`;
}

/**
 * Request targets with a query → their normalised form, remembered: a shop's pages ask the same
 * few questions over and over, and parsing and sorting a query costs more than the lookup.
 * Bounded, and emptied when full, so that clients inventing queries cannot grow it.
 */
const normalisedTargets = new Map<string, string>();
const MAX_REMEMBERED_TARGETS = 10_000;

async function keepable(
  c: Context<AppEnv>,
  ttlSeconds: number,
  tags: string[],
  templates: string[],
): Promise<CachedResponse | "not-kept" | "failed"> {
  const response = c.res;
  if (response.status >= 500) return "failed";
  const contentType = response.headers.get("Content-Type") ?? "";
  if (response.status !== 200 || !JSON_MEDIA_TYPE.test(contentType.split(";")[0]?.trim() ?? "")) {
    return "not-kept";
  }
  // A handler that chose its own policy for one answer (`private`, `no-store`) keeps it, uncached;
  // and a cookie is never replayed to another client.
  if (response.headers.has("Cache-Control") || response.headers.has("Set-Cookie")) return "not-kept";
  // `/products/042` names product 42 too, but its entry would carry the tag `product:042`, which
  // no write invalidates: such a spelling is answered, not kept.
  if (!sameTags(tags, templates, c)) return "not-kept";
  const body = new Uint8Array(await response.arrayBuffer());
  const etag = response.headers.get("ETag") ?? bodyEtag(body);
  return cachedResponse({ status: 200, contentType, etag, body }, ttlSeconds);
}

function sameTags(tags: string[], templates: string[], c: Context<AppEnv>): boolean {
  if (!templates.some((template) => template.includes("{"))) return true;
  const validated = (c.req.valid as (target: "param") => Record<string, string | number> | undefined)(
    "param",
  );
  if (!validated) return false;
  const canonical = expandTagTemplates(templates, validated);
  return canonical.every((tag, index) => tag === tags[index]);
}

/** Headers describing a body; the kept entry brings its own, and a 304 has none (RFC 9110 §15.4.5). */
const BODY_HEADERS = [
  "content-type",
  "content-length",
  "content-encoding",
  "content-language",
  "content-range",
  "transfer-encoding",
];

/**
 * The entry as the answer, when nothing was computed for this request: with the headers earlier
 * middleware prepared (request id), made once, without a response to copy them from.
 */
function answerFromEntry(
  c: Context<AppEnv>,
  entry: CachedResponse,
  cacheControl: string,
  cacheHeaders: Record<string, string>,
): Response {
  const { headers, body } = entryAnswer(entry, cacheControl, c.req.header("If-None-Match"));
  const all = { ...headers, ...cacheHeaders };
  return body === null ? c.body(null, 304, all) : c.body(body, 200, all);
}

/** The answer an entry gives: 200 with the body, or 304 when the client's copy is current. */
export function entryAnswer(
  entry: CachedResponse,
  cacheControl: string,
  ifNoneMatch: string | undefined,
): { status: 200 | 304; headers: Record<string, string>; body: Blob | null } {
  const headers: Record<string, string> = { ETag: entry.etag, "Cache-Control": cacheControl };
  if (!ifNoneMatchSatisfied(ifNoneMatch, entry.etag)) return { status: 304, headers, body: null };
  headers["Content-Type"] = entry.contentType;
  return { status: 200, headers, body: bodyOf(entry) };
}

/**
 * The entry's body as a Blob, made once per entry: a response made from a Blob shares its bytes,
 * where one made from the bytes themselves copies them, on every hit (garbage the collector then
 * has to sweep at the rate of the traffic).
 */
const bodies = new WeakMap<CachedResponse, Blob>();

function bodyOf(entry: CachedResponse): Blob {
  let body = bodies.get(entry);
  if (body === undefined) {
    body = new Blob([entry.body]);
    bodies.set(entry, body);
  }
  return body;
}

/** The entry in place of the response this request computed (and just stored), or a 304. */
function replaceWithEntry(c: Context<AppEnv>, entry: CachedResponse, cacheControl: string): void {
  // What earlier middleware set (request id, CORS) stays; the body's own headers come from the entry.
  const headers = new Headers(c.res.headers);
  for (const name of BODY_HEADERS) headers.delete(name);
  headers.set("ETag", entry.etag);
  headers.set("Cache-Control", cacheControl);
  const fresh = ifNoneMatchSatisfied(c.req.header("If-None-Match"), entry.etag);
  if (fresh) headers.set("Content-Type", entry.contentType);
  // Cleared first: assigning over a response copies its headers (Content-Length too) into the new one.
  c.res = undefined;
  c.res = fresh
    ? new Response(entry.body, { status: 200, headers })
    : new Response(null, { status: 304, headers });
}

function count(metrics: Metrics, operationId: string, answer: CacheAnswer): void {
  metrics.cacheLookups.inc({ operationId, tier: answer.tier, outcome: answer.outcome });
  if (answer.filled) metrics.cacheFills.inc({ operationId });
  if (answer.failedTier) metrics.cacheErrors.inc({ operationId, tier: answer.failedTier });
}
