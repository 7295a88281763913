/**
 * Errors the domain raises, by stable code. The HTTP layer decides their status; the domain
 * only says what went wrong.
 */
export type DomainErrorCode =
  | "not_found"
  | "conflict"
  | "invalid_state"
  | "dependency_unavailable"
  | "overloaded"
  | "unauthenticated"
  | "invalid_credentials"
  | "invalid_code"
  | "code_expired"
  | "invalid_token"
  | "email_taken"
  | "account_locked"
  | "forbidden"
  | "invalid_cursor"
  | "slug_taken"
  | "precondition_failed"
  | "precondition_required"
  | "insufficient_stock"
  | "product_unavailable"
  | "quantity_limit"
  | "cart_full"
  | "cart_empty"
  | "out_of_stock"
  | "checkout_closed"
  | "checkout_incomplete"
  | "already_paid"
  | "payment_required"
  | "payment_pending"
  | "payment_failed"
  | "invalid_signature"
  | "invalid_transition"
  | "category_cycle"
  | "category_too_deep"
  | "category_not_empty"
  | "unprocessable"
  | "unsupported_media_type"
  | "payload_too_large"
  | "invalid_image"
  | "image_too_large";

export class DomainError extends Error {
  override name = "DomainError";
  /** When the same request is expected to succeed if tried again (a passing overload), in seconds. */
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}
