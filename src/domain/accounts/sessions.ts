import { eq } from "drizzle-orm";
import { users } from "../../../db/schema/index.ts";
import type { SignedIn, User } from "../../../generated/server";
import type { AccountRecord, AccountsGateway, OpenedSession } from "../../platform/auth/accounts-gateway";
import type { CredentialChanges } from "../../platform/auth/client-credentials";
import type { Db } from "../../platform/db";
import { DomainError } from "../errors";
import { translated } from "./failures";
import type { AccountJob } from "./jobs";

/** A result, and what must reach the client with it (opaque here; the handler passes it on). */
export interface Answer<T> {
  value: T;
  changes: CredentialChanges;
}

export interface AccountsDeps {
  gateway: AccountsGateway;
  db: Db;
  accessTokenTtlSeconds: number;
  /** Records a job for after the answer, in one write whatever the job will find. */
  later(job: AccountJob): Promise<void>;
}

/** An account as the shop shows it: never a hash, a secret or a backup code. */
export function toUser(user: AccountRecord): User {
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

export async function accessTokenFor(deps: AccountsDeps, sessionToken: string): Promise<string> {
  return translated(() => deps.gateway.accessToken(sessionToken));
}

export async function signedIn(deps: AccountsDeps, session: OpenedSession): Promise<SignedIn> {
  return {
    status: "signed_in",
    user: toUser(session.user),
    accessToken: await accessTokenFor(deps, session.token),
    tokenType: "Bearer",
    expiresIn: deps.accessTokenTtlSeconds,
  };
}

export async function findUser(deps: Pick<AccountsDeps, "db">, userId: string): Promise<User> {
  const [user] = await deps.db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new DomainError("unauthenticated", "The account no longer exists");
  return toUser(user);
}
