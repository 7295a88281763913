import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Mailer, MailMessage } from "../../../src/platform/mailer";
import {
  defaultRetryPolicy,
  deliverDueMessages,
  enqueueEmail,
  enqueueJob,
  outboxJobs,
} from "../../../src/platform/outbox";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { outboxRow } from "./helpers";
import { captureLogs } from "./log-capture";

describe("outbox jobs besides mail", () => {
  let database: TestDatabase;
  const logs = captureLogs();
  const sent: MailMessage[] = [];
  const mailer: Mailer = {
    kind: "folder",
    send: async (message) => void sent.push(message),
    async close() {},
  };
  /** Later than every row's due time, so that each test's rows are due whatever the clocks say. */
  let now = new Date(Date.now() + 1_000);
  const later = () => {
    now = new Date(now.getTime() + 86_400_000);
    return now;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.cleanup();
  });

  it("runs a job of a registered kind with its payload, once, beside the mail", async () => {
    const { db } = database;
    const jobs = outboxJobs();
    const ran: unknown[] = [];
    jobs.register("test.greet", async (payload) => void ran.push(payload));
    const jobId = await enqueueJob(db, "test.greet", { email: "ada@example.com" });
    const mailId = await enqueueEmail(db, { to: "ada@example.com", subject: "Hello", text: "Hi" });

    const report = await deliverDueMessages({ db, mailer, logger: logs.logger, jobs, now: later() });
    expect(report).toEqual({ claimed: 2, sent: 2, failed: 0 });
    expect(ran).toEqual([{ email: "ada@example.com" }]);
    expect(sent.map((message) => message.subject)).toContain("Hello");
    expect((await outboxRow(db, jobId)).sentAt).toBeInstanceOf(Date);
    expect((await outboxRow(db, mailId)).sentAt).toBeInstanceOf(Date);

    expect((await deliverDueMessages({ db, mailer, logger: logs.logger, jobs, now: later() })).claimed).toBe(
      0,
    );
    expect(ran).toHaveLength(1);
  });

  it("retries a job that failed, with the error kept, until it succeeds", async () => {
    const { db } = database;
    const jobs = outboxJobs();
    let failures = 1;
    jobs.register("test.flaky", async () => {
      if (failures-- > 0) throw new Error("the database went away");
    });
    const id = await enqueueJob(db, "test.flaky", { email: "bob@example.com" });

    expect(await deliverDueMessages({ db, mailer, logger: logs.logger, jobs, now: later() })).toMatchObject({
      failed: 1,
    });
    const failed = await outboxRow(db, id);
    expect(failed.sentAt).toBeNull();
    expect(failed.lastError).toBe("the database went away");
    expect(failed.attempts).toBe(1);

    expect(await deliverDueMessages({ db, mailer, logger: logs.logger, jobs, now: later() })).toMatchObject({
      sent: 1,
    });
    expect((await outboxRow(db, id)).sentAt).toBeInstanceOf(Date);
  });

  it("keeps a job of a kind nobody registered, for good, without running anything", async () => {
    const { db } = database;
    const id = await enqueueJob(db, "test.unknown", { email: "cy@example.com" });
    const jobs = outboxJobs();
    expect(await deliverDueMessages({ db, mailer, logger: logs.logger, jobs, now: later() })).toMatchObject({
      failed: 1,
    });
    const kept = await outboxRow(db, id);
    expect(kept.attempts).toBe(defaultRetryPolicy.maxAttempts);
    expect(kept.lastError).toContain('no delivery for outbox kind "test.unknown"');
  });

  it("refuses to register the mail's own kind, or a kind twice, and to record mail as a job", async () => {
    const jobs = outboxJobs();
    expect(() => jobs.register("email", async () => {})).toThrow(/mail/);
    jobs.register("test.once", async () => {});
    expect(() => jobs.register("test.once", async () => {})).toThrow(/twice/);
    await expect(enqueueJob(database.db, "email", { to: "x" })).rejects.toThrow(/enqueueEmail/);
  });
});
