import type { Logger } from "../logger";
import { loadNodemailer } from "./load-nodemailer";
import type { Mailer, MailMessage } from "./types";

export interface SmtpMailerOptions {
  /** smtp:// or smtps:// URL, with credentials and query options as nodemailer reads them. */
  smtpUrl: string;
  from: string;
  /** The most one send may take, connection included; a stalled server fails the send. */
  sendTimeoutMs?: number;
}

const SECOND = 1000;

/**
 * A pooled nodemailer SMTP transport. The timeouts are short so that a dead or stalled server
 * fails a send within seconds; the outbox retries it later.
 */
export function createSmtpMailer(options: SmtpMailerOptions, logger: Logger): Mailer {
  const sendTimeoutMs = options.sendTimeoutMs ?? 60 * SECOND;
  // Made with the first message; see loadNodemailer.
  let transport: ReturnType<typeof open> | undefined;
  const open = () =>
    loadNodemailer().then((nodemailer) =>
      nodemailer.createTransport(
        {
          url: options.smtpUrl,
          pool: true,
          maxConnections: 2,
          // A dropped connection is the outbox's to retry (with backoff), not the pool's.
          maxRequeues: 1,
          idleTimeout: 60 * SECOND,
          connectionTimeout: 10 * SECOND,
          greetingTimeout: 10 * SECOND,
          socketTimeout: 30 * SECOND,
          dnsTimeout: 10 * SECOND,
          // nodemailer's own logger can print message contents; ours logs the envelope only.
          logger: false,
          debug: false,
        },
        { from: options.from },
      ),
    );
  return {
    kind: "smtp",
    async send(message: MailMessage) {
      transport ??= open();
      const info = await (await transport).sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        signal: AbortSignal.timeout(sendTimeoutMs),
      });
      logger.info({ to: message.to, subject: message.subject, messageId: info.messageId }, "mail sent");
    },
    async close() {
      if (transport) (await transport).close();
    },
  };
}
