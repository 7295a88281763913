import { count } from "drizzle-orm";
import type { Auth } from "../../src/platform/auth/instance.ts";
import type { Db } from "../../src/platform/db.ts";
import { users } from "../schema/index.ts";

/** Demo accounts of the embedded default (never seeded on a real database); the README names them. */
export const demoAccounts = [
  { email: "admin@joxicrochet.test", password: "crochet-admin-demo", name: "Demo Admin", role: "admin" },
  {
    email: "customer@joxicrochet.test",
    password: "crochet-customer-demo",
    name: "Demo Customer",
    role: "customer",
  },
] as const;

export async function seedDemoAccounts(
  db: Db,
  auth: Auth,
  onProgress: (message: string) => void,
): Promise<void> {
  const [existing] = await db.select({ value: count() }).from(users);
  if ((existing?.value ?? 0) > 0) return;
  for (const account of demoAccounts) {
    await auth.api.createUser({ body: { ...account, data: { emailVerified: true } } });
  }
  onProgress(`demo accounts: ${demoAccounts.map((a) => a.email).join(", ")}`);
}
