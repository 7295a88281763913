/**
 * Errors the domain raises, by stable code. The HTTP layer decides their status; the domain
 * only says what went wrong.
 */
export type DomainErrorCode =
  | "not_found"
  | "conflict"
  | "invalid_state"
  | "dependency_unavailable"
  | "unauthenticated"
  | "invalid_credentials"
  | "invalid_code"
  | "code_expired"
  | "invalid_token"
  | "email_taken"
  | "account_locked"
  | "forbidden"
  | "invalid_cursor";

export class DomainError extends Error {
  override name = "DomainError";

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
