import { accountMail } from "../domain/accounts/mail";
import type { AuthMail } from "../platform/auth/options";
import type { MailMessage } from "../platform/mailer";

/** The mails authentication sends: written by the accounts domain, handed to `send` (the outbox). */
export function accountMailer(shopUrl: string, send: (message: MailMessage) => Promise<void>): AuthMail {
  const mails = accountMail(shopUrl);
  return {
    verifyEmail: (to, token) => send(mails.verifyEmail(to, token)),
    resetPassword: (to, token) => send(mails.resetPassword(to, token)),
    signInCode: (to, code) => send(mails.signInCode(to, code)),
    twoFactorCode: (to, code) => send(mails.twoFactorCode(to, code)),
  };
}
