import { eq } from "drizzle-orm";
import type { OpenAPIV3 } from "openapi-types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessions } from "../../../db/schema/index.ts";
import { type ApiResponse, createTestApp, type TestApp } from "../../support/app";
import { bearer, cookieHeader, json, mailsTo, nextMailTo, registered } from "../../support/auth";
import { contract } from "../../support/contract";
import { totp } from "../../support/totp";

/**
 * Two-factor authentication holds on every way into a session. The operations that can open one
 * are read from the contract; each has a scenario here on an account with a confirmed
 * authenticator app, showing that no session and no access token come out of it without the
 * second factor. A new session-opening operation without a scenario fails the first test.
 */

const SIGNED_IN = "#/components/schemas/SignedIn";
const SESSION_COOKIE_HEADER = "#/components/headers/SetSessionCookie";

/** Whether a schema of the contract can be a `SignedIn`, directly or through a $ref or a union. */
function canBeSignedIn(schema: unknown, seen = new Set<string>()): boolean {
  if (typeof schema !== "object" || schema === null) return false;
  const { $ref, oneOf, anyOf, allOf } = schema as Record<string, unknown>;
  if (typeof $ref === "string") {
    if ($ref === SIGNED_IN) return true;
    if (seen.has($ref)) return false;
    seen.add($ref);
    const name = $ref.replace("#/components/schemas/", "");
    return canBeSignedIn(contract.components?.schemas?.[name], seen);
  }
  return [oneOf, anyOf, allOf].some(
    (members) => Array.isArray(members) && members.some((member) => canBeSignedIn(member, seen)),
  );
}

const allowsAnonymous = (operation: OpenAPIV3.OperationObject) =>
  (operation.security ?? contract.security ?? []).length === 0 ||
  (operation.security ?? []).some((requirement) => Object.keys(requirement).length === 0);

/**
 * The operations whose success can open a session: those that answer a `SignedIn` (alone or in a
 * union such as `SignInResult`), and those that set the session cookie for a caller who has none.
 */
function sessionOpeningOperations(): string[] {
  const found: string[] = [];
  for (const item of Object.values(contract.paths)) {
    for (const operation of Object.values(item ?? {}) as OpenAPIV3.OperationObject[]) {
      if (typeof operation !== "object" || !operation?.operationId) continue;
      const successes = Object.entries(operation.responses ?? {})
        .filter(([status]) => status.startsWith("2"))
        .map(([, response]) => response as OpenAPIV3.ResponseObject);
      const answersSignedIn = successes.some((response) =>
        Object.values(response.content ?? {}).some((media) => canBeSignedIn(media.schema)),
      );
      const setsSessionForAnyone =
        allowsAnonymous(operation) &&
        successes.some((response) =>
          Object.values(response.headers ?? {}).some(
            (header) => (header as OpenAPIV3.ReferenceObject).$ref === SESSION_COOKIE_HEADER,
          ),
        );
      if (answersSignedIn || setsSessionForAnyone) found.push(operation.operationId);
    }
  }
  return found.sort();
}

