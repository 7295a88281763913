import { loadConfig } from "../src/config.ts";
import type { OpenDatabaseOptions } from "../src/platform/db.ts";

/** The command-line tools (migrate, seed) pick the database exactly as the server does. */
export function databaseOptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
): OpenDatabaseOptions {
  return loadConfig(env).database;
}

export function describeDatabase(options: OpenDatabaseOptions): string {
  if (options.url) {
    // Never print the password of a connection string.
    const url = new URL(options.url);
    return `postgres ${url.host}${url.pathname}`;
  }
  return `pglite ${options.dataDir}`;
}
