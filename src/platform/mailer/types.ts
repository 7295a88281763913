/**
 * One e-mail as the application writes it. The sender is the configured `MAIL_FROM`.
 * Bodies may carry one-time codes and reset links: they are never logged. The recipient and
 * the subject are logged, so a subject must never contain a secret.
 */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** Hands a message to the outside world: an SMTP server, or a folder of .eml files. */
export interface Mailer {
  readonly kind: "smtp" | "folder";
  /** Resolves once the message is accepted (by the server, or written to disk); rejects otherwise. */
  send(message: MailMessage): Promise<void>;
  close(): Promise<void>;
}
