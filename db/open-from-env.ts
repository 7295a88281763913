import { join } from "node:path";
import type { OpenDatabaseOptions } from "../src/platform/db.ts";

/**
 * The command-line tools (migrate, seed) pick the database the same way the server does:
 * DATABASE_URL when set, otherwise the embedded database in `${DATA_DIR}/pglite`.
 */
export function databaseOptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
): OpenDatabaseOptions {
  const url = env.DATABASE_URL?.trim();
  if (url) return { url };
  return { dataDir: join(env.DATA_DIR?.trim() || "./.data", "pglite") };
}

export function describeDatabase(options: OpenDatabaseOptions): string {
  if (options.url) {
    // Never print the password of a connection string.
    const url = new URL(options.url);
    return `postgres ${url.host}${url.pathname}`;
  }
  return `pglite ${options.dataDir}`;
}
