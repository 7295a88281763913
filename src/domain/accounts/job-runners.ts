import { type AccountJobKind, emailOf } from "./jobs";
import { mailPasswordReset, mailSignInCode } from "./security";
import type { AccountsDeps } from "./sessions";

/** What runs each recorded accounts job, given the job's payload. */
export function accountJobRunners(
  deps: AccountsDeps,
): Record<AccountJobKind, (payload: unknown) => Promise<void>> {
  return {
    "accounts.password-reset-mail": (payload) => mailPasswordReset(deps, emailOf(payload)),
    "accounts.sign-in-code-mail": (payload) => mailSignInCode(deps, emailOf(payload)),
  };
}
