import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../support/app";
import { json, newAccount, nextMailTo, registered } from "../../support/auth";
import { readCode } from "../mailer/helpers";

/**
 * The database fails on a query that carries a secret; the request answers a problem, the error
 * is logged, and no log line holds the secret. Each case breaks one table of the test's own
 * database and mends it afterwards.
 */
describe("log lines never carry secrets, even when the database fails on them", () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await createTestApp({ seed: false });
  });

  afterAll(async () => {
    await api?.close();
  });

  /** The database is broken on purpose, so the answer is a 500: the test asks for one. */
  async function failingRequest(path: string, init: RequestInit) {
    const response = await api.requestExpectingServerError(path, init, { ip: "198.51.100.20" });
    return { status: response.status, body: response.body as { code: string } };
  }

  async function withBroken<T>(breakIt: string[], mendIt: string[], work: () => Promise<T>): Promise<T> {
    for (const statement of breakIt) await api.database.db.execute(sql.raw(statement));
    try {
      return await work();
    } finally {
      for (const statement of mendIt) await api.database.db.execute(sql.raw(statement));
    }
  }

  /** Inserts into `table` fail while this runs; reads and deletes still work. */
  const refusingInserts = <T>(table: string, work: () => Promise<T>) =>
    withBroken(
      [
        `create function refuse_insert() returns trigger language plpgsql as $$
           begin raise exception 'inserts into % are refused by the test', tg_table_name; end $$`,
        `create trigger refuse_insert before insert on ${table} for each row execute function refuse_insert()`,
      ],
      [`drop trigger refuse_insert on ${table}`, "drop function refuse_insert()"],
      work,
    );

  /** Every line logged so far, as written; from `since` on, when given. */
  const logLines = (since = 0) => api.logs.slice(since).map((line) => JSON.stringify(line));

  /** The error the app logged for the failed query on `table` (so that silence cannot pass). */
  function loggedQueryFailure(since: number, statement: RegExp) {
    const failures = api.logs
      .slice(since)
      .filter((line) => line.msg === "unhandled error while serving a request")
      .map((line) => line.err as { message: string; params: unknown });
    expect(failures.map((err) => err.message)).toContainEqual(expect.stringMatching(statement));
    return failures;
  }

  /** Every failed query logged since then names its SQL and none of its values. */
  function expectParametersCensored(since: number) {
    const failedQueries = logLines(since).join("\n").split("Failed query: ").slice(1);
    expect(failedQueries.length).toBeGreaterThan(0);
    for (const failure of failedQueries) expect(failure).toMatch(/^[^\n]*?\\nparams: \[redacted\]/);
  }

  it("keeps a password reset token out of the logs when reading it fails", async () => {
    const { account } = await registered(api);
    expect((await api.request("/api/auth/password-reset", json({ email: account.email }))).status).toBe(202);
    // The mail is queued after the answer, by the outbox worker.
    const mail = await nextMailTo(api, account.email, "Reset your password");
    const token = mail.text.match(/Reset token: (\S+)/)?.[1];
    expect(token).toEqual(expect.any(String));
    const newPassword = "a-brand-new-secret-password-7";
    const since = api.logs.length;

    const response = await withBroken(
      ["alter table verifications rename to verifications_gone"],
      ["alter table verifications_gone rename to verifications"],
      () => failingRequest("/api/auth/password-reset/confirm", json({ token, newPassword })),
    );

    expect(response.status).toBe(500);
    expect(response.body.code).toBe("internal_error");
    // The first query that reads the token (ending its siblings, then finding it) is the one that fails.
    const [failure] = loggedQueryFailure(
      since,
      /^Failed query: (select|delete) .*from "verifications" where/,
    );
    expect(failure?.params).toBe("[redacted]");
    expect(logLines().filter((line) => line.includes(token as string))).toEqual([]);
    expect(logLines().filter((line) => line.includes(newPassword))).toEqual([]);
    expectParametersCensored(since);
  });

  it("keeps a sign-in code out of the logs when storing its next attempt fails", async () => {
    const { account } = await registered(api);
    expect((await api.request("/api/auth/email-otp", json({ email: account.email }))).status).toBe(202);
    const mail = await nextMailTo(api, account.email, "Your JoxiCrochet sign-in code");
    const code = readCode(mail.text) as string;
    expect(code).toMatch(/^\d{6}$/);
    const wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    const since = api.logs.length;

    // A wrong guess stores the code again with one more attempt: that insert carries the real code.
    const response = await refusingInserts("verifications", () =>
      failingRequest("/api/auth/email-otp/verify", json({ email: account.email, code: wrongCode })),
    );

    expect(response.status).toBe(500);
    loggedQueryFailure(since, /^Failed query: insert into "verifications"/);
    expect(logLines().filter((line) => line.includes(code))).toEqual([]);
    expect(logLines().filter((line) => line.includes(wrongCode))).toEqual([]);
    expectParametersCensored(since);
  });

  it("keeps a new account's password, and its hash, out of the logs when storing it fails", async () => {
    const account = newAccount("leaky");
    const since = api.logs.length;

    const response = await refusingInserts("accounts", () =>
      failingRequest("/api/auth/register", json(account)),
    );

    expect(response.status).toBe(500);
    loggedQueryFailure(since, /^Failed query: insert into "accounts"/);
    expect(logLines().filter((line) => line.includes(account.password))).toEqual([]);
    expectParametersCensored(since);
  });
});
