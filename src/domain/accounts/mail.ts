import type { MailMessage } from "../../platform/mailer";

/**
 * The mails authentication sends. Links point at the shop's web pages, which call the API with
 * the token; subjects never carry a secret (they are logged).
 */
export function accountMail(shopUrl: string) {
  const link = (path: string, token: string) => `${shopUrl}${path}?token=${encodeURIComponent(token)}`;
  return {
    verifyEmail: (to: string, token: string): MailMessage => ({
      to,
      subject: "Confirm your e-mail address",
      text: `Welcome to JoxiCrochet!\n\nConfirm your address by opening this link within 24 hours:\n${link("/verify-email", token)}\n\nVerification token: ${token}\n`,
    }),
    resetPassword: (to: string, token: string): MailMessage => ({
      to,
      subject: "Reset your password",
      text: `Someone asked to reset the password of your JoxiCrochet account.\n\nOpen this link within 30 minutes to choose a new one:\n${link("/reset-password", token)}\n\nReset token: ${token}\n\nIf it was not you, ignore this mail: your password stays as it is.\n`,
    }),
    signInCode: (to: string, code: string): MailMessage => ({
      to,
      subject: "Your JoxiCrochet sign-in code",
      text: `Your sign-in code is ${code}\n\nIt works for 5 minutes and 3 tries. If you did not ask for it, ignore this mail.\n`,
    }),
    twoFactorCode: (to: string, code: string): MailMessage => ({
      to,
      subject: "Your JoxiCrochet verification code",
      text: `Your verification code is ${code}\n\nIt works for a few minutes and 3 tries.\n`,
    }),
  };
}
