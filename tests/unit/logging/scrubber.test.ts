import { Writable } from "node:stream";
import { DrizzleQueryError } from "drizzle-orm";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { CENSOR, isSecretName } from "../../../src/platform/log-scrubber";
import { createLogger } from "../../../src/platform/logger";

/** A logger like the app's, and every line it writes, as written and parsed. */
function capture() {
  const written: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      written.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return {
    logger: createLogger("debug", sink),
    written,
    // biome-ignore lint/suspicious/noExplicitAny: log lines are read freely.
    lines: () => written.map((line) => JSON.parse(line) as Record<string, any>),
  };
}

const EMAIL = "ada.lovelace@example.com";
const TOKEN = "reset-password:Zq8rV1xK4mP0tW9yB2nC";
const PASSWORD_HASH = "9f2c41e07a0b5d6e:3b8d1f0c9a7e6d5c4b3a2f1e0d9c8b7a";

/** Drizzle's wrapper around a unique violation, as PostgreSQL reports it on a sign-up. */
function uniqueViolation(): DrizzleQueryError {
  const cause = new pg.DatabaseError(
    'duplicate key value violates unique constraint "users_email_key"',
    120,
    "error",
  );
  Object.assign(cause, {
    code: "23505",
    severity: "ERROR",
    table: "users",
    constraint: "users_email_key",
    detail: `Key (email)=(${EMAIL}) already exists.`,
  });
  const sql = 'insert into "users" ("email", "token", "password") values ($1, $2, $3)';
  return new DrizzleQueryError(sql, [EMAIL, TOKEN, PASSWORD_HASH], cause);
}

