import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMailer } from "../../../src/platform/mailer";
import { codeMail, FROM, readCode } from "../../integration/mailer/helpers";
import { captureLogs } from "../../integration/mailer/log-capture";

describe("the folder mailer (no SMTP_URL)", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "jc-mail-"));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("writes each message as an .eml file that a mail parser reads back", async () => {
    const logs = captureLogs();
    const outboxDir = join(root, "data", "outbox");
    const mailer = createMailer({ from: FROM, outboxDir }, logs.logger);
    expect(mailer.kind).toBe("folder");
    const { message, code } = codeMail("ada@example.com");

    await mailer.send(message);
    await mailer.close();

    const files = await readdir(outboxDir);
    expect(files).toHaveLength(1);
    const [file] = files as [string];
    expect(file).toMatch(/^\d{8}T\d{9}Z-[0-9a-f]{12}\.eml$/);
    expect((await stat(join(outboxDir, file))).mode & 0o777).toBe(0o600);
    const raw = await readFile(join(outboxDir, file));
    expect(raw.includes("\r\n")).toBe(true);
    const parsed = await simpleParser(raw);
    expect(parsed.from?.value).toEqual([{ name: "JoxiCrochet", address: "shop@joxicrochet.shop" }]);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : undefined).toBe("ada@example.com");
    expect(parsed.subject).toBe(message.subject);
    expect(parsed.messageId).toMatch(/^<.+@.+>$/);
    expect(readCode(parsed.text)).toBe(code);
    expect(parsed.html).toContain(`<b>${code}</b>`);

    expect(logs.text()).toContain("ada@example.com");
    expect(logs.text()).toContain(parsed.messageId);
    expect(logs.text()).not.toContain(code);
  });

  it("names files so that they sort in the order they were written, and leaves no temporary file", async () => {
    const outboxDir = join(root, "outbox");
    const mailer = createMailer({ from: FROM, outboxDir }, captureLogs().logger);
    const recipients = ["a@example.com", "b@example.com", "c@example.com"];
    for (const to of recipients) {
      await mailer.send(codeMail(to).message);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const files = await readdir(outboxDir);
    expect(files).toHaveLength(3);
    expect(files.every((name) => name.endsWith(".eml"))).toBe(true);
    const inOrder = [...files].sort();
    const order = await Promise.all(
      inOrder.map(async (name) => (await simpleParser(await readFile(join(outboxDir, name)))).to),
    );
    expect(order.map((to) => (to && !Array.isArray(to) ? to.text : ""))).toEqual(recipients);
  });
});

describe("createMailer", () => {
  it("chooses SMTP when a server is configured, without connecting before the first send", async () => {
    const mailer = createMailer(
      { smtpUrl: "smtp://127.0.0.1:1", from: FROM, outboxDir: "/nonexistent" },
      captureLogs().logger,
    );
    expect(mailer.kind).toBe("smtp");
    await mailer.close();
  });
});