describe("two-factor authentication on every way into a session", () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await createTestApp({ seed: false });
  });

  afterAll(async () => {
    await api?.close();
  });

  const sessionIdsOf = async (userId: string) =>
    (await api.database.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId)))
      .map((row) => row.id)
      .sort();

  /** A verified account whose authenticator app is set up and confirmed, and nothing else signed in. */
  async function accountWithTwoFactor() {
    const { account, token } = await registered(api);
    const [verification] = await mailsTo(api, account.email);
    const verificationToken = verification?.text.match(/Verification token: (\S+)/)?.[1];
    const verified = await api.request(
      "/api/auth/email-verification/confirm",
      json({ token: verificationToken }),
    );
    expect(verified.status).toBe(200);
    const setup = await api.request(
      "/api/auth/two-factor/enable",
      json({ password: account.password }, bearer(token)),
    );
    expect(setup.status).toBe(200);
    const uri = setup.body.totpUri as string;
    const confirmed = await api.request(
      "/api/auth/two-factor/verify",
      json({ code: totp(uri) }, bearer(token)),
    );
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body.user.twoFactorEnabled).toBe(true);
    // Only the setup's own session remains; it is ended so that any session found later is new.
    const signedOut = await api.request("/api/auth/logout", {
      method: "POST",
      headers: { cookie: cookieHeader(confirmed) },
    });
    expect(signedOut.status).toBe(204);
    const userId = confirmed.body.user.id as string;
    expect(await sessionIdsOf(userId)).toEqual([]);
    return { account, uri, userId, backupCodes: setup.body.backupCodes as string[] };
  }

  type Account = Awaited<ReturnType<typeof accountWithTwoFactor>>;

  /** Nothing in the answer signs the caller in: no access token, no session cookie, no new session row. */
  async function expectNoSession(response: ApiResponse, account: Account) {
    expect(response.body?.accessToken).toBeUndefined();
    expect(response.body?.status).not.toBe("signed_in");
    const sessionCookies = response.headers
      .getSetCookie()
      .filter((c) => c.startsWith("joxicrochet-session="));
    for (const cookie of sessionCookies) expect(cookie).toMatch(/^joxicrochet-session=;/);
    expect(await sessionIdsOf(account.userId)).toEqual([]);
  }

  /** A `two_factor_required` answer, whose pending cookie and a code from the app finish the sign-in. */
  async function expectSecondStepThenFinish(response: ApiResponse, account: Account) {
    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({ status: "two_factor_required" });
    await expectNoSession(response, account);
    const pending = response.headers.getSetCookie().find((c) => c.startsWith("joxicrochet.two_factor="));
    expect(pending).toBeDefined();
    const finished = await api.request(
      "/api/auth/two-factor/verify",
      json({ code: totp(account.uri) }, { cookie: pending?.split(";")[0] as string }),
    );
    expect(finished.status, finished.text).toBe(200);
    expect(finished.body.status).toBe("signed_in");
    expect(finished.body.user.id).toBe(account.userId);
    expect(await sessionIdsOf(account.userId)).toHaveLength(1);
  }

  const scenarios: Record<string, (account: Account) => Promise<void>> = {
    registerAccount: async (account) => {
      const again = await api.request(
        "/api/auth/register",
        json({ ...account.account, password: "another-password-9" }),
      );
      expect(again.status).toBe(409);
      expect(again.body.code).toBe("email_taken");
      await expectNoSession(again, account);
    },
    signIn: async (account) => {
      const { email, password } = account.account;
      await expectSecondStepThenFinish(
        await api.request("/api/auth/login", json({ email, password })),
        account,
      );
    },
    signInWithCode: async (account) => {
      const { email } = account.account;
      expect((await api.request("/api/auth/email-otp", json({ email }))).status).toBe(202);
      const mail = await nextMailTo(api, email, "Your JoxiCrochet sign-in code");
      const code = mail.text.match(/\b(\d{6})\b/)?.[1];
      const signedIn = await api.request("/api/auth/email-otp/verify", json({ email, code }));
      await expectSecondStepThenFinish(signedIn, account);
    },
    verifyTwoFactor: async (account) => {
      // A right code from the app, but no sign-in waiting for it.
      const response = await api.request("/api/auth/two-factor/verify", json({ code: totp(account.uri) }));
      expect(response.status).toBe(401);
      expect(response.body.code).toBe("unauthenticated");
      await expectNoSession(response, account);
    },
    verifyBackupCode: async (account) => {
      const response = await api.request(
        "/api/auth/two-factor/backup-codes/verify",
        json({ code: account.backupCodes[0] }),
      );
      expect(response.status).toBe(401);
      expect(response.body.code).toBe("unauthenticated");
      await expectNoSession(response, account);
    },
  };

  const operations = sessionOpeningOperations();

  it("has a scenario for every operation of the contract that can open a session", () => {
    // The reading of the contract finds at least the operations known to open sessions today.
    expect(operations).toEqual(expect.arrayContaining(["registerAccount", "signIn", "verifyTwoFactor"]));
    const withoutScenario = operations.filter((operationId) => !(operationId in scenarios));
    expect(withoutScenario, "session-opening operations without a two-factor scenario").toEqual([]);
  });

  for (const operationId of operations) {
    it(`${operationId}: opens no session for a two-factor account without the second factor`, async () => {
      const scenario = scenarios[operationId];
      if (!scenario) throw new Error(`no two-factor scenario for the operation ${operationId}`);
      await scenario(await accountWithTwoFactor());
    });
  }
});
