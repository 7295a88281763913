import { createHash, randomBytes } from "node:crypto";
import { readMigrationFiles } from "drizzle-orm/migrator";
import pg from "pg";
import { type DatabaseHandle, openDatabase } from "../../src/platform/db.ts";
import { defaultMigrationsFolder, migrateDatabase } from "../../src/platform/db-migrate.ts";

export type TestDatabase = DatabaseHandle & { cleanup(): Promise<void> };

// Serialises template creation across parallel vitest workers (advisory locks are scoped to
// the database they are taken in, so everyone takes it in the maintenance database).
const TEMPLATE_LOCK_KEY = 726_169_002;

/**
 * A fresh, migrated database that belongs to one test file alone. With DATABASE_URL set it is
 * a new database on that server (copied from a migrated template), otherwise in-memory PGlite.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  return serverUrl ? createPostgresDatabase(serverUrl) : createPgliteDatabase();
}

async function createPgliteDatabase(): Promise<TestDatabase> {
  const handle = await openDatabase({ dataDir: "memory://" });
  await migrateDatabase(handle);
  return { ...handle, cleanup: () => handle.close() };
}

async function createPostgresDatabase(serverUrl: string): Promise<TestDatabase> {
  const copy = await createDatabaseCopy(serverUrl);
  const handle = await openDatabase({ url: copy.url });
  // A no-op when the template is current; keeps the copy right even if it is not.
  await migrateDatabase(handle);
  return {
    ...handle,
    cleanup: async () => {
      await handle.close();
      await copy.drop();
    },
  };
}

/**
 * A new database on the server of `serverUrl`, copied from the migrated template, for whoever
 * connects to it by URL (a server process); `drop` removes it, closing what is still connected.
 */
export async function createDatabaseCopy(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `jc_test_${randomBytes(6).toString("hex")}`;
  await withMaintenanceClient(serverUrl, async (admin) => {
    const template = await ensureTemplate(admin, serverUrl);
    await admin.query(`create database ${name} template ${template}`);
  });
  return {
    url: withDatabase(serverUrl, name),
    drop: () =>
      withMaintenanceClient(serverUrl, async (admin) => {
        await admin.query(`drop database if exists ${name} with (force)`);
      }),
  };
}

// The template's name carries a hash of the migrations, so editing a migration yields a new
// template instead of silently testing against a stale one.
async function ensureTemplate(admin: pg.Client, serverUrl: string): Promise<string> {
  const hashes = readMigrationFiles({ migrationsFolder: defaultMigrationsFolder }).map((m) => m.hash);
  const template = `jc_test_template_${createHash("sha256").update(hashes.join()).digest("hex").slice(0, 12)}`;
  await admin.query("select pg_advisory_lock($1)", [TEMPLATE_LOCK_KEY]);
  try {
    const existing = await admin.query("select 1 from pg_database where datname = $1", [template]);
    if (existing.rowCount === 0) {
      await admin.query(`create database ${template}`);
      const handle = await openDatabase({ url: withDatabase(serverUrl, template) });
      try {
        await migrateDatabase(handle);
      } finally {
        // No session may stay connected, or copying the template fails.
        await handle.close();
      }
    }
  } finally {
    await admin.query("select pg_advisory_unlock($1)", [TEMPLATE_LOCK_KEY]);
  }
  return template;
}

async function withMaintenanceClient<T>(
  serverUrl: string,
  work: (admin: pg.Client) => Promise<T>,
): Promise<T> {
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, "postgres") });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A new, empty database (no schema at all) on the server of `serverUrl`, for a migration job to fill. */
export async function createEmptyDatabase(
  serverUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `jc_test_${randomBytes(6).toString("hex")}`;
  await withMaintenanceClient(serverUrl, (admin) => admin.query(`create database ${name}`));
  return {
    url: withDatabase(serverUrl, name),
    drop: () =>
      withMaintenanceClient(serverUrl, async (admin) => {
        await admin.query(`drop database if exists ${name} with (force)`);
      }),
  };
}
