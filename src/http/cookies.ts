import type { Context } from "hono";

/** Passes on the `Set-Cookie` headers a sign-in or sign-out produced. */
export function sendCookies(c: Context, cookies: string[]): void {
  for (const cookie of cookies) c.header("Set-Cookie", cookie, { append: true });
}
