import { fileURLToPath } from "node:url";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import * as schema from "../../db/schema/index.ts";
import type { DatabaseHandle, PostgresHandle } from "./db.ts";

/** db/migrations, found from this file so it works from any working directory. */
export const defaultMigrationsFolder = fileURLToPath(new URL("../../db/migrations", import.meta.url));

// Arbitrary but fixed: every process of this application agrees on it.
const MIGRATION_LOCK_KEY = 726_169_001;

export async function migrateDatabase(
  handle: DatabaseHandle,
  options: { migrationsFolder?: string } = {},
): Promise<void> {
  const migrationsFolder = options.migrationsFolder ?? defaultMigrationsFolder;
  if (handle.kind === "pglite") {
    // PGlite has a single connection per process, so there is nobody to race with. Its driver is
    // loaded here, as in db.ts, only when the embedded database is in use.
    const [{ drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
      import("drizzle-orm/pglite"),
      import("drizzle-orm/pglite/migrator"),
    ]);
    await migratePglite(drizzlePglite({ client: handle.client, schema }), { migrationsFolder });
    return;
  }
  await migratePostgres(handle, migrationsFolder);
}

// Several replicas may start at once. Drizzle's migrator is not safe against that on its own
// (two `create schema if not exists` can collide, and both could apply the same migration), so
// the whole run is serialised by a session-level advisory lock held on one dedicated connection.
async function migratePostgres(handle: PostgresHandle, migrationsFolder: string): Promise<void> {
  const connection = await handle.client.connect();
  try {
    // Waiting for another replica's migration must not hit the pool's short statement timeout.
    await connection.query("set statement_timeout = '10min'");
    await connection.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await migrateNodePg(drizzleNodePg({ client: connection, schema }), { migrationsFolder });
  } finally {
    // Destroying the connection releases the advisory lock and keeps the changed session
    // settings out of the pool, even if the migration failed halfway.
    connection.release(true);
  }
}
