import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "../../../db/schema/index.ts";
import { createTestApp, type TestApp } from "../../support/app";
import { bearer, cookieHeader, jobsDone, json, mailsTo, newAccount, registered } from "../../support/auth";
import { hotp, parseTotpUri, totp, wrongTotp } from "../../support/totp";
import { readCode, waitFor } from "../mailer/helpers";
import { type SmtpSink, startSmtpSink } from "../mailer/smtp-sink";

const SIGN_IN_CODE_SUBJECT = "Your JoxiCrochet sign-in code";

/** A six-digit code that is not `code`. */
const otherThan = (code: string, n = 1) => String((Number(code) + n * 1_111) % 1_000_000).padStart(6, "0");

describe("the TOTP helper", () => {
  it("matches the RFC 6238 test vector (SHA-1, T = 59 s)", () => {
    // RFC 6238 appendix B: key "12345678901234567890", 8 digits 94287082, so 6 digits 287082.
    expect(hotp(Buffer.from("12345678901234567890"), Math.floor(59 / 30), 8)).toBe("94287082");
    expect(hotp(Buffer.from("12345678901234567890"), Math.floor(59 / 30))).toBe("287082");
    const uri = "otpauth://totp/X:a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=X";
    expect(parseTotpUri(uri).key.toString()).toBe("12345678901234567890");
    expect(totp(uri, { at: 59_000 })).toBe("287082");
  });
});

