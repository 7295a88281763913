import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import pg from "pg";
import * as schema from "../../db/schema/index.ts";

/** What every query is written against: the common supertype of the node-postgres and PGlite databases. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** The handle inside `db.transaction(...)`. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

interface HandleBase {
  db: Db;
  /** Resolves when the database answers a trivial query; used by readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

// The raw client is exposed (discriminated by `kind`) for the few platform jobs Drizzle cannot
// do alone, such as holding an advisory lock on one connection while migrating.
export interface PgliteHandle extends HandleBase {
  kind: "pglite";
  client: PGlite;
}

export interface PostgresHandle extends HandleBase {
  kind: "postgres";
  client: pg.Pool;
}

export type DatabaseHandle = PgliteHandle | PostgresHandle;

export interface OpenDatabaseOptions {
  /** postgres:// connection string; when absent the embedded PGlite database is used. */
  url?: string;
  /** PGlite data folder; "memory://" (or nothing) gives a throwaway in-memory database. */
  dataDir?: string;
  /** Receives errors of idle pooled connections (server restart, network drop). */
  onError?: (error: Error) => void;
}

const MEMORY = "memory://";

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  return options.url ? openPostgres(options.url, options.onError) : openPglite(options.dataDir);
}

function openPostgres(url: string, onError?: (error: Error) => void): PostgresHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // Fail fast instead of queueing requests forever when the server is unreachable.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // A runaway query or a forgotten transaction must not hold locks or connections for long.
    statement_timeout: 15_000,
    idle_in_transaction_session_timeout: 30_000,
    application_name: "joxicrochet-api",
    keepAlive: true,
  });
  // Without a listener, an error on an idle client (e.g. the server restarting) is an
  // unhandled 'error' event and kills the process; the pool already discards that client.
  pool.on("error", (error) => {
    if (onError) onError(error);
    else console.error(`database pool: idle client error: ${error.message}`);
  });
  const db: Db = drizzleNodePg({ client: pool, schema });
  return {
    kind: "postgres",
    client: pool,
    db,
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: closeOnce(() => pool.end()),
  };
}

async function openPglite(dataDir: string = MEMORY): Promise<PgliteHandle> {
  let location = dataDir;
  if (dataDir !== MEMORY) {
    location = resolve(dataDir);
    await mkdir(location, { recursive: true });
  }
  // Loaded only for the embedded database: a server on PostgreSQL need not hold PGlite.
  const [{ PGlite }, { pg_trgm }, { drizzle: drizzlePglite }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("@electric-sql/pglite/contrib/pg_trgm"),
    import("drizzle-orm/pglite"),
  ]);
  // PostgreSQL finds contrib extensions on disk; PGlite must be handed the ones migrations create.
  const client = await PGlite.create(location, { extensions: { pg_trgm } });
  const db: Db = drizzlePglite({ client, schema });
  return {
    kind: "pglite",
    client,
    db,
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: closeOnce(() => client.close()),
  };
}

/** Shutdown paths may race (a signal during a failed start); closing twice is not an error. */
function closeOnce(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= close();
    return closing;
  };
}
