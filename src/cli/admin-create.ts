// `npm run admin:create -- <email> [name]`: makes an account an admin, creating it when missing
// (with a one-time random password, printed once: change it after signing in).
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "../../db/schema/index.ts";
import { loadConfig } from "../config";
import { passwordSettings } from "../platform/auth/better-auth-passwords";
import { createHashingQueue } from "../platform/auth/hashing-queue";
import { createAuth } from "../platform/auth/instance";
import { authSecret } from "../platform/auth/secret";
import { openDatabase } from "../platform/db";
import { migrateDatabase } from "../platform/db-migrate";

const [email, name] = process.argv.slice(2);
if (!email || !z.email().safeParse(email).success) {
  console.error("usage: npm run admin:create -- <email> [name]");
  process.exit(2);
}

const config = loadConfig();
const database = await openDatabase(config.database);
try {
  await migrateDatabase(database);
  const address = email.toLowerCase();
  const promoted = await database.db
    .update(users)
    .set({ role: "admin", updatedAt: new Date() })
    .where(eq(users.email, address))
    .returning({ id: users.id });
  if (promoted.length > 0) {
    console.log(`${address} is now an admin`);
  } else {
    const auth = createAuth(database.db, {
      secret: authSecret(config.authSecret, config.dataDir),
      baseUrl: config.publicUrl,
      secureCookies: false,
      keyRotationSeconds: config.authKeyRotationSeconds,
      onSessionDeleted: async () => {},
      mail: {
        verifyEmail: async () => {},
        resetPassword: async () => {},
        signInCode: async () => {},
        twoFactorCode: async () => {},
      },
      ...passwordSettings({
        db: database.db,
        // One hash, and nothing else waiting for it.
        queue: createHashingQueue({ concurrency: 1, maxWaitSeconds: 60, initialDurationSeconds: 0.1 }),
        onUpgradeError: () => {},
      }),
    });
    const password = randomBytes(18).toString("base64url");
    await auth.api.createUser({
      body: { email: address, password, name: name ?? address, role: "admin", data: { emailVerified: true } },
    });
    console.log(`created admin ${address}; one-time password: ${password}`);
    console.log("sign in and change it (POST /api/auth/password), or ask for a reset mail");
  }
} finally {
  await database.close();
}
