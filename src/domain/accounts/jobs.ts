import { z } from "zod";

/**
 * Work that a request only records, so that it answers in the same time whether or not the
 * address has an account: the outbox worker does it afterwards (looking the account up, making
 * the token or code, queueing the mail). A job holds the address only, never a token or a code.
 */
export const ACCOUNT_JOB_KINDS = {
  passwordResetMail: "accounts.password-reset-mail",
  signInCodeMail: "accounts.sign-in-code-mail",
} as const;

export type AccountJobKind = (typeof ACCOUNT_JOB_KINDS)[keyof typeof ACCOUNT_JOB_KINDS];

export interface AccountJob {
  kind: AccountJobKind;
  email: string;
}

const Payload = z.strictObject({ email: z.string().min(1) });

export const payloadOf = (job: AccountJob): { email: string } => ({ email: job.email });

/** The address a recorded job is about. */
export function emailOf(payload: unknown): string {
  return Payload.parse(payload).email;
}
