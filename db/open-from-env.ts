import type { OpenDatabaseOptions } from "../src/platform/db.ts";

export function describeDatabase(options: OpenDatabaseOptions): string {
  if (options.url) {
    // Never print the password of a connection string.
    const url = new URL(options.url);
    return `postgres ${url.host}${url.pathname}`;
  }
  return `pglite ${options.dataDir}`;
}
