import { and, asc, isNull, ne } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox, verifications } from "../../../db/schema/index.ts";
import { createLogger } from "../../../src/platform/logger";
import { startOutboxWorker } from "../../../src/platform/outbox";
import { createTestApp, type TestApp } from "../../support/app";
import { jobsDone, json, mailsTo, newAccount, nextMailTo, registered } from "../../support/auth";

/**
 * A password-reset or sign-in-code request must not take longer for an address with an account:
 * it is answered after one write (an outbox job holding the address), before anything looks the
 * address up. The timing itself is measured in bench/account-timing.ts; this shows the order.
 */
const REQUESTS = [
  { path: "/api/auth/password-reset", kind: "accounts.password-reset-mail", subject: "Reset your password" },
  {
    path: "/api/auth/email-otp",
    kind: "accounts.sign-in-code-mail",
    subject: "Your JoxiCrochet sign-in code",
  },
];

describe("reset and sign-in-code requests are answered before the address is looked up", () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await createTestApp({ seed: false });
  });

  afterAll(async () => {
    await api?.close();
  });

  const pendingJobs = () =>
    api.database.db
      .select({ kind: outbox.kind, payload: outbox.payload })
      .from(outbox)
      .where(and(ne(outbox.kind, "email"), isNull(outbox.sentAt)))
      .orderBy(asc(outbox.createdAt));

  it("records one job holding the address alone, alike for an account and a stranger; the worker then mails the account only", async () => {
    const { account } = await registered(api);
    const stranger = newAccount("stranger").email;
    // With the worker stopped, the database shows exactly what the requests themselves did.
    await api.services.outbox.stop();

    for (const { path, kind, subject } of REQUESTS) {
      const tokensBefore = await api.database.db.select().from(verifications);
      const known = await api.request(path, json({ email: account.email }));
      const unknown = await api.request(path, json({ email: stranger }));
      expect([known.status, unknown.status]).toEqual([202, 202]);
      expect(unknown.text).toBe(known.text);

      expect(await pendingJobs()).toEqual([
        { kind, payload: { email: account.email } },
        { kind, payload: { email: stranger } },
      ]);
      // Nothing that depends on the address has happened yet: no token, no code, no mail.
      expect(await api.database.db.select().from(verifications)).toEqual(tokensBefore);
      expect((await mailsTo(api, account.email)).filter((mail) => mail.subject === subject)).toEqual([]);

      // The worker runs the jobs: the account gets its mail, the stranger nothing.
      const worker = startOutboxWorker({
        db: api.database.db,
        mailer: api.services.mailer,
        logger: createLogger("silent"),
        jobs: api.services.jobs,
      });
      try {
        const mail = await nextMailTo(api, account.email, subject);
        expect(mail.text).not.toContain(account.email);
        await jobsDone(api);
      } finally {
        await worker.stop();
      }
      expect(await mailsTo(api, stranger)).toEqual([]);
    }
  });
});
