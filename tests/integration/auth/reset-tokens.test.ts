import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifications } from "../../../db/schema/index.ts";
import { createTestApp, type TestApp } from "../../support/app";
import { json, nextMailTo, registered } from "../../support/auth";

const RESET_SUBJECT = "Reset your password";

describe("password-reset tokens are single-use as a family", () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await createTestApp({ seed: false });
  });

  afterAll(async () => {
    await api?.close();
  });

  const login = (email: string, password: string) =>
    api.request("/api/auth/login", json({ email, password }));
  const reset = (token: string, newPassword: string) =>
    api.request("/api/auth/password-reset/confirm", json({ token, newPassword }));

  /** Asks for a reset and returns the token of the mail it produced (the `count`-th such mail). */
  async function requestReset(email: string, count: number): Promise<string> {
    expect((await api.request("/api/auth/password-reset", json({ email }))).status).toBe(202);
    const mail = await nextMailTo(api, email, RESET_SUBJECT, { after: count - 1 });
    const token = mail.text.match(/Reset token: (\S+)/)?.[1];
    if (!token) throw new Error("no reset token in the mail");
    return token;
  }

  it("refuses the older token once the newer one has set a password, and the older changes nothing", async () => {
    const { account } = await registered(api);
    const older = await requestReset(account.email, 1);
    const newer = await requestReset(account.email, 2);
    expect(newer).not.toBe(older);

    expect((await reset(newer, "granny-square-newer-1")).status).toBe(204);
    const stale = await reset(older, "granny-square-older-2");
    expect(stale.status).toBe(401);
    expect(stale.body.code).toBe("invalid_token");

    expect((await login(account.email, "granny-square-older-2")).status).toBe(401);
    expect((await login(account.email, "granny-square-newer-1")).status).toBe(200);
  });

  it("refuses the older token as soon as a newer one is issued; the newer one works", async () => {
    const { account } = await registered(api);
    const older = await requestReset(account.email, 1);
    const newer = await requestReset(account.email, 2);

    const stale = await reset(older, "granny-square-older-3");
    expect(stale.status).toBe(401);
    expect(stale.body.code).toBe("invalid_token");
    expect((await login(account.email, account.password)).status).toBe(200);

    expect((await reset(newer, "granny-square-newer-4")).status).toBe(204);
    expect((await login(account.email, "granny-square-newer-4")).status).toBe(200);
  });

  it("refuses every token outstanding beside the one used (issued concurrently, or before this rule)", async () => {
    const { account, response } = await registered(api);
    const used = await requestReset(account.email, 1);
    // A sibling as Better-Auth stores one (`reset-password:<token>` → the account), written beside
    // the mailed token the way a concurrent request or an older release could have left it.
    const sibling = randomBytes(18).toString("base64url");
    await api.database.db.insert(verifications).values({
      id: randomBytes(16).toString("hex"),
      identifier: `reset-password:${sibling}`,
      value: response.body.user.id,
      expiresAt: new Date(Date.now() + 30 * 60_000),
    });

    expect((await reset(used, "granny-square-used-7")).status).toBe(204);
    const stale = await reset(sibling, "granny-square-sibling-8");
    expect(stale.status).toBe(401);
    expect(stale.body.code).toBe("invalid_token");
    expect((await login(account.email, "granny-square-used-7")).status).toBe(200);
  });

  it("leaves other accounts' reset tokens alone", async () => {
    const first = await registered(api);
    const second = await registered(api);
    const firstToken = await requestReset(first.account.email, 1);
    const secondToken = await requestReset(second.account.email, 1);

    expect((await reset(secondToken, "granny-square-second-5")).status).toBe(204);
    expect((await reset(firstToken, "granny-square-first-6")).status).toBe(204);
    expect((await login(first.account.email, "granny-square-first-6")).status).toBe(200);
  });
});
