import type { components } from "../../generated/client/schema";

export type Problem = components["schemas"]["Problem"];
export type FieldError = components["schemas"]["FieldError"];

/**
 * A problem+json answer as an error: `status`, the stable `code` to branch on, the field
 * `errors[]` of a validation failure and the `requestId` to quote to support. Any further
 * members of the problem (`allowedTransitions`, `missing`, ...) are in `problem`.
 */
export class ApiError<Code extends string = string> extends Error {
  override name = "ApiError";
  readonly status: number;
  readonly code: Code;
  readonly errors: FieldError[];
  readonly requestId: string | undefined;

  constructor(
    readonly problem: Problem & Record<string, unknown>,
    readonly response?: Response,
  ) {
    super(`${problem.status} ${problem.code}: ${problem.detail ?? problem.title}`);
    this.status = problem.status;
    this.code = problem.code as Code;
    this.errors = problem.errors ?? [];
    this.requestId = problem.requestId;
  }

  /** Whether this is the problem `code`: narrows the error so its `code` is that literal. */
  is<C extends string>(code: C): this is ApiError<C> {
    return (this.code as string) === code;
  }
}

export function isProblem(value: unknown): value is Problem & Record<string, unknown> {
  return typeof value === "object" && value !== null && "code" in value && "status" in value;
}
