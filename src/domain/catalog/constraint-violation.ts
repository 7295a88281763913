/**
 * The name of the constraint a failed statement violated, when it was a unique (23505),
 * foreign-key (23503) or check (23514) violation. Drizzle wraps driver errors, so the cause
 * chain is searched; node-postgres and PGlite both report `code` and `constraint`.
 */
export function violatedConstraint(error: unknown, codes = ["23505", "23503", "23514"]): string | undefined {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const { code, constraint } = current as { code?: unknown; constraint?: unknown };
    if (typeof code === "string" && codes.includes(code) && typeof constraint === "string") return constraint;
  }
  return undefined;
}