describe("codes by e-mail and authenticator app", () => {
  let sink: SmtpSink;
  let api: TestApp;

  beforeAll(async () => {
    sink = await startSmtpSink();
    api = await createTestApp({ seed: false, env: { SMTP_URL: sink.url } });
  });

  afterAll(async () => {
    await api?.close();
    await sink?.close();
  });

  const codeMailsTo = (to: string) =>
    sink.received.filter((m) => m.envelope.to.includes(to) && m.parsed.subject === SIGN_IN_CODE_SUBJECT);

  /** The code of the `index`-th sign-in mail the SMTP server received for `to` (the worker is woken on enqueue). */
  async function receivedCode(to: string, index = 0): Promise<string> {
    await waitFor(() => codeMailsTo(to).length > index, 10_000);
    const code = readCode(codeMailsTo(to)[index]?.parsed.text);
    if (!code) throw new Error("no six-digit code in the mail");
    return code;
  }

  const sendCode = (email: string) => api.request("/api/auth/email-otp", json({ email }));
  const signInWithCode = (email: string, code: string) =>
    api.request("/api/auth/email-otp/verify", json({ email, code }));

  describe("sign-in with a one-time code by e-mail", () => {
    it("mails the code through the SMTP server, and the code from that mail signs in", async () => {
      expect(api.services.mailer.kind).toBe("smtp");
      const { account } = await registered(api);

      const sent = await sendCode(account.email);
      expect(sent.status).toBe(202);
      expect(sent.text).toBe("");

      const code = await receivedCode(account.email);
      expect(code).toMatch(/^\d{6}$/);
      const [mail] = codeMailsTo(account.email);
      expect(mail?.envelope.from).toBe("shop@joxicrochet.shop");
      // The subject is logged, so it never carries the code.
      expect(mail?.parsed.subject).not.toContain(code);

      const signedIn = await signInWithCode(account.email, code);
      expect(signedIn.status).toBe(200);
      expect(signedIn.body).toMatchObject({ status: "signed_in", tokenType: "Bearer", expiresIn: 900 });
      expect(signedIn.body.user.email).toBe(account.email);
      // The code came through the mailbox, so the address is proven.
      expect(signedIn.body.user.emailVerified).toBe(true);
      expect(signedIn.headers.getSetCookie().some((c) => /^joxicrochet-session=[^;]+/.test(c))).toBe(true);

      const byCookie = await api.request("/api/auth/me", { headers: { cookie: cookieHeader(signedIn) } });
      expect(byCookie.status).toBe(200);
      expect(byCookie.body.email).toBe(account.email);
      const byToken = await api.request("/api/auth/me", { headers: bearer(signedIn.body.accessToken) });
      expect(byToken.status).toBe(200);

      // A code works once.
      const again = await signInWithCode(account.email, code);
      expect(again.status).toBe(401);
      expect(again.body.code).toBe("invalid_code");
    });

    it("answers an unknown address exactly like a known one, and mails nothing to it", async () => {
      const { account } = await registered(api);
      const unknown = newAccount("stranger").email;

      const known = await sendCode(account.email);
      const stranger = await sendCode(unknown);
      expect(stranger.status).toBe(known.status);
      expect(stranger.status).toBe(202);
      expect(stranger.text).toBe(known.text);
      expect(stranger.headers.get("content-type")).toBe(known.headers.get("content-type"));

      // Both requests were only recorded; once the worker has run them, the outbox shows what
      // goes out: nothing for the stranger.
      await jobsDone(api);
      expect((await mailsTo(api, unknown)).length).toBe(0);
      // The known address's mail went out through the same worker; nothing followed for the stranger.
      await receivedCode(account.email);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(sink.received.filter((m) => m.envelope.to.includes(unknown))).toHaveLength(0);

      // No account comes out of a code for an unknown address (sign-up is by registration only).
      const guess = await signInWithCode(unknown, "123456");
      expect(guess.status).toBe(401);
      expect(guess.body.code).toBe("invalid_code");
      expect(await api.database.db.select().from(users).where(eq(users.email, unknown))).toHaveLength(0);
    });

    it("kills a code after 3 wrong tries: the 4th try, with the right code, is refused", async () => {
      const { account } = await registered(api);
      expect((await sendCode(account.email)).status).toBe(202);
      const code = await receivedCode(account.email);

      for (let n = 1; n <= 3; n += 1) {
        const wrong = await signInWithCode(account.email, otherThan(code, n));
        expect(wrong.status).toBe(401);
        expect(wrong.body.code).toBe("invalid_code");
      }
      const right = await signInWithCode(account.email, code);
      expect(right.status).toBe(401);
      expect(right.body.code).toBe("code_expired");
      expect(cookieHeader(right)).toBe("");

      // A new code starts afresh.
      expect((await sendCode(account.email)).status).toBe(202);
      const fresh = await receivedCode(account.email, 1);
      const signedIn = await signInWithCode(account.email, fresh);
      expect(signedIn.status).toBe(200);
      expect(signedIn.body.status).toBe("signed_in");
    });

    // Better-Auth's guard against account pre-hijacking: an unverified account may have been
    // registered by someone else with this address, so when the owner proves the mailbox the
    // sessions and the password set before are dropped. The contract does not say so (yet).
    it("drops the sessions and the password of an unverified account when its owner signs in with a code", async () => {
      const { account, token, cookie } = await registered(api);
      expect((await sendCode(account.email)).status).toBe(202);
      const signedIn = await signInWithCode(account.email, await receivedCode(account.email));
      expect(signedIn.status).toBe(200);

      expect((await api.request("/api/auth/me", { headers: { cookie } })).status).toBe(401);
      expect((await api.request("/api/auth/me", { headers: bearer(token) })).status).toBe(401);
      const password = await api.request(
        "/api/auth/login",
        json({ email: account.email, password: account.password }),
      );
      expect(password.status).toBe(401);
      expect(password.body.code).toBe("invalid_credentials");
    });

    it("keeps the password and sessions of a verified account that signs in with a code", async () => {
      const { account, cookie } = await registered(api);
      const [verification] = await mailsTo(api, account.email);
      const token = verification?.text.match(/Verification token: (\S+)/)?.[1];
      expect((await api.request("/api/auth/email-verification/confirm", json({ token }))).status).toBe(200);

      expect((await sendCode(account.email)).status).toBe(202);
      const signedIn = await signInWithCode(account.email, await receivedCode(account.email));
      expect(signedIn.status).toBe(200);

      expect((await api.request("/api/auth/me", { headers: { cookie } })).status).toBe(200);
      const password = await api.request(
        "/api/auth/login",
        json({ email: account.email, password: account.password }),
      );
      expect(password.status).toBe(200);
    });
  });

  describe("two-factor authentication with an authenticator app (TOTP)", () => {
    const login = (account: { email: string; password: string }) =>
      api.request("/api/auth/login", json({ email: account.email, password: account.password }));
    const verify = (code: string, headers: Record<string, string> = {}) =>
      api.request("/api/auth/two-factor/verify", json({ code }, headers));
    const useBackupCode = (code: string, headers: Record<string, string> = {}) =>
      api.request("/api/auth/two-factor/backup-codes/verify", json({ code }, headers));
    const me = (headers: Record<string, string>) => api.request("/api/auth/me", { headers });

    /** The pending sign-in cookie of a `two_factor_required` answer. */
    function pendingCookie(response: Awaited<ReturnType<typeof login>>): string {
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: "two_factor_required" });
      const pending = response.headers.getSetCookie().find((c) => c.startsWith("joxicrochet.two_factor="));
      expect(pending).toMatch(/HttpOnly/i);
      return pending?.split(";")[0] as string;
    }

    /** A registered account with two-factor authentication on (set up and confirmed through the API). */
    async function withTwoFactor() {
      const { account, token } = await registered(api);
      const setup = await api.request(
        "/api/auth/two-factor/enable",
        json({ password: account.password }, bearer(token)),
      );
      expect(setup.status).toBe(200);
      const uri = setup.body.totpUri as string;
      const backupCodes = setup.body.backupCodes as string[];
      const confirmed = await verify(totp(uri), bearer(token));
      expect(confirmed.status, confirmed.text).toBe(200);
      return {
        account,
        uri,
        backupCodes,
        cookie: cookieHeader(confirmed),
        token: confirmed.body.accessToken as string,
      };
    }

    it("enables TOTP with the password and turns it on once a code from the app is confirmed", async () => {
      const { account, token } = await registered(api);
      const wrongPassword = await api.request(
        "/api/auth/two-factor/enable",
        json({ password: "not-the-password" }, bearer(token)),
      );
      expect(wrongPassword.status).toBe(401);
      expect(wrongPassword.body.code).toBe("invalid_credentials");

      const setup = await api.request(
        "/api/auth/two-factor/enable",
        json({ password: account.password }, bearer(token)),
      );
      expect(setup.status).toBe(200);
      const { totpUri, backupCodes } = setup.body;
      const parsed = parseTotpUri(totpUri);
      expect(parsed).toMatchObject({ digits: 6, period: 30, issuer: "JoxiCrochet" });
      expect(decodeURIComponent(totpUri)).toContain(account.email);
      expect(backupCodes).toHaveLength(10);
      expect(new Set(backupCodes).size).toBe(10);

      // Not on until confirmed.
      expect((await me(bearer(token))).body.twoFactorEnabled).toBe(false);
      const wrong = await verify(wrongTotp(totpUri), bearer(token));
      expect(wrong.status).toBe(401);
      expect(wrong.body.code).toBe("invalid_code");
      expect((await me(bearer(token))).body.twoFactorEnabled).toBe(false);

      const confirmed = await verify(totp(totpUri), bearer(token));
      expect(confirmed.status, confirmed.text).toBe(200);
      expect(confirmed.body.status).toBe("signed_in");
      expect(confirmed.body.user.twoFactorEnabled).toBe(true);
      // The session is renewed on the change; the new credentials work.
      const byCookie = await me({ cookie: cookieHeader(confirmed) });
      expect(byCookie.status).toBe(200);
      expect(byCookie.body.twoFactorEnabled).toBe(true);
      expect((await me(bearer(confirmed.body.accessToken))).body.twoFactorEnabled).toBe(true);
    });

    it("asks for the second step at sign-in and finishes it with a TOTP code and the pending cookie", async () => {
      const { account, uri } = await withTwoFactor();
      const started = await login(account);
      const pending = pendingCookie(started);
      // No session yet: the session cookie is cleared, not set.
      expect(started.headers.getSetCookie().find((c) => c.startsWith("joxicrochet-session="))).toMatch(
        /^joxicrochet-session=;/,
      );

      const withoutPending = await verify(totp(uri));
      expect(withoutPending.status).toBe(401);
      expect(withoutPending.body.code).toBe("unauthenticated");

      const finished = await verify(totp(uri), { cookie: pending });
      expect(finished.status).toBe(200);
      expect(finished.body.status).toBe("signed_in");
      expect(finished.body.user.email).toBe(account.email);
      expect((await me({ cookie: cookieHeader(finished) })).status).toBe(200);
      expect((await me(bearer(finished.body.accessToken))).status).toBe(200);

      // The pending sign-in is used up.
      const replay = await verify(totp(uri), { cookie: pending });
      expect(replay.status).toBe(401);
    });

    it("locks the second step after 3 wrong TOTP codes: then even the right code is refused", async () => {
      const { account, uri, backupCodes } = await withTwoFactor();
      const pending = pendingCookie(await login(account));
      for (let n = 0; n < 3; n += 1) {
        const wrong = await verify(wrongTotp(uri), { cookie: pending });
        expect(wrong.status).toBe(401);
        expect(wrong.body.code).toBe("invalid_code");
      }
      const right = await verify(totp(uri), { cookie: pending });
      expect(right.status).toBe(429);
      expect(right.body.code).toBe("account_locked");
      expect(cookieHeader(right)).not.toMatch(/joxicrochet-session=[^;]/);

      // The lock is the account's, not the pending sign-in's: a new sign-in is refused as well,
      // with the app's code and with a backup code.
      const again = pendingCookie(await login(account));
      expect((await verify(totp(uri), { cookie: again })).body.code).toBe("account_locked");
      const backup = await useBackupCode(backupCodes[0] as string, { cookie: again });
      expect(backup.status).toBe(429);
      expect(backup.body.code).toBe("account_locked");
    });

    it("signs in with a backup code once, and not twice", async () => {
      const { account, backupCodes } = await withTwoFactor();
      const [first, second] = backupCodes as [string, string];

      const pending = pendingCookie(await login(account));
      const used = await useBackupCode(first, { cookie: pending });
      expect(used.status).toBe(200);
      expect(used.body.status).toBe("signed_in");
      expect((await me({ cookie: cookieHeader(used) })).status).toBe(200);

      const next = pendingCookie(await login(account));
      const reused = await useBackupCode(first, { cookie: next });
      expect(reused.status).toBe(401);
      expect(reused.body.code).toBe("invalid_code");
      const other = await useBackupCode(second, { cookie: next });
      expect(other.status).toBe(200);
      expect(other.body.status).toBe("signed_in");
    });

    it("refuses a backup code without a pending sign-in", async () => {
      const { backupCodes } = await withTwoFactor();
      const response = await useBackupCode(backupCodes[0] as string);
      expect(response.status).toBe(401);
      expect(response.body.code).toBe("unauthenticated");
    });

    it("replaces the backup codes with the password: the old ones stop working, the new ones work", async () => {
      const { account, backupCodes, token } = await withTwoFactor();
      const wrongPassword = await api.request(
        "/api/auth/two-factor/backup-codes",
        json({ password: "not-the-password" }, bearer(token)),
      );
      expect(wrongPassword.status).toBe(401);

      const renewed = await api.request(
        "/api/auth/two-factor/backup-codes",
        json({ password: account.password }, bearer(token)),
      );
      expect(renewed.status).toBe(200);
      const fresh = renewed.body.backupCodes as string[];
      expect(fresh).toHaveLength(10);
      expect(fresh.filter((code) => backupCodes.includes(code))).toEqual([]);

      const pending = pendingCookie(await login(account));
      const old = await useBackupCode(backupCodes[0] as string, { cookie: pending });
      expect(old.status).toBe(401);
      expect(old.body.code).toBe("invalid_code");
      const replaced = await useBackupCode(fresh[0] as string, { cookie: pending });
      expect(replaced.status).toBe(200);
      expect(replaced.body.status).toBe("signed_in");
    });

    it("turns two-factor off with the password: sign-in no longer asks for the second step", async () => {
      const { account, cookie } = await withTwoFactor();
      const wrongPassword = await api.request(
        "/api/auth/two-factor/disable",
        json({ password: "not-the-password" }, { cookie }),
      );
      expect(wrongPassword.status).toBe(401);
      expect(wrongPassword.body.code).toBe("invalid_credentials");
      expect((await me({ cookie })).body.twoFactorEnabled).toBe(true);

      const disabled = await api.request(
        "/api/auth/two-factor/disable",
        json({ password: account.password }, { cookie }),
      );
      expect(disabled.status).toBe(204);
      // The caller stays signed in: Better-Auth renews the session on the change, so the answer
      // must carry the new session cookie (or the old one must still work).
      const current = cookieHeader(disabled) || cookie;
      const after = await me({ cookie: current });
      expect(after.status).toBe(200);
      expect(after.body.twoFactorEnabled).toBe(false);

      const signedIn = await login(account);
      expect(signedIn.status).toBe(200);
      expect(signedIn.body.status).toBe("signed_in");
      expect(signedIn.body.user.twoFactorEnabled).toBe(false);
    });
  });
});
