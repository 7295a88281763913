import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ParsedMail, simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../support/app";
import {
  bearer,
  cookieHeader,
  jobsDone,
  json,
  mailsTo,
  newAccount,
  nextMailTo,
  registered,
} from "../../support/auth";
import { waitFor } from "../mailer/helpers";

const NEW_PASSWORD = "granny-square-winter-77";

describe("e-mail verification, password reset and password change", () => {
  let api: TestApp;
  // A data folder of the test's own (createTestApp's is not exposed), so that the .eml files can be read.
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "jc-flows-"));
    api = await createTestApp({ seed: false, env: { DATA_DIR: dataDir } });
  });

  afterAll(async () => {
    await api?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const me = (headers: Record<string, string>) => api.request("/api/auth/me", { headers });
  const login = (email: string, password: string) =>
    api.request("/api/auth/login", json({ email, password }));

  /** The secret after `label` in the newest mail to `to` with `subject` (waiting for it to be queued). */
  async function secretFrom(to: string, subject: string, label: string): Promise<string> {
    const mail = await nextMailTo(api, to, subject);
    const secret = mail?.text.match(new RegExp(`${label}: (\\S+)`))?.[1];
    if (!secret) throw new Error(`no "${subject}" mail with a ${label} to ${to}`);
    return secret;
  }
  const verificationToken = (to: string) =>
    secretFrom(to, "Confirm your e-mail address", "Verification token");
  const resetToken = (to: string) => secretFrom(to, "Reset your password", "Reset token");

  describe("e-mail verification", () => {
    it("mails a link on registration whose token verifies the address", async () => {
      const { account, token } = await registered(api);
      const mails = await mailsTo(api, account.email);
      expect(mails.map((m) => m.subject)).toEqual(["Confirm your e-mail address"]);
      const secret = await verificationToken(account.email);
      // The link in the mail carries the same token.
      expect(mails[0]?.text).toContain(`/verify-email?token=${encodeURIComponent(secret)}`);

      const confirmed = await api.request("/api/auth/email-verification/confirm", json({ token: secret }));
      expect(confirmed.status).toBe(200);
      expect(confirmed.body).toMatchObject({ email: account.email, emailVerified: true });
      expect((await me(bearer(token))).body.emailVerified).toBe(true);

      // Confirming again is no error: the address simply is verified.
      const again = await api.request("/api/auth/email-verification/confirm", json({ token: secret }));
      expect(again.status).toBe(200);
      expect(again.body.emailVerified).toBe(true);
    });

    it("sends the mail again to a signed-in account, and not once the address is verified", async () => {
      const { account, token, cookie } = await registered(api);
      const resent = await api.request("/api/auth/email-verification", {
        method: "POST",
        headers: bearer(token),
      });
      expect(resent.status).toBe(202);
      expect(await mailsTo(api, account.email)).toHaveLength(2);

      const secret = await verificationToken(account.email);
      expect(
        (await api.request("/api/auth/email-verification/confirm", json({ token: secret }))).status,
      ).toBe(200);

      const needless = await api.request("/api/auth/email-verification", {
        method: "POST",
        headers: { cookie },
      });
      expect(needless.status).toBe(202);
      expect(await mailsTo(api, account.email)).toHaveLength(2);
    });

    it("asks who is calling before sending the mail again", async () => {
      const response = await api.request("/api/auth/email-verification", { method: "POST" });
      expect(response.status).toBe(401);
      expect(response.body.code).toBe("unauthenticated");
    });

    it("refuses a bad or tampered token", async () => {
      const { account, token } = await registered(api);
      const garbage = await api.request(
        "/api/auth/email-verification/confirm",
        json({ token: "not-a-token" }),
      );
      expect(garbage.status).toBe(401);
      expect(garbage.body.code).toBe("invalid_token");

      const secret = await verificationToken(account.email);
      const [header, payload, signature] = secret.split(".") as [string, string, string];
      const flipped = `${signature.slice(0, 10)}${signature[10] === "A" ? "B" : "A"}${signature.slice(11)}`;
      const tampered = await api.request(
        "/api/auth/email-verification/confirm",
        json({ token: `${header}.${payload}.${flipped}` }),
      );
      expect(tampered.status).toBe(401);
      expect(tampered.body.code).toBe("invalid_token");
      expect((await me(bearer(token))).body.emailVerified).toBe(false);
    });
  });

  describe("password reset", () => {
    it("answers the same for a known and an unknown address, and mails only the known one", async () => {
      const { account } = await registered(api);
      const unknown = newAccount("stranger").email;
      const known = await api.request("/api/auth/password-reset", json({ email: account.email }));
      const stranger = await api.request("/api/auth/password-reset", json({ email: unknown }));
      expect(known.status).toBe(202);
      expect(stranger.status).toBe(202);
      expect(stranger.text).toBe(known.text);
      expect(stranger.headers.get("content-type")).toBe(known.headers.get("content-type"));

      // The answer came first; the lookup and the mail follow, through the outbox.
      await jobsDone(api);
      expect((await mailsTo(api, account.email)).map((m) => m.subject)).toContain("Reset your password");
      expect(await mailsTo(api, unknown)).toEqual([]);
    });

    it("sets the new password with the token, once, and signs every session out", async () => {
      const { account, token: firstToken, cookie: firstCookie } = await registered(api);
      const second = await login(account.email, account.password);
      expect(second.status).toBe(200);
      const sessions = [
        { cookie: firstCookie },
        bearer(firstToken),
        { cookie: cookieHeader(second) },
        bearer(second.body.accessToken),
      ];
      for (const headers of sessions) expect((await me(headers)).status).toBe(200);

      expect((await api.request("/api/auth/password-reset", json({ email: account.email }))).status).toBe(
        202,
      );
      const secret = await resetToken(account.email);
      const reset = await api.request(
        "/api/auth/password-reset/confirm",
        json({ token: secret, newPassword: NEW_PASSWORD }),
      );
      expect(reset.status).toBe(204);

      for (const headers of sessions) expect((await me(headers)).status).toBe(401);
      const old = await login(account.email, account.password);
      expect(old.status).toBe(401);
      expect(old.body.code).toBe("invalid_credentials");
      expect((await login(account.email, NEW_PASSWORD)).status).toBe(200);

      const replay = await api.request(
        "/api/auth/password-reset/confirm",
        json({ token: secret, newPassword: "someone-elses-password-1" }),
      );
      expect(replay.status).toBe(401);
      expect(replay.body.code).toBe("invalid_token");
    });

    it("refuses an unknown reset token", async () => {
      const response = await api.request(
        "/api/auth/password-reset/confirm",
        json({ token: "0123456789abcdef0123", newPassword: NEW_PASSWORD }),
      );
      expect(response.status).toBe(401);
      expect(response.body.code).toBe("invalid_token");
    });
  });

  describe("password change", () => {
    for (const via of ["cookie", "bearer"] as const) {
      it(`ends the other sessions and their access tokens, and keeps the current one (${via})`, async () => {
        const { account, token, cookie } = await registered(api);
        const other = await login(account.email, account.password);
        const others = [{ cookie: cookieHeader(other) }, bearer(other.body.accessToken)];
        for (const headers of others) expect((await me(headers)).status).toBe(200);

        const credentials = via === "cookie" ? { cookie } : bearer(token);
        const changed = await api.request(
          "/api/auth/password",
          json({ currentPassword: account.password, newPassword: NEW_PASSWORD }, credentials),
        );
        expect(changed.status).toBe(204);

        for (const headers of others) expect((await me(headers)).status).toBe(401);
        expect((await me({ cookie })).status).toBe(200);
        expect((await me(bearer(token))).status).toBe(200);
        expect((await api.request("/api/auth/refresh", { method: "POST", headers: { cookie } })).status).toBe(
          200,
        );

        expect((await login(account.email, account.password)).status).toBe(401);
        expect((await login(account.email, NEW_PASSWORD)).status).toBe(200);
      });
    }

    it("refuses a wrong current password and changes nothing", async () => {
      const { account, token } = await registered(api);
      const other = await login(account.email, account.password);
      const wrong = await api.request(
        "/api/auth/password",
        json({ currentPassword: "not-the-password", newPassword: NEW_PASSWORD }, bearer(token)),
      );
      expect(wrong.status).toBe(401);
      expect(wrong.body.code).toBe("invalid_credentials");
      expect((await me({ cookie: cookieHeader(other) })).status).toBe(200);
      expect((await login(account.email, account.password)).status).toBe(200);
    });
  });

  describe("mail without SMTP_URL", () => {
    /** The .eml files in `${DATA_DIR}/outbox`, parsed, for one recipient. */
    async function emlFilesTo(to: string): Promise<{ name: string; mail: ParsedMail }[]> {
      const folder = join(dataDir, "outbox");
      const names = (await readdir(folder).catch(() => [] as string[])).filter((name) =>
        name.endsWith(".eml"),
      );
      const files = await Promise.all(
        names.map(async (name) => ({ name, mail: await simpleParser(await readFile(join(folder, name))) })),
      );
      return files.filter(({ mail }) => {
        const address = mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.address : undefined;
        return address === to;
      });
    }

    it("writes each mail as an .eml file under DATA_DIR/outbox, and its token works", async () => {
      expect(api.services.mailer.kind).toBe("folder");
      const { account } = await registered(api);
      // The worker is woken when the mail is queued; the file appears shortly after.
      await waitFor(async () => (await emlFilesTo(account.email)).length > 0, 10_000);

      const [file] = await emlFilesTo(account.email);
      expect(file?.name).toMatch(/^\d{8}T\d{9}Z-[0-9a-f]{12}\.eml$/);
      expect(file?.mail.subject).toBe("Confirm your e-mail address");
      expect(file?.mail.from?.value).toEqual([{ name: "JoxiCrochet", address: "shop@joxicrochet.shop" }]);
      const token = file?.mail.text?.match(/Verification token: (\S+)/)?.[1];
      expect(token).toBe(await verificationToken(account.email));

      const confirmed = await api.request("/api/auth/email-verification/confirm", json({ token }));
      expect(confirmed.status).toBe(200);
      expect(confirmed.body.emailVerified).toBe(true);
    });
  });
});
