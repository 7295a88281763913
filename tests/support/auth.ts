import { and, eq, isNull, ne } from "drizzle-orm";
import { outbox } from "../../db/schema/index.ts";
import type { ApiResponse, TestApp } from "./app";

export const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

/** The `name=value` pairs of a response's Set-Cookie headers, as a Cookie request header. */
export function cookieHeader(response: ApiResponse): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

let counter = 0;
export function newAccount(prefix = "knitter") {
  counter += 1;
  return {
    email: `${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}@example.com`,
    password: "granny-square-autumn-42",
    name: "Ada Lovelace",
  };
}

export async function registered(api: TestApp, account = newAccount()) {
  const response = await api.request("/api/auth/register", json(account));
  if (response.status !== 201) throw new Error(`register failed: ${response.status} ${response.text}`);
  return { account, response, token: response.body.accessToken as string, cookie: cookieHeader(response) };
}

/** The mails queued for an address, newest last (the outbox is where every mail starts). */
export async function mailsTo(api: TestApp, to: string): Promise<{ subject: string; text: string }[]> {
  const rows = await api.database.db
    .select()
    .from(outbox)
    .where(eq(outbox.kind, "email"))
    .orderBy(outbox.createdAt);
  return rows
    .map((row) => row.payload as { to: string; subject: string; text: string })
    .filter((mail) => mail.to === to);
}

/**
 * The newest mail with `subject` queued for an address, waiting for it: reset links and sign-in
 * codes are queued by the outbox worker after the request has been answered.
 */
export async function nextMailTo(
  api: TestApp,
  to: string,
  subject: string,
  options: { after?: number; timeoutMs?: number } = {},
): Promise<{ subject: string; text: string }> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const matching = (await mailsTo(api, to)).filter((mail) => mail.subject === subject);
    const mail = matching.at(-1);
    if (mail && matching.length > (options.after ?? 0)) return mail;
    if (Date.now() > deadline) throw new Error(`no "${subject}" mail to ${to} within the time allowed`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Waits until the outbox has run every job recorded so far (the work that requests such as a
 * password reset leave for after their answer), so that the mail they queue, if any, is there.
 */
export async function jobsDone(api: TestApp, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await api.database.db
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(ne(outbox.kind, "email"), isNull(outbox.sentAt)));
    if (pending.length === 0) return;
    if (Date.now() > deadline) throw new Error(`${pending.length} outbox jobs still not run`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A staff account, signed in: the login's answer. */
async function staffLogin(api: TestApp): Promise<ApiResponse> {
  const account = newAccount("staff");
  await api.services.auth.auth.api.createUser({ body: { ...account, role: "admin" } });
  const login = await api.request(
    "/api/auth/login",
    json({ email: account.email, password: account.password }),
  );
  if (login.status !== 200) throw new Error(`admin login failed: ${login.status} ${login.text}`);
  return login;
}

/** A signed-in staff account: its Bearer headers, for the catalog's admin operations. */
export async function signedInAdmin(api: TestApp): Promise<Record<string, string>> {
  return bearer((await staffLogin(api)).body.accessToken as string);
}

/** A staff account's Bearer token and session cookie together: credentials for any operation. */
export async function staffCredentials(api: TestApp): Promise<Record<string, string>> {
  const login = await staffLogin(api);
  return { ...bearer(login.body.accessToken as string), cookie: cookieHeader(login) };
}
