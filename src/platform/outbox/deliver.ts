import { and, eq, inArray, isNull, lt, lte, type SQL, sql } from "drizzle-orm";
import { outbox } from "../../../db/schema/index.ts";
import type { Db } from "../db";
import type { Logger } from "../logger";
import type { Mailer, MailMessage } from "../mailer";
import { defaultRetryPolicy, type RetryPolicy, retryDelayMs } from "./backoff";
import { MAIL_KIND, type OutboxJobs } from "./jobs";

export interface DeliverOptions {
  db: Db;
  mailer: Mailer;
  logger: Logger;
  /** What runs the rows that are not mail; without it, such rows fail for good. */
  jobs?: OutboxJobs;
  /** Most rows claimed at once; default 10. */
  batchSize?: number;
  /** The clock (tests move it forward); by default the database's, so that all instances agree. */
  now?: Date;
  retry?: RetryPolicy;
  /**
   * How long a claimed row stays invisible to other instances. Must exceed the time a whole
   * batch can take to send; if the process dies mid-batch, its rows are retried after it.
   */
  leaseMs?: number;
}

export interface DeliveryReport {
  claimed: number;
  sent: number;
  failed: number;
}

const DEFAULT_BATCH_SIZE = 10;
const DEFAULT_LEASE_MS = 15 * 60_000;
const MAX_ERROR_LENGTH = 1000;

interface ClaimedRow {
  id: string;
  kind: string;
  payload: unknown;
  attempts: number;
}

/**
 * Sends the messages that are due, once each, and runs the other jobs that are due the same
 * way. A short transaction claims them with `FOR UPDATE SKIP LOCKED` and pushes them a lease
 * into the future (counting the attempt), so concurrent instances claim disjoint rows and no
 * transaction stays open while mail is sent or a job runs.
 * A failure records the error and schedules the next attempt with exponential backoff; after
 * `maxAttempts` the row is left as it is, for a person to look at. Nothing is deleted.
 */
export async function deliverDueMessages(options: DeliverOptions): Promise<DeliveryReport> {
  const { db, logger } = options;
  const retry = options.retry ?? defaultRetryPolicy;
  const at = options.now ? sql`${options.now.toISOString()}::timestamptz` : sql`now()`;
  const claimed = await claimDue(
    db,
    at,
    options.batchSize ?? DEFAULT_BATCH_SIZE,
    retry.maxAttempts,
    options.leaseMs ?? DEFAULT_LEASE_MS,
  );
  const report: DeliveryReport = { claimed: claimed.length, sent: 0, failed: 0 };
  for (const row of claimed) {
    const failure = await attempt(row, options.mailer, options.jobs);
    if (failure === undefined) {
      await db
        .update(outbox)
        .set({ sentAt: at, lastError: null })
        .where(and(eq(outbox.id, row.id), isNull(outbox.sentAt)));
      report.sent += 1;
      continue;
    }
    report.failed += 1;
    const givingUp = failure.permanent || row.attempts >= retry.maxAttempts;
    const delayMs = retryDelayMs(row.attempts, retry);
    await db
      .update(outbox)
      .set({
        lastError: failure.message.slice(0, MAX_ERROR_LENGTH),
        attempts: givingUp ? Math.max(row.attempts, retry.maxAttempts) : row.attempts,
        nextAttemptAt: after(at, delayMs),
      })
      .where(eq(outbox.id, row.id));
    // The error message only: nodemailer errors carry no body, but the payload does.
    const context = { outboxId: row.id, kind: row.kind, attempts: row.attempts, error: failure.message };
    if (givingUp) logger.error(context, "outbox: delivery failed for good; the row is kept");
    else logger.warn({ ...context, retryInMs: delayMs }, "outbox: delivery failed; will retry");
  }
  return report;
}

async function claimDue(
  db: Db,
  at: SQL,
  batchSize: number,
  maxAttempts: number,
  leaseMs: number,
): Promise<ClaimedRow[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(isNull(outbox.sentAt), lte(outbox.nextAttemptAt, at), lt(outbox.attempts, maxAttempts)))
      .orderBy(outbox.nextAttemptAt)
      .limit(batchSize)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(outbox)
      .set({ attempts: sql`${outbox.attempts} + 1`, nextAttemptAt: after(at, leaseMs) })
      .where(
        inArray(
          outbox.id,
          due.map((row) => row.id),
        ),
      )
      .returning({ id: outbox.id, kind: outbox.kind, payload: outbox.payload, attempts: outbox.attempts });
  });
}

interface Failure {
  message: string;
  /** Retrying cannot help (unknown kind, malformed payload). */
  permanent: boolean;
}

async function attempt(row: ClaimedRow, mailer: Mailer, jobs?: OutboxJobs): Promise<Failure | undefined> {
  let run: () => Promise<void>;
  if (row.kind === MAIL_KIND) {
    const message = row.payload;
    if (!isMailMessage(message)) return { message: "malformed email payload", permanent: true };
    run = () => mailer.send(message);
  } else {
    const job = jobs?.runnerOf(row.kind);
    if (!job) return { message: `no delivery for outbox kind "${row.kind}"`, permanent: true };
    run = () => job(row.payload);
  }
  try {
    await run();
    return undefined;
  } catch (error) {
    return { message: describe(error), permanent: false };
  }
}

function isMailMessage(value: unknown): value is MailMessage {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.to === "string" &&
    typeof v.subject === "string" &&
    typeof v.text === "string" &&
    (v.html === undefined || typeof v.html === "string")
  );
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && !error.message.includes(code)
    ? `${code}: ${error.message}`
    : error.message;
}

function after(at: SQL, ms: number): SQL {
  return sql`${at} + make_interval(secs => ${ms / 1000}::double precision)`;
}
