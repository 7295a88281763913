import type { Logger } from "../logger";
import { createFolderMailer } from "./folder";
import { createSmtpMailer } from "./smtp";
import type { Mailer } from "./types";

export type { Mailer, MailMessage } from "./types";

export interface MailerOptions {
  /** When set, mail goes to this SMTP server; otherwise it is written to `outboxDir`. */
  smtpUrl?: string | undefined;
  /** The From header of every message, e.g. "JoxiCrochet <shop@joxicrochet.shop>". */
  from: string;
  /** Folder of .eml files for the embedded default (`${DATA_DIR}/outbox`). */
  outboxDir: string;
}

/** SMTP when a server is configured, otherwise a folder of .eml files. */
export function createMailer(options: MailerOptions, logger: Logger): Mailer {
  return options.smtpUrl
    ? createSmtpMailer({ smtpUrl: options.smtpUrl, from: options.from }, logger)
    : createFolderMailer({ outboxDir: options.outboxDir, from: options.from }, logger);
}
