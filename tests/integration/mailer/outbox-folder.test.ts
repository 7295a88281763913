import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox } from "../../../db/schema/index.ts";
import { createMailer, type Mailer, type MailMessage } from "../../../src/platform/mailer";
import {
  defaultRetryPolicy,
  deliverDueMessages,
  enqueueEmail,
  startOutboxWorker,
} from "../../../src/platform/outbox";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { codeMail, FROM, outboxRow, readCode, waitFor } from "./helpers";
import { captureLogs } from "./log-capture";

describe("the outbox worker without SMTP", () => {
  let database: TestDatabase;
  let outboxDir: string;
  const logs = captureLogs();

  beforeAll(async () => {
    database = await createTestDatabase();
    outboxDir = join(await mkdtemp(join(tmpdir(), "jc-outbox-")), "outbox");
  });

  afterAll(async () => {
    await database?.cleanup();
    if (outboxDir) await rm(join(outboxDir, ".."), { recursive: true, force: true });
  });

  it("writes the enqueued message as an .eml file in the outbox folder", async () => {
    const { db } = database;
    const mailer = createMailer({ from: FROM, outboxDir }, logs.logger);
    const { message, code } = codeMail("dora@example.com");
    const id = await enqueueEmail(db, message);
    const worker = startOutboxWorker({ db, mailer, logger: logs.logger, intervalMs: 20 });
    try {
      await waitFor(async () => (await readdir(outboxDir).catch(() => [])).length > 0);
    } finally {
      await worker.stop();
      await mailer.close();
    }

    const files = await readdir(outboxDir);
    expect(files).toHaveLength(1);
    const parsed = await simpleParser(await readFile(join(outboxDir, files[0] as string)));
    expect(parsed.from?.value).toEqual([{ name: "JoxiCrochet", address: "shop@joxicrochet.shop" }]);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : undefined).toBe("dora@example.com");
    expect(parsed.subject).toBe(message.subject);
    expect(readCode(parsed.text)).toBe(code);
    expect((await outboxRow(db, id)).sentAt).toBeInstanceOf(Date);
    expect(logs.text()).not.toContain(code);
  });

  it("finishes the batch in flight before stop() resolves", async () => {
    const { db } = database;
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sent: MailMessage[] = [];
    let started = false;
    const slowMailer: Mailer = {
      kind: "folder",
      async send(message) {
        started = true;
        await gate;
        sent.push(message);
      },
      async close() {},
    };
    const id = await enqueueEmail(db, codeMail("slow@example.com").message);
    const worker = startOutboxWorker({ db, mailer: slowMailer, logger: logs.logger, intervalMs: 60_000 });
    await waitFor(() => started);

    let stopped = false;
    const stopping = worker.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    release();
    await stopping;

    expect(sent.map((m) => m.to)).toEqual(["slow@example.com"]);
    expect((await outboxRow(db, id)).sentAt).toBeInstanceOf(Date);
  });

  it("does not retry a row it can never deliver, and keeps it", async () => {
    const { db } = database;
    const [row] = await db
      .insert(outbox)
      .values({ kind: "webhook", payload: { url: "https://example.com/hook" } })
      .returning({ id: outbox.id });
    const id = row?.id as string;
    const mailer: Mailer = { kind: "folder", send: async () => {}, async close() {} };
    const now = new Date(Date.now() + 1000);
    expect(await deliverDueMessages({ db, mailer, logger: logs.logger, now })).toMatchObject({ failed: 1 });
    const kept = await outboxRow(db, id);
    expect(kept.sentAt).toBeNull();
    expect(kept.attempts).toBe(defaultRetryPolicy.maxAttempts);
    expect(kept.lastError).toContain('no delivery for outbox kind "webhook"');
    const later = new Date(now.getTime() + 86_400_000);
    expect((await deliverDueMessages({ db, mailer, logger: logs.logger, now: later })).claimed).toBe(0);
  });

  it("keeps polling after the database fails, and delivers once it answers again", async () => {
    const { db } = database;
    const sent: string[] = [];
    let failures = 2;
    const flakyDb = new Proxy(db, {
      get(target, property, receiver) {
        if (property === "transaction" && failures > 0) {
          failures -= 1;
          return () => Promise.reject(new Error("connection terminated"));
        }
        return Reflect.get(target, property, receiver);
      },
    });
    const mailer: Mailer = {
      kind: "folder",
      async send(message) {
        sent.push(message.to);
      },
      async close() {},
    };
    await enqueueEmail(db, codeMail("patient@example.com").message);
    const worker = startOutboxWorker({ db: flakyDb, mailer, logger: logs.logger, intervalMs: 10 });
    try {
      await waitFor(() => sent.length > 0);
    } finally {
      await worker.stop();
    }
    expect(sent).toEqual(["patient@example.com"]);
    expect(logs.lines.filter((line) => line.includes("outbox: poll failed"))).toHaveLength(2);
  });
});
