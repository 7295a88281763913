import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Logger } from "pino";
import { DomainError, type DomainErrorCode } from "../domain/errors";
import type { AppEnv } from "./env";
import { HttpProblem, type ProblemInit, problemResponse } from "./problem";

const DOMAIN_STATUS: Record<
  DomainErrorCode,
  {
    status: ContentfulStatusCode;
    title: string;
    headers?: Record<string, string>;
    /** Said in HTTP's terms, where the domain's own words cannot name the header to send. */
    detail?: string;
  }
> = {
  not_found: { status: 404, title: "Not found" },
  conflict: { status: 409, title: "Conflict" },
  invalid_state: { status: 409, title: "Invalid state" },
  dependency_unavailable: { status: 503, title: "Service unavailable" },
  overloaded: { status: 503, title: "Service overloaded" },
  unauthenticated: { status: 401, title: "Authentication required" },
  invalid_credentials: { status: 401, title: "Invalid credentials" },
  invalid_code: { status: 401, title: "Invalid code" },
  code_expired: { status: 401, title: "Code expired" },
  invalid_token: { status: 401, title: "Invalid or expired token" },
  email_taken: { status: 409, title: "E-mail address taken" },
  // Better-Auth locks the second step for 15 minutes after 3 wrong codes.
  account_locked: { status: 429, title: "Too many failed attempts", headers: { "Retry-After": "900" } },
  forbidden: { status: 403, title: "Forbidden" },
  invalid_cursor: { status: 400, title: "Invalid cursor" },
  slug_taken: { status: 409, title: "Slug taken" },
  precondition_failed: { status: 412, title: "Precondition failed" },
  precondition_required: {
    status: 428,
    title: "Precondition required",
    detail: "Send the ETag you last read in If-Match, so that concurrent edits are not lost",
  },
  insufficient_stock: { status: 409, title: "Insufficient stock" },
  product_unavailable: { status: 409, title: "Product not on sale" },
  quantity_limit: { status: 400, title: "Quantity limit" },
  cart_full: { status: 400, title: "Cart full" },
  cart_empty: { status: 409, title: "Cart empty" },
  out_of_stock: { status: 409, title: "Out of stock" },
  checkout_closed: { status: 409, title: "Checkout ended" },
  checkout_incomplete: { status: 409, title: "Checkout incomplete" },
  already_paid: { status: 409, title: "Already paid" },
  payment_required: { status: 409, title: "Payment required" },
  payment_pending: { status: 409, title: "Payment pending" },
  payment_failed: { status: 409, title: "Payment failed" },
  invalid_signature: { status: 400, title: "Invalid signature" },
  invalid_transition: { status: 409, title: "Invalid status change" },
  category_cycle: { status: 409, title: "Category cycle" },
  category_too_deep: { status: 409, title: "Category nested too deep" },
  category_not_empty: { status: 409, title: "Category not empty" },
  unprocessable: { status: 422, title: "Unprocessable content" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  payload_too_large: { status: 413, title: "Payload too large" },
  invalid_image: { status: 422, title: "Unprocessable content" },
  // Bytes within the limit but too many pixels (a decompression bomb): the content, not the size.
  image_too_large: { status: 422, title: "Image too large" },
};

/** What Hono's own exceptions mean, as problems a client can branch on. */
const HTTP_EXCEPTIONS: Partial<Record<number, Omit<ProblemInit, "status">>> = {
  400: { code: "malformed_request", title: "Malformed request" },
  413: { code: "payload_too_large", title: "Payload too large" },
  415: { code: "unsupported_media_type", title: "Unsupported media type" },
};

/** Every error becomes a problem document; only unexpected ones are logged with their stack. */
export function errorHandler(logger: Logger) {
  return (error: Error, c: Context<AppEnv>): Response => {
    if (error instanceof HttpProblem) return problemResponse(c, error.init);
    if (error instanceof DomainError) {
      const { detail, headers, ...mapped } = DOMAIN_STATUS[error.code];
      const retryAfter = error.retryAfterSeconds;
      return problemResponse(c, {
        ...mapped,
        code: error.code,
        detail: detail ?? error.message,
        extensions: error.details,
        headers: retryAfter === undefined ? headers : { ...headers, "Retry-After": String(retryAfter) },
      });
    }
    if (error instanceof HTTPException) {
      const known = HTTP_EXCEPTIONS[error.status];
      if (known) {
        const detail = error.status === 415 ? unsupportedMediaTypeDetail(c) : error.message;
        return problemResponse(c, { status: error.status as ContentfulStatusCode, ...known, detail });
      }
    }
    logger.error(
      { err: error, requestId: c.get("requestId"), operationId: c.get("operationId") },
      "unhandled error while serving a request",
    );
    return problemResponse(c, {
      status: 500,
      code: "internal_error",
      title: "Internal server error",
      detail: "Something went wrong on our side; quote the request id when contacting support",
    });
  };
}

function unsupportedMediaTypeDetail(c: Context<AppEnv>): string {
  const sent = c.req.header("content-type");
  return sent ? `Content-Type '${sent}' is not accepted here` : "A request body needs a Content-Type";
}