describe("the log scrubber", () => {
  it("logs a failed query with its SQL, its error codes and none of its values", () => {
    const { logger, written, lines } = capture();
    const error = uniqueViolation();
    // The error as it is, unscrubbed: every value is in its message and stack.
    expect(error.message).toContain(TOKEN);
    expect(error.stack).toContain(TOKEN);

    logger.error({ err: error, requestId: "r-1" }, "unhandled error while serving a request");

    expect(written).toHaveLength(1);
    for (const secret of [EMAIL, TOKEN, PASSWORD_HASH]) expect(written[0]).not.toContain(secret);
    const { err } = lines()[0] ?? {};
    expect(err).toMatchObject({
      type: "DrizzleQueryError",
      message: `Failed query: ${error.query}\nparams: ${CENSOR}`,
      query: error.query,
      params: CENSOR,
      cause: {
        message: 'duplicate key value violates unique constraint "users_email_key"',
        code: "23505",
        constraint: "users_email_key",
        detail: `Key (email)=(${CENSOR}) already exists.`,
      },
    });
    // The stack keeps its frames, without the values.
    expect(err.stack).toContain(`\nparams: ${CENSOR}\n    at `);
    expect(lines()[0]?.requestId).toBe("r-1");
  });

  it("takes an Error logged on its own as the line's message, scrubbed", () => {
    const { logger, written, lines } = capture();
    logger.error(uniqueViolation());
    logger.warn(uniqueViolation(), "sign-up failed");
    for (const line of written) expect(line).not.toContain(TOKEN);
    expect(lines().map((line) => line.msg)).toEqual([
      expect.stringMatching(/^Failed query: insert into "users" .*\nparams: \[redacted\]$/),
      "sign-up failed",
    ]);
    expect(lines()[0]?.err.type).toBe("DrizzleQueryError");
  });

  it("censors fields named like a secret at any depth, and their values wherever else they appear", () => {
    const { logger, written, lines } = capture();
    const code = "482913";
    logger.info(
      {
        user: { email: EMAIL, password: "granny-square-autumn-42", passwordHash: PASSWORD_HASH },
        headers: {
          authorization: "Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig",
          cookie: "joxicrochet-session=abc",
          "x-api-key": "k-123456",
        },
        attempts: [{ resetToken: "tok-abcdef" }, { body: { email: EMAIL, code } }],
        backupCodes: ["aaaa-bbbb", "cccc-dddd"],
        statusCode: 401,
        currencyCode: "EUR",
      },
      `sign-in with code ${code} refused`,
    );
    const [line] = lines();
    expect(line).toMatchObject({
      user: { email: EMAIL, password: CENSOR, passwordHash: CENSOR },
      headers: { authorization: CENSOR, cookie: CENSOR, "x-api-key": CENSOR },
      attempts: [{ resetToken: CENSOR }, { body: { email: EMAIL, code: CENSOR } }],
      backupCodes: CENSOR,
      statusCode: 401,
      currencyCode: "EUR",
      msg: `sign-in with code ${CENSOR} refused`,
    });
    for (const secret of [
      "granny-square-autumn-42",
      "eyJhbGciOiJSUzI1NiJ9",
      "abc",
      "tok-abcdef",
      code,
      "aaaa-bbbb",
    ]) {
      expect(written[0]).not.toContain(secret);
    }
  });

  it("censors the row values PostgreSQL reports in an error's detail, even without the query's parameters", () => {
    const { logger, written, lines } = capture();
    const duplicate = Object.assign(new pg.DatabaseError("duplicate key value", 90, "error"), {
      code: "23505",
      detail: `Key (lower(email::text))=(${EMAIL}) already exists.`,
    });
    const check = Object.assign(new pg.DatabaseError("new row violates check constraint", 90, "error"), {
      code: "23514",
      detail: `Failing row contains (7, ${EMAIL}, ${PASSWORD_HASH}).`,
    });
    logger.error({ err: duplicate });
    logger.error({ err: check });
    expect(lines().map((line) => line.err.detail)).toEqual([
      `Key (lower(email::text))=(${CENSOR}) already exists.`,
      `Failing row contains (${CENSOR}).`,
    ]);
    for (const line of written) expect(line).not.toMatch(new RegExp(`${EMAIL}|${PASSWORD_HASH}`));
  });

  it("keeps an error's own code, which names the kind of failure", () => {
    const { logger, lines } = capture();
    logger.warn({
      err: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6379"), { code: "ECONNREFUSED" }),
    });
    expect(lines()[0]?.err).toMatchObject({ type: "Error", code: "ECONNREFUSED" });
  });

  it("censors credentials inside free text: Authorization values, URL passwords, secret query parameters", () => {
    const { logger, written } = capture();
    logger.warn("sent Authorization: Bearer abcdefgh12345678 to the API");
    logger.warn("could not reach postgres://shop:s3cr3t-pw@db.internal:5432/shop");
    logger.warn("link https://joxicrochet.shop/reset?token=QWERTYUIOP123&lang=en was clicked twice");
    expect(written.join("\n")).not.toMatch(/abcdefgh12345678|s3cr3t-pw|QWERTYUIOP123/);
    expect(written.join("\n")).toContain("postgres://shop:[redacted]@db.internal");
    expect(written.join("\n")).toContain("lang=en");
  });

  it("censors a child logger's bindings and its interpolated values", () => {
    const { logger, written } = capture();
    logger
      .child({ area: "auth" })
      .child({ sessionToken: "sess-0123456789" })
      .info("retrying %s", "postgres://a:hunter2-pw@h/db");
    expect(written[0]).not.toContain("sess-0123456789");
    expect(written[0]).not.toContain("hunter2-pw");
  });

  it("logs circular and deep structures without throwing", () => {
    const { logger, lines } = capture();
    const loop: Record<string, unknown> = { name: "loop" };
    loop.self = loop;
    logger.info({ loop });
    expect(lines()[0]?.loop).toEqual({ name: "loop", self: "[circular]" });
  });

  it("leaves an ordinary line as it was", () => {
    const { logger, lines } = capture();
    const entry = {
      requestId: "r-2",
      operationId: "listProducts",
      method: "GET",
      path: "/api/products",
      status: 200,
    };
    logger.info(entry, "request");
    expect(lines()[0]).toMatchObject({ ...entry, msg: "request" });
  });
});

describe("names of secrets", () => {
  it.each([
    "password",
    "newPassword",
    "password_hash",
    "token",
    "accessToken",
    "refresh_token",
    "secret",
    "clientSecret",
    "code",
    "backupCodes",
    "verificationCode",
    "otp",
    "totpURI",
    "authorization",
    "Cookie",
    "set-cookie",
    "apiKey",
    "x-api-key",
    "privateKey",
  ])("%s is a secret", (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each([
    "email",
    "statusCode",
    "currencyCode",
    "errorCode",
    "footprint",
    "idempotencyKey",
    "passengers",
    "id",
  ])("%s is not", (name) => {
    expect(isSecretName(name)).toBe(false);
  });
});
