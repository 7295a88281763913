import { createServer } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox } from "../../../db/schema/index.ts";
import { createMailer, type Mailer } from "../../../src/platform/mailer";
import { deliverDueMessages, enqueueEmail, startOutboxWorker } from "../../../src/platform/outbox";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { codeMail, FROM, outboxRow, readCode, seconds, waitFor } from "./helpers";
import { captureLogs } from "./log-capture";
import { type SmtpSink, startSmtpSink } from "./smtp-sink";

describe("the outbox delivering over SMTP", () => {
  let database: TestDatabase;
  let sink: SmtpSink;
  let mailer: Mailer;
  const logs = captureLogs();
  const codes: string[] = [];
  const mail = (to: string) => {
    const made = codeMail(to);
    codes.push(made.code);
    return made;
  };
  const receivedBy = (to: string) => sink.received.filter((m) => m.envelope.to.includes(to));

  beforeAll(async () => {
    database = await createTestDatabase();
    sink = await startSmtpSink();
    mailer = createMailer({ smtpUrl: sink.url, from: FROM, outboxDir: "/nonexistent" }, logs.logger);
  });

  afterAll(async () => {
    await mailer?.close();
    await sink?.close();
    await database?.cleanup();
  });

  it("sends a message enqueued in a transaction once the worker is woken", async () => {
    const { db } = database;
    const { message, code } = mail("ada@example.com");
    const id = await db.transaction((tx) => enqueueEmail(db, message, tx));
    const worker = startOutboxWorker({ db, mailer, logger: logs.logger, intervalMs: 60_000 });
    try {
      worker.wake();
      await waitFor(() => receivedBy("ada@example.com").length > 0);
    } finally {
      await worker.stop();
    }

    const [received] = receivedBy("ada@example.com");
    expect(received?.envelope.from).toBe("shop@joxicrochet.shop");
    expect(received?.parsed.from?.value).toEqual([{ name: "JoxiCrochet", address: "shop@joxicrochet.shop" }]);
    const to = received?.parsed.to;
    expect(to && !Array.isArray(to) ? to.text : undefined).toBe("ada@example.com");
    expect(received?.parsed.subject).toBe("Your JoxiCrochet sign-in code");
    expect(readCode(received?.parsed.text)).toBe(code);

    const row = await outboxRow(db, id);
    expect(row.kind).toBe("email");
    expect(row.sentAt).toBeInstanceOf(Date);
    expect(row.attempts).toBe(1);
    expect(row.lastError).toBeNull();
  });

  it("records nothing when the transaction that enqueued the message rolls back", async () => {
    const { db } = database;
    const before = (await db.select().from(outbox)).length;
    await expect(
      db.transaction(async (tx) => {
        await enqueueEmail(tx, mail("rolled-back@example.com").message);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect((await db.select().from(outbox)).length).toBe(before);
  });

  it("keeps a refused message, retries it with backoff and delivers it once the server accepts", async () => {
    const { db } = database;
    const { message, code } = mail("bob@example.com");
    const id = await enqueueEmail(db, message);
    const t0 = new Date(Date.now() + 1000);

    sink.refuseWith = "mailbox busy, try later";
    const first = await deliverDueMessages({ db, mailer, logger: logs.logger, now: t0 });
    expect(first).toEqual({ claimed: 1, sent: 0, failed: 1 });
    let row = await outboxRow(db, id);
    expect(row.sentAt).toBeNull();
    expect(row.attempts).toBe(1);
    expect(row.lastError).toContain("mailbox busy, try later");
    expect(row.nextAttemptAt.getTime()).toBe(seconds(t0, 5).getTime());

    sink.refuseWith = undefined;
    // Not due yet: nothing is tried before the backoff has passed.
    expect(await deliverDueMessages({ db, mailer, logger: logs.logger, now: seconds(t0, 4) })).toEqual({
      claimed: 0,
      sent: 0,
      failed: 0,
    });
    expect(await deliverDueMessages({ db, mailer, logger: logs.logger, now: seconds(t0, 6) })).toEqual({
      claimed: 1,
      sent: 1,
      failed: 0,
    });
    row = await outboxRow(db, id);
    expect(row.sentAt?.getTime()).toBe(seconds(t0, 6).getTime());
    expect(row.attempts).toBe(2);
    expect(row.lastError).toBeNull();
    expect(receivedBy("bob@example.com")).toHaveLength(1);
    expect(readCode(receivedBy("bob@example.com")[0]?.parsed.text)).toBe(code);
    expect(sink.refused).toBe(1);
  });

  it("fails fast against a dead server and gives up after the last attempt, keeping the row", async () => {
    const { db } = database;
    const deadMailer = createMailer(
      { smtpUrl: await closedPortUrl(), from: FROM, outboxDir: "" },
      logs.logger,
    );
    const id = await enqueueEmail(db, mail("carol@example.com").message);
    const retry = { baseDelayMs: 1000, maxDelayMs: 60_000, maxAttempts: 3 };
    let now = new Date(Date.now() + 1000);
    try {
      const started = Date.now();
      for (let attempt = 1; attempt <= 3; attempt++) {
        const report = await deliverDueMessages({ db, mailer: deadMailer, logger: logs.logger, now, retry });
        expect(report).toEqual({ claimed: 1, sent: 0, failed: 1 });
        const row = await outboxRow(db, id);
        expect(row.attempts).toBe(attempt);
        expect(row.lastError).toMatch(/ECONNREFUSED/);
        now = seconds(row.nextAttemptAt, 1);
      }
      expect(Date.now() - started).toBeLessThan(5000);
      const after = await deliverDueMessages({ db, mailer: deadMailer, logger: logs.logger, now, retry });
      expect(after.claimed).toBe(0);
    } finally {
      await deadMailer.close();
    }
    const row = await outboxRow(db, id);
    expect(row.sentAt).toBeNull();
    expect(row.attempts).toBe(3);
    expect(logs.lines.some((line) => line.includes("failed for good") && line.includes(id))).toBe(true);
  });

  it("never sends a message twice when several deliveries run at once", async () => {
    const { db } = database;
    const instances = 4;
    for (let round = 0; round < 5; round++) {
      const recipients = Array.from({ length: 24 }, (_, i) => `many-${round}-${i}@example.com`);
      for (const to of recipients) await enqueueEmail(db, mail(to).message);
      const before = sink.received.length;
      const now = new Date(Date.now() + 1000);
      // Open a connection per instance first (PostgreSQL), so that the claims really overlap.
      await Promise.all(Array.from({ length: instances }, () => db.execute(sql`select pg_sleep(0.02)`)));

      const reports = await Promise.all(
        Array.from({ length: instances }, () =>
          deliverDueMessages({ db, mailer, logger: logs.logger, now, batchSize: 24 }),
        ),
      );

      // A row left due by an earlier test may be claimed too (on a loaded machine its retry comes
      // round); what must hold is one claim per message sent, and each of this round's once.
      const claimed = reports.reduce((sum, report) => sum + report.claimed, 0);
      expect(claimed).toBe(sink.received.length - before);
      expect(claimed).toBeGreaterThanOrEqual(24);
      for (const to of recipients) expect(receivedBy(to)).toHaveLength(1);
    }
  });

  it.skipIf(!process.env.DATABASE_URL)(
    "skips rows another instance holds instead of waiting for them (PostgreSQL)",
    async () => {
      if (database.kind !== "postgres") throw new Error("needs PostgreSQL");
      const { db } = database;
      const id = await enqueueEmail(db, mail("locked@example.com").message);
      const other = await database.client.connect();
      try {
        await other.query("begin");
        await other.query("select id from outbox where id = $1 for update", [id]);
        const report = await deliverDueMessages({ db, mailer, logger: logs.logger });
        expect(report.claimed).toBe(0);
        await other.query("rollback");
        expect((await deliverDueMessages({ db, mailer, logger: logs.logger })).sent).toBe(1);
      } finally {
        other.release();
      }
      expect(receivedBy("locked@example.com")).toHaveLength(1);
    },
  );

  it("logs recipients, subjects and message ids, never a code from a body", () => {
    const text = logs.text();
    expect(text).toContain('"msg":"mail sent"');
    expect(text).toContain("ada@example.com");
    expect(text).toContain("Your JoxiCrochet sign-in code");
    expect(text).toContain('"messageId":"<');
    expect(codes.length).toBeGreaterThan(20);
    // As a token: six digits also turn up by chance inside ids, ports and timestamps.
    for (const code of codes) expect(text).not.toMatch(new RegExp(`(?<![0-9A-Za-z])${code}(?![0-9A-Za-z])`));
  });
});

/** A URL on which nothing listens: connections are refused at once. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === "string") throw new Error("no port");
  return `smtp://127.0.0.1:${address.port}`;
}
