import type { Context, MiddlewareHandler } from "hono";
import type { OperationPolicy } from "../../generated/server";
import { rateLimitSubject, type TrustedProxies } from "../net/ip";
import { digest, type RateLimiter, type RateLimitResult } from "../platform/rate-limit";
import { clientIpOf } from "./client-ip";
import type { AppEnv } from "./env";
import { HttpProblem } from "./problem";

/**
 * Rate limits as draft-ietf-httpapi-ratelimit-headers (-10) describes them to clients:
 *
 *     RateLimit-Policy: "general";q=100;w=60, "signIn";q=5;w=60     every policy that applies
 *     RateLimit: "signIn";r=4;t=60                                   the most constraining one
 *
 * `r` is what is left of the quota, `t` the seconds until the whole quota is back (with the
 * sliding window that can be up to two windows: the previous window's requests still weigh).
 * Both fields are on every response these middlewares pass, errors and the 429 included; a 429
 * also carries `Retry-After` (the seconds until one more request would be let in).
 */

const GENERAL_POLICY = "general";
const GENERAL_WINDOW_SECONDS = 60;

/** One policy counted for the current request. */
interface AppliedPolicy extends RateLimitResult {
  name: string;
  windowSeconds: number;
}

interface RequestState {
  /** The client's rate-limit subject, read once (before bodyLimit may replace the raw request). */
  subject?: string;
  applied: AppliedPolicy[];
}

const states = new WeakMap<Context, RequestState>();

function stateOf(c: Context): RequestState {
  let state = states.get(c);
  if (!state) {
    state = { applied: [] };
    states.set(c, state);
  }
  return state;
}

const GENERAL_NAME_FIELD = `"${GENERAL_POLICY}"`;

/** Requests whose peer address is unknown (only under `app.request()` without an env) share one counter. */
const UNKNOWN_CLIENT = "unknown";

/**
 * Client address → rate-limit subject, remembered: parsing an address (BigInt arithmetic for
 * IPv6) on every request costs more than the counting. Bounded, and emptied when full, so that
 * clients cycling through addresses cannot grow it.
 */
const subjects = new Map<string, string>();
const MAX_REMEMBERED_SUBJECTS = 10_000;

function subjectOf(ip: string): string {
  let subject = subjects.get(ip);
  if (subject === undefined) {
    subject = rateLimitSubject(ip);
    if (subjects.size >= MAX_REMEMBERED_SUBJECTS) subjects.clear();
    subjects.set(ip, subject);
  }
  return subject;
}

function clientSubject(c: Context, trusted: TrustedProxies): string {
  const state = stateOf(c);
  state.subject ??= requestSubject(c.req.raw, c.env, trusted);
  return state.subject;
}

/**
 * Requests whose general limit was already counted before they reached the app (by the fast
 * path, which hands over what it does not answer itself): counted once, not twice.
 */
export const decidedEarlier = new WeakMap<Request, RateLimitResult>();

/** The general policy's key for a client subject. */
export const generalLimitKey = (subject: string) => `${GENERAL_POLICY}:ip:${subject}`;
export { GENERAL_WINDOW_SECONDS };

/** The rate-limit subject of a request that has no context yet (see the fast path). */
export function requestSubject(request: Request, env: unknown, trusted: TrustedProxies): string {
  const ip = clientIpOf(request, env, trusted);
  return ip === undefined ? UNKNOWN_CLIENT : subjectOf(ip);
}

/** `RateLimit-Policy` and `RateLimit` when the general policy is the only one counted. */
export function generalLimitFields(perMinute: number): (result: RateLimitResult) => [string, string][] {
  const policy = policyField([
    { name: GENERAL_POLICY, limit: perMinute, windowSeconds: GENERAL_WINDOW_SECONDS },
  ]);
  return (result) => [
    ["RateLimit-Policy", policy],
    ["RateLimit", `${GENERAL_NAME_FIELD};r=${result.remaining};t=${result.resetSeconds}`],
  ];
}

export interface GeneralRateLimitOptions {
  limiter: RateLimiter;
  /** Requests per minute per client address (`RATE_LIMIT_PER_MINUTE`). */
  perMinute: number;
  trustedProxies: TrustedProxies;
  /** Operations the general limit does not apply to (`x-rate-limit: false`); see `exemptFromGeneralLimit`. */
  exempt?: (method: string, path: string) => boolean;
}

/**
 * The general per-client limit, for `app.use` ahead of routing (and ahead of `bodyLimit`, so
 * that a flood is refused before its bodies are read). Unknown paths count too.
 */
