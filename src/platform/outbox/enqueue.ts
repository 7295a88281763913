import { outbox } from "../../../db/schema/index.ts";
import type { Db } from "../db";
import type { MailMessage } from "../mailer";
import { MAIL_KIND } from "./jobs";

/**
 * Records an e-mail for the outbox worker. Pass the caller's transaction (as `tx`, or as `db`:
 * a transaction is a `Db` too) so that the message exists exactly when the change that caused it
 * commits. Call the worker's `wake()` after the commit to send it right away.
 */
export async function enqueueEmail(db: Db, message: MailMessage, tx?: Db): Promise<string> {
  if (!message.to.trim()) throw new TypeError("enqueueEmail: the recipient is empty");
  if (!message.subject.trim()) throw new TypeError("enqueueEmail: the subject is empty");
  const payload: MailMessage = { to: message.to, subject: message.subject, text: message.text };
  if (message.html !== undefined) payload.html = message.html;
  return insertRow(tx ?? db, MAIL_KIND, payload);
}

/**
 * Records a job of a registered kind for the outbox worker (same transaction rules as mail). It
 * is one insert whatever the payload says, so a request that only records a job answers in the
 * same time whatever the job will find.
 */
export async function enqueueJob(db: Db, kind: string, payload: object, tx?: Db): Promise<string> {
  if (kind === MAIL_KIND) throw new TypeError("enqueueJob: mail goes through enqueueEmail");
  return insertRow(tx ?? db, kind, payload);
}

async function insertRow(db: Db, kind: string, payload: object): Promise<string> {
  const [row] = await db.insert(outbox).values({ kind, payload }).returning({ id: outbox.id });
  if (!row) throw new Error(`outbox: the insert of a "${kind}" row returned no row`);
  return row.id;
}
