import { join } from "node:path";
import { loadConfig } from "../src/config.ts";
import { openDatabase } from "../src/platform/db.ts";
import { migrateDatabase } from "../src/platform/db-migrate.ts";
import { folderStorage } from "../src/platform/storage/index.ts";
import { describeDatabase } from "./open-from-env.ts";
import { seedPlaceholderImages } from "./seed/images.ts";
import { isCatalogEmpty, seedCatalog } from "./seed/index.ts";

// `bun db/migrate.ts [--seed]` (`npm run db:migrate`): the deployment's one-shot migration job.
// Applies db/migrations to the database the environment names (secrets through *_FILE as for the
// server); with --seed, also loads the catalog seed into an empty catalog (and its photos when
// SEED_PHOTOS allows), so that replicas started with SEED_ON_START=false never race to seed.
const config = loadConfig(process.env);
const seed = process.argv.includes("--seed");
const handle = await openDatabase(config.database);
try {
  console.log(`migrating ${describeDatabase(config.database)}`);
  await migrateDatabase(handle);
  console.log("migrations applied");
  if (seed && (await isCatalogEmpty(handle.db))) {
    const counts = await seedCatalog(handle.db, (message) => console.log(`  ${message}`));
    const images = config.seedPhotos
      ? await seedPlaceholderImages(handle.db, folderStorage(join(config.dataDir, "images")), {
          onProgress: (message) => console.log(`  ${message}`),
        })
      : 0;
    console.log(`seeded ${JSON.stringify({ ...counts, images })}`);
  }
} finally {
  await handle.close();
}