export function generalRateLimit(options: GeneralRateLimitOptions): MiddlewareHandler<AppEnv> {
  const { limiter, perMinute, trustedProxies, exempt } = options;
  // The common case, the general policy alone, has a constant RateLimit-Policy field.
  const generalFields = generalLimitFields(perMinute);
  return async (c, next) => {
    if (exempt?.(c.req.method, c.req.path)) return next();
    const subject = clientSubject(c, trustedProxies);
    const key = generalLimitKey(subject);
    // Most requests are decided on the spot; waiting for Redis is for the rest.
    const result =
      decidedEarlier.get(c.req.raw) ??
      limiter.admitLocally?.(key, perMinute, GENERAL_WINDOW_SECONDS) ??
      (await limiter.hit(key, perMinute, GENERAL_WINDOW_SECONDS));
    const state = stateOf(c);
    state.applied.push({ name: GENERAL_POLICY, windowSeconds: GENERAL_WINDOW_SECONDS, ...result });
    if (!result.allowed) throw tooManyRequests(state);
    await next();
    if (state.applied.length === 1 && result.limit === perMinute) {
      // Straight onto the response: `c.header` after the handler copies the whole response.
      const headers = c.res.headers;
      for (const [name, value] of generalFields(result)) headers.set(name, value);
    } else {
      setRateLimitHeaders(c, state);
    }
  };
}

export type RateLimitDimension = NonNullable<OperationPolicy["rateLimit"]>["by"][number];

export interface OperationRateLimitOptions {
  limiter: RateLimiter;
  trustedProxies: TrustedProxies;
  /** The signed-in user, for the `user` dimension; by default the `userId` context variable. */
  userOf?: (c: Context<AppEnv>) => string | undefined;
  /** Multiplies the contract's limit (RATE_LIMIT_SCALE), so that a load test can raise it. */
  scale?: number;
  /**
   * The device a request comes from when it proves (a device cookie, see trusted-device.ts) that
   * it signed in to the account of this (normalised) e-mail before; undefined otherwise.
   */
  trustedDevice?: (c: Context<AppEnv>, email: string) => Promise<string | undefined>;
}

/**
 * The operation's own limit (`x-rate-limit`), as route middleware: after routing, before the
 * request is validated (and after authentication when the limit counts per `user`). Each
 * dimension in `by` has its own counter, keyed by operationId, dimension and value:
 * `ip` the client address, `email` the trimmed, lower-cased `email` of a JSON body (stored as
 * a digest), `user` the signed-in user. A dimension without a value (no e-mail in the body, no
 * user) is not counted. The request is refused when any counter is exhausted.
 *
 * A client that proves it signed in to the e-mail's account before (`trustedDevice`) counts
 * against a counter of its own device instead of the account's, with the same limit: strangers
 * who use up the account's attempts do not lock its owner out. Its `ip` counter still applies.
 */
export function operationRateLimit(
  policy: Pick<OperationPolicy, "operationId" | "rateLimit">,
  options: OperationRateLimitOptions,
): MiddlewareHandler<AppEnv> {
  const rule = policy.rateLimit;
  if (!rule) return async (_c, next) => next();
  const { limiter, trustedProxies } = options;
  const limit = rule.limit * (options.scale ?? 1);
  const userOf = options.userOf ?? defaultUserOf;

  /** The account's counter, or the device's own when the client signed in to that account before. */
  async function emailCounter(c: Context<AppEnv>): Promise<string | undefined> {
    const email = await emailOf(c);
    if (email === undefined) return undefined;
    const device = await options.trustedDevice?.(c, email);
    return device === undefined ? `email:${digest(email)}` : `device:${device}`;
  }

  return async (c, next) => {
    const subjects: string[] = [];
    for (const dimension of rule.by) {
      const counter =
        dimension === "ip"
          ? `ip:${clientSubject(c, trustedProxies)}`
          : dimension === "email"
            ? await emailCounter(c)
            : optionalCounter("user", userOf(c));
      if (counter !== undefined) subjects.push(`${policy.operationId}:${counter}`);
    }
    const state = stateOf(c);
    if (subjects.length > 0) {
      const results = await Promise.all(subjects.map((key) => limiter.hit(key, limit, rule.windowSeconds)));
      const combined = combine(results);
      state.applied.push({ name: policy.operationId, windowSeconds: rule.windowSeconds, ...combined });
      if (!combined.allowed) throw tooManyRequests(state);
    }
    await next();
    setRateLimitHeaders(c, state);
  };
}

/** Several counters of one policy, as one: refused if any is, the least remaining, the latest reset. */
function combine(results: RateLimitResult[]): RateLimitResult {
  const refused = results.filter((result) => !result.allowed);
  const combined: RateLimitResult = {
    allowed: refused.length === 0,
    limit: Math.min(...results.map((result) => result.limit)),
    remaining: Math.min(...results.map((result) => result.remaining)),
    resetSeconds: Math.max(...results.map((result) => result.resetSeconds)),
  };
  if (refused.length > 0) {
    combined.retryAfterSeconds = Math.max(...refused.map((result) => result.retryAfterSeconds ?? 1));
  }
  return combined;
}

function defaultUserOf(c: Context<AppEnv>): string | undefined {
  return c.get("userId") || undefined;
}

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

const optionalCounter = (dimension: string, value: string | undefined) =>
  value === undefined ? undefined : `${dimension}:${value}`;

