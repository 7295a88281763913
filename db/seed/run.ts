import { openDatabase } from "../../src/platform/db.ts";
import { migrateDatabase } from "../../src/platform/db-migrate.ts";
import { databaseOptionsFromEnv, describeDatabase } from "../open-from-env.ts";
import { seedCatalog } from "./index.ts";

// Entry for `bun run db:seed`: brings the schema up to date, then loads the catalog seed.
const options = databaseOptionsFromEnv();
const handle = await openDatabase(options);
try {
  console.log(`seeding ${describeDatabase(options)}`);
  await migrateDatabase(handle);
  console.log("migrations applied");
  const counts = await seedCatalog(handle.db, (msg) => console.log(`  ${msg}`));
  console.log(`seed done: ${JSON.stringify(counts)}`);
} finally {
  await handle.close();
}
