import { eq } from "drizzle-orm";
import { sessions, users } from "../../../db/schema/index.ts";
import type { SignedIn, User } from "../../../generated/server";
import type { Caller } from "../../platform/auth/caller";
import type { Auth } from "../../platform/auth/instance";
import type { Db } from "../../platform/db";
import { DomainError } from "../errors";
import { translated } from "./failures";

/** A result plus the `Set-Cookie` headers that must reach the client with it. */
export interface WithCookies<T> {
  value: T;
  cookies: string[];
}

export interface AccountsDeps {
  auth: Auth;
  db: Db;
  accessTokenTtlSeconds: number;
}

type AuthUser = {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
  role?: string | null;
  twoFactorEnabled?: boolean | null;
  createdAt: Date | string;
};

/** An account as the shop shows it: never a hash, a secret or a backup code. */
export function toUser(user: AuthUser): User {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role === "admin" ? "admin" : "customer",
    emailVerified: user.emailVerified,
    twoFactorEnabled: user.twoFactorEnabled === true,
    createdAt: new Date(user.createdAt).toISOString(),
  };
}

/** Headers that let Better-Auth act on the caller's session, however the caller authenticated. */
export async function sessionHeaders(deps: AccountsDeps, caller: Caller): Promise<Headers> {
  let token = caller.sessionToken;
  if (!token) {
    const [row] = await deps.db
      .select({ token: sessions.token })
      .from(sessions)
      .where(eq(sessions.id, caller.sessionId));
    if (!row) throw new DomainError("unauthenticated", "The session has ended; sign in again");
    token = row.token;
  }
  // The bearer plugin turns a raw session token into the signed session cookie internally.
  return new Headers({ authorization: `Bearer ${token}` });
}

export async function accessTokenFor(deps: AccountsDeps, sessionToken: string): Promise<string> {
  const { token } = await translated(() =>
    deps.auth.api.getToken({ headers: new Headers({ authorization: `Bearer ${sessionToken}` }) }),
  );
  return token;
}

export async function signedIn(deps: AccountsDeps, sessionToken: string, user: AuthUser): Promise<SignedIn> {
  return {
    status: "signed_in",
    user: toUser(user),
    accessToken: await accessTokenFor(deps, sessionToken),
    tokenType: "Bearer",
    expiresIn: deps.accessTokenTtlSeconds,
  };
}

export async function findUser(deps: AccountsDeps, userId: string): Promise<User> {
  const [user] = await deps.db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new DomainError("unauthenticated", "The account no longer exists");
  return toUser(user);
}