/**
 * The `email` field of a JSON body, trimmed and lower-cased (clients choose it: counters hold
 * only a digest of it, never stored or logged in the clear, whose length cannot grow a key).
 * Hono caches the body text, so the validators after this still read the whole body; a body
 * that is not JSON is left for them to refuse.
 */
async function emailOf(c: Context): Promise<string | undefined> {
  const mediaType = (c.req.header("content-type") ?? "").split(";")[0]?.trim() ?? "";
  if (!JSON_MEDIA_TYPE.test(mediaType)) return undefined;
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return undefined;
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
  const email = (body as Record<string, unknown>).email;
  if (typeof email !== "string") return undefined;
  const normalized = email.trim().toLowerCase();
  return normalized === "" ? undefined : normalized;
}

/** The policy a client should heed: a refused one first, then the least remaining, then the latest reset. */
function mostConstraining(applied: AppliedPolicy[]): AppliedPolicy | undefined {
  let chosen: AppliedPolicy | undefined;
  for (const policy of applied) {
    if (
      chosen === undefined ||
      Number(chosen.allowed) - Number(policy.allowed) > 0 ||
      (chosen.allowed === policy.allowed &&
        (policy.remaining < chosen.remaining ||
          (policy.remaining === chosen.remaining && policy.resetSeconds > chosen.resetSeconds)))
    ) {
      chosen = policy;
    }
  }
  return chosen;
}

/** A structured-field string (RFC 8941 §3.3.3). */
function sfString(value: string): string {
  return `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

/** The `RateLimit-Policy` field of these policies. */
function policyField(applied: readonly Pick<AppliedPolicy, "name" | "limit" | "windowSeconds">[]): string {
  return applied
    .map((policy) => `${sfString(policy.name)};q=${policy.limit};w=${policy.windowSeconds}`)
    .join(", ");
}

/** The `RateLimit` field of the binding policy. */
function rateLimitField(binding: AppliedPolicy): string {
  return `${sfString(binding.name)};r=${binding.remaining};t=${binding.resetSeconds}`;
}

/** The `RateLimit-Policy` and `RateLimit` fields for the policies counted so far. */
export function rateLimitHeaders(applied: readonly AppliedPolicy[]): Record<string, string> {
  const binding = mostConstraining([...applied]);
  if (!binding) return {};
  return { "RateLimit-Policy": policyField(applied), RateLimit: rateLimitField(binding) };
}

function setRateLimitHeaders(c: Context, state: RequestState): void {
  const binding = mostConstraining(state.applied);
  if (!binding) return;
  // Straight onto the response: `c.header` after the handler copies the whole response.
  const headers = c.res.headers;
  headers.set("RateLimit-Policy", policyField(state.applied));
  headers.set("RateLimit", rateLimitField(binding));
}

function tooManyRequests(state: RequestState): HttpProblem {
  const refused = state.applied.filter((policy) => !policy.allowed);
  const retryAfter = Math.max(...refused.map((policy) => policy.retryAfterSeconds ?? 1));
  const binding = refused.find((policy) => policy.retryAfterSeconds === retryAfter) ?? refused[0];
  const scope = binding && binding.name !== GENERAL_POLICY ? ` for ${binding.name}` : "";
  return new HttpProblem({
    status: 429,
    code: "rate_limited",
    title: "Too many requests",
    detail: `Limit of ${binding?.limit} requests per ${binding?.windowSeconds} seconds${scope} reached; retry in ${retryAfter} seconds`,
    headers: { "Retry-After": String(retryAfter), ...rateLimitHeaders(state.applied) },
  });
}

/**
 * The operations exempt from the general limit (`x-rate-limit: false`: probes, metrics), as the
 * `exempt` test `generalRateLimit` runs before routing. HEAD goes with GET.
 */
export function exemptFromGeneralLimit(
  policies: Iterable<Pick<OperationPolicy, "method" | "path" | "generalRateLimit">>,
): (method: string, path: string) => boolean {
  // Exact paths are looked up; a templated one is tried only on paths with its literal prefix.
  const exactPaths = new Set<string>();
  const templated: { method: string; prefix: string; pattern: RegExp }[] = [];
  for (const policy of policies) {
    if (policy.generalRateLimit) continue;
    const methods = policy.method === "GET" ? ["GET", "HEAD"] : [policy.method];
    const literals = policy.path.split(/\{[^}]+\}/);
    if (literals.length === 1) {
      for (const method of methods) exactPaths.add(`${method} ${policy.path}`);
      continue;
    }
    const source = literals.map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[^/]+");
    const pattern = new RegExp(`^${source}$`);
    for (const method of methods) templated.push({ method, prefix: literals[0] ?? "", pattern });
  }
  return (method, path) =>
    exactPaths.has(`${method} ${path}`) ||
    templated.some(
      (entry) => entry.method === method && path.startsWith(entry.prefix) && entry.pattern.test(path),
    );
}
