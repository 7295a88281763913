import { randomInt } from "node:crypto";
import { eq } from "drizzle-orm";
import { outbox } from "../../../db/schema/index.ts";
import type { Db } from "../../../src/platform/db";
import type { MailMessage } from "../../../src/platform/mailer";

export const FROM = "JoxiCrochet <shop@joxicrochet.shop>";

/** A sign-in mail with a fresh six-digit code, the kind of secret that must not reach the logs. */
export function codeMail(to: string): { message: MailMessage; code: string } {
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  return {
    code,
    message: {
      to,
      subject: "Your JoxiCrochet sign-in code",
      text: `Hello!\n\nYour sign-in code is ${code}. It expires in 10 minutes.\n`,
      html: `<p>Hello!</p><p>Your sign-in code is <b>${code}</b>. It expires in 10 minutes.</p>`,
    },
  };
}

export function readCode(text: string | undefined): string | undefined {
  return text?.match(/\b(\d{6})\b/)?.[1];
}

export async function outboxRow(db: Db, id: string) {
  const [row] = await db.select().from(outbox).where(eq(outbox.id, id));
  if (!row) throw new Error(`no outbox row ${id}`);
  return row;
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for a condition");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const seconds = (date: Date, s: number) => new Date(date.getTime() + s * 1000);
