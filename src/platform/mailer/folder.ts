import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../logger";
import { loadNodemailer } from "./load-nodemailer";
import type { Mailer, MailMessage } from "./types";

export interface FolderMailerOptions {
  /** Where the .eml files go; created when missing. */
  outboxDir: string;
  from: string;
}

/**
 * The embedded default: every message becomes an RFC 822 .eml file (built by nodemailer, so it
 * is the same message SMTP would carry) that any mail client opens. File names sort by time.
 */
export function createFolderMailer(options: FolderMailerOptions, logger: Logger): Mailer {
  // Made with the first message; see loadNodemailer.
  let composer: ReturnType<typeof open> | undefined;
  const open = () =>
    loadNodemailer().then((nodemailer) =>
      nodemailer.createTransport(
        { streamTransport: true, buffer: true, newline: "windows" },
        { from: options.from },
      ),
    );
  return {
    kind: "folder",
    async send(message: MailMessage) {
      composer ??= open();
      const info = await (await composer).sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
      });
      const name = `${fileStamp(new Date())}-${randomBytes(6).toString("hex")}.eml`;
      await writeAtomically(options.outboxDir, name, info.message as Buffer);
      logger.info(
        { to: message.to, subject: message.subject, messageId: info.messageId, file: name },
        "mail written",
      );
    },
    async close() {
      if (composer) (await composer).close();
    },
  };
}

/** 2026-01-02T03:04:05.678Z → 20260102T030405678Z: sorts as text, valid in every file system. */
function fileStamp(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, "");
}

/** A reader of the folder never sees half a message: write aside, then rename into place. */
async function writeAtomically(dir: string, name: string, content: Buffer): Promise<void> {
  await mkdir(dir, { recursive: true });
  const temporary = join(dir, `.${name}.tmp`);
  try {
    // The messages carry one-time codes: readable by the owner only.
    await writeFile(temporary, content, { mode: 0o600 });
    await rename(temporary, join(dir, name));
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
