import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { betterAuth } from "better-auth/minimal";
import { accounts, jwks, sessions, twoFactors, users, verifications } from "../../../db/schema/index.ts";
import type { Db } from "../db";
import { type AuthSettings, authOptions } from "./options";
import { resetTokens } from "./reset-tokens";

/** The Better-Auth engine on the shop's database. Its HTTP handler is never mounted: the contract's
 * operations call its server API. */
export function createAuth(db: Db, settings: AuthSettings) {
  return betterAuth({
    ...authOptions(settings, resetTokens(db)),
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: {
        user: users,
        session: sessions,
        account: accounts,
        verification: verifications,
        twoFactor: twoFactors,
        jwks,
      },
    }),
  });
}

export type Auth = ReturnType<typeof createAuth>;
