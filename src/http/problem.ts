import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { FieldError, Problem } from "../../generated/server";
import type { AppEnv } from "./env";

export const PROBLEM_TYPE_BASE = "https://joxicrochet.shop/problems/";

export interface ProblemInit {
  status: ContentfulStatusCode;
  code: string;
  title: string;
  detail?: string;
  errors?: FieldError[];
  /** Extension members of this kind of problem, such as `checks` of `not_ready`. */
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Thrown anywhere in the HTTP layer to answer with a problem document. */
export class HttpProblem extends Error {
  override name = "HttpProblem";

  constructor(readonly init: ProblemInit) {
    super(init.detail ?? init.title);
  }
}

/** An RFC 9457 problem+json response for the current request. */
export function problemResponse(c: Context<AppEnv>, init: ProblemInit): Response {
  const requestId = c.get("requestId");
  const body: Problem & Record<string, unknown> = {
    type: `${PROBLEM_TYPE_BASE}${init.code}`,
    title: init.title,
    status: init.status,
    ...(init.detail === undefined ? {} : { detail: init.detail }),
    instance: c.req.path,
    code: init.code,
    requestId,
    ...(init.errors === undefined ? {} : { errors: init.errors }),
    ...init.extensions,
  };
  return c.body(JSON.stringify(body), init.status, {
    "Content-Type": "application/problem+json",
    "X-Request-Id": requestId,
    ...init.headers,
  });
}
