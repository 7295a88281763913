import { fileURLToPath } from "node:url";
import { readMigrationFiles } from "drizzle-orm/migrator";
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

export class SchemaBehindError extends Error {
  override name = "SchemaBehindError";
}

/**
 * For a replica that leaves migrating to the one-shot job: waits until the job has applied every
 * migration this code knows, polling, so that replicas started beside the job (Swarm has no
 * start order) begin serving once the schema fits instead of failing requests.
 */
export async function awaitCurrentSchema(
  handle: PostgresHandle,
  options: { migrationsFolder?: string; timeoutMs?: number; pollMs?: number; onWait?: () => void } = {},
): Promise<void> {
  const migrations = readMigrationFiles({
    migrationsFolder: options.migrationsFolder ?? defaultMigrationsFolder,
  });
  const latest = Math.max(0, ...migrations.map((migration) => migration.folderMillis));
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let warned = false;
  for (;;) {
    if ((await lastAppliedMigration(handle)) >= latest) return;
    if (Date.now() >= deadline)
      throw new SchemaBehindError(
        "the database schema is behind this version: run the migration job (bun db/migrate.ts) first",
      );
    if (!warned) options.onWait?.();
    warned = true;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1000));
  }
}

/** What drizzle's migrator recorded last (its `created_at` is the migration's folder time), 0 if none. */
async function lastAppliedMigration(handle: PostgresHandle): Promise<number> {
  const result = await handle.client
    .query<{ last: string | null }>("select max(created_at)::text as last from drizzle.__drizzle_migrations")
    .catch((error: { code?: string }) => {
      // 42P01 / 3F000: no table or schema yet, i.e. nothing applied.
      if (error.code === "42P01" || error.code === "3F000") return { rows: [{ last: null }] };
      throw error;
    });
  return Number(result.rows[0]?.last ?? 0);
}
