import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { OperationPolicy } from "../../generated/server";
import { InvalidAccessToken } from "../platform/auth/access-tokens";
import type { Authenticator } from "../platform/auth/authenticator";
import type { Caller } from "../platform/auth/caller";
import { SESSION_COOKIE } from "../platform/auth/options";
import type { AppEnv } from "./env";
import { HttpProblem } from "./problem";

const CHALLENGE = { "WWW-Authenticate": 'Bearer realm="joxicrochet"' };

interface Identified {
  caller?: Caller;
  /** The cookie of a session this request extended. */
  renewedCookies: string[];
}

/**
 * Authentication and roles for one operation, as its contract declares them: a Bearer access
 * token or the session cookie, where the operation accepts it; 401 without valid credentials when
 * they are required, 403 when the caller lacks the role. No handler checks either itself.
 */
export function authenticate(
  policy: OperationPolicy,
  authenticator: Authenticator,
): MiddlewareHandler<AppEnv> {
  const bearerAllowed = policy.auth.schemes.includes("bearerAuth");
  const cookieAllowed = policy.auth.schemes.includes("sessionCookie");
  return async (c, next) => {
    const { caller, renewedCookies } = await identify(c, bearerAllowed, cookieAllowed, authenticator);
    if (!caller && policy.auth.required) {
      throw new HttpProblem({
        status: 401,
        code: "unauthenticated",
        title: "Authentication required",
        detail: "Send a valid session cookie or a Bearer access token",
        headers: CHALLENGE,
      });
    }
    if (caller && policy.roles.length > 0 && !policy.roles.includes(caller.role)) {
      throw new HttpProblem({
        status: 403,
        code: "forbidden",
        title: "Forbidden",
        detail: `This operation needs the ${policy.roles.join(" or ")} role`,
      });
    }
    if (caller) {
      c.set("caller", caller);
      c.set("userId", caller.userId);
    }
    await next();
    // The browser's cookie must live as long as the session now does, unless the operation
    // itself set or cleared it (sign-out, a renewed session).
    const setByOperation = c.res.headers
      .getSetCookie()
      .some((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`));
    if (!setByOperation) for (const cookie of renewedCookies) c.res.headers.append("Set-Cookie", cookie);
  };
}

async function identify(
  c: Context<AppEnv>,
  bearerAllowed: boolean,
  cookieAllowed: boolean,
  authenticator: Authenticator,
): Promise<Identified> {
  const authorization = c.req.header("authorization");
  if (bearerAllowed && authorization) {
    const [scheme, token] = authorization.split(" ");
    if (scheme?.toLowerCase() !== "bearer" || !token) throw invalidToken("Use the Bearer scheme");
    try {
      return { caller: await authenticator.fromBearer(token), renewedCookies: [] };
    } catch (error) {
      if (error instanceof InvalidAccessToken)
        throw invalidToken("The access token is invalid, expired or revoked");
      throw error;
    }
  }
  if (cookieAllowed && getCookie(c, SESSION_COOKIE)) {
    const found = await authenticator.fromCookie(c.req.raw.headers);
    if (found) {
      const { renewedCookies, ...caller } = found;
      return { caller, renewedCookies };
    }
  }
  return { renewedCookies: [] };
}

function invalidToken(detail: string): HttpProblem {
  return new HttpProblem({
    status: 401,
    code: "invalid_token",
    title: "Invalid access token",
    detail,
    headers: { "WWW-Authenticate": 'Bearer realm="joxicrochet", error="invalid_token"' },
  });
}

/** The authenticated caller; the contract guarantees one on operations that require it. */
export function callerOf(c: Context<AppEnv>): Caller {
  const caller = c.get("caller");
  if (!caller)
    throw new HttpProblem({ status: 401, code: "unauthenticated", title: "Authentication required" });
  return caller;
}
