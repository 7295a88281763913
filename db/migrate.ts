import { openDatabase } from "../src/platform/db.ts";
import { migrateDatabase } from "../src/platform/db-migrate.ts";
import { databaseOptionsFromEnv, describeDatabase } from "./open-from-env.ts";

// Entry for `bun run db:migrate`: applies db/migrations to the database chosen by the environment.
const options = databaseOptionsFromEnv();
const handle = await openDatabase(options);
try {
  console.log(`migrating ${describeDatabase(options)}`);
  await migrateDatabase(handle);
  console.log("migrations applied");
} finally {
  await handle.close();
}
