/** Only what Better-Auth needs from a request: its cookies (the session, a pending two-factor sign-in). */
export function forwardable(headers: Headers): Headers {
  const forwarded = new Headers();
  const cookie = headers.get("cookie");
  if (cookie) forwarded.set("cookie", cookie);
  return forwarded;
}
