import { forwardable } from "./request-headers";

/**
 * What a client presented that Better-Auth reads: its session and pending-sign-in cookies. Opaque
 * above the platform: the HTTP layer makes it from the request, and only this folder opens it.
 */
export interface ClientCredentials {
  readonly presented: "client-credentials";
}

/**
 * What the client must be sent along with a result (cookies set or cleared). Opaque above the
 * platform: the HTTP layer passes it on as it is.
 */
export interface CredentialChanges {
  readonly changes: "credential-changes";
}

interface PresentedHeaders extends ClientCredentials {
  headers: Headers;
}

interface SetCookies extends CredentialChanges {
  setCookie: readonly string[];
}

export function credentialsFrom(request: Headers): ClientCredentials {
  const credentials: PresentedHeaders = { presented: "client-credentials", headers: forwardable(request) };
  return credentials;
}

/** The headers that carry the credentials to Better-Auth. */
export function headersOf(credentials: ClientCredentials): Headers {
  return new Headers((credentials as PresentedHeaders).headers);
}

export function changesFrom(responseHeaders: Headers): CredentialChanges {
  const changes: SetCookies = { changes: "credential-changes", setCookie: responseHeaders.getSetCookie() };
  return changes;
}

export const NO_CHANGES: CredentialChanges = { changes: "credential-changes", setCookie: [] } as SetCookies;

/** The `Set-Cookie` header values to send. */
export function setCookieHeaders(changes: CredentialChanges): string[] {
  return [...(changes as SetCookies).setCookie];
}
