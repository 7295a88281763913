import type { AccessTokenVerifier } from "./access-tokens";
import type { Caller } from "./caller";
import type { Auth } from "./instance";
import { forwardable } from "./request-headers";

/** Turns credentials into a caller: a Bearer token locally, a session cookie through the session store. */
export interface Authenticator {
  /** Throws `InvalidAccessToken` for anything but a valid, unrevoked access token. */
  fromBearer(token: string): Promise<Caller>;
  /**
   * Undefined when the cookie names no live session. `renewedCookies` carries the cookie of a
   * session Better-Auth has just extended, so that the browser keeps it as long as the session.
   */
  fromCookie(request: Headers): Promise<(Caller & { renewedCookies: string[] }) | undefined>;
}

export function createAuthenticator(auth: Auth, verifier: AccessTokenVerifier): Authenticator {
  return {
    async fromBearer(token) {
      const claims = await verifier.verify(token);
      return { userId: claims.userId, role: claims.role, sessionId: claims.sessionId };
    },
    async fromCookie(request) {
      const { headers, response: found } = await auth.api.getSession({
        headers: forwardable(request),
        returnHeaders: true,
      });
      if (!found) return undefined;
      return {
        userId: found.user.id,
        role: found.user.role ?? "customer",
        sessionId: found.session.id,
        sessionToken: found.session.token,
        renewedCookies: headers.getSetCookie(),
      };
    },
  };
}
