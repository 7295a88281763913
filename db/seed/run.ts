import { join } from "node:path";
import { loadConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/platform/db.ts";
import { migrateDatabase } from "../../src/platform/db-migrate.ts";
import { folderStorage } from "../../src/platform/storage/index.ts";
import { describeDatabase } from "../open-from-env.ts";
import { seedPlaceholderImages } from "./images.ts";
import { seedCatalog } from "./index.ts";

// Entry for `npm run db:seed`: brings the schema up to date, loads the catalog seed, then draws
// the placeholder photos that are missing. Every step is idempotent, so it can be re-run (or
// interrupted with Ctrl-C and resumed) at will.
const config = loadConfig(process.env);
const handle = await openDatabase(config.database);
const stop = new AbortController();
process.once("SIGINT", () => {
  console.log("stopping after the current image; run again to continue");
  stop.abort();
});
try {
  console.log(`seeding ${describeDatabase(config.database)}`);
  await migrateDatabase(handle);
  console.log("migrations applied");
  const counts = await seedCatalog(handle.db, (msg) => console.log(`  ${msg}`));
  const images = await seedPlaceholderImages(handle.db, folderStorage(join(config.dataDir, "images")), {
    onProgress: (msg) => console.log(`  ${msg}`),
    signal: stop.signal,
  });
  console.log(`seed done: ${JSON.stringify({ ...counts, images })}`);
} finally {
  await handle.close();
}
