// Replicas leave the schema to the one-shot job (MIGRATE_ON_START=false), and Swarm starts them in
// no particular order: a replica that comes up first waits for the job, changing nothing itself.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { BUN, ROOT, startServer } from "../e2e/support/server";
import { createEmptyDatabase } from "../support/database";

const run = promisify(execFile);

async function tablesIn(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ n: number }>(
      "select count(*)::int as n from information_schema.tables where table_schema = 'public'",
    );
    return result.rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}

describe.skipIf(!process.env.DATABASE_URL)("the migration job and the replicas that wait for it", () => {
  const databases: { drop(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  it("holds a replica started before the job until the job has run, then serves", async () => {
    const database = await createEmptyDatabase(process.env.DATABASE_URL as string);
    databases.push(database);
    const starting = startServer({
      DATABASE_URL: database.url,
      MIGRATE_ON_START: "false",
      SEED_ON_START: "false",
    });
    // A failed start is reported where it is awaited, below.
    starting.catch(() => {});
    // Time for the replica to find the schema missing; it must not create it.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await tablesIn(database.url)).toBe(0);
    const job = await run(BUN, ["db/migrate.ts"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: database.url },
    });
    expect(job.stdout).toContain("migrations applied");
    const server = await starting;
    try {
      expect(server.logs.join("\n")).toContain("waiting for the migration job");
      expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
      // No seed: the job was not asked for one, and replicas never seed.
      const products = (await (await fetch(`${server.url}/api/products`)).json()) as { data: unknown[] };
      expect(products.data).toEqual([]);
    } finally {
      await server.stop();
    }
  }, 90_000);

  it("runs the job twice without harm: a second run (a redeploy) applies nothing and seeds nothing", async () => {
    const database = await createEmptyDatabase(process.env.DATABASE_URL as string);
    databases.push(database);
    const env = { ...process.env, DATABASE_URL: database.url, SEED_PHOTOS: "false" };
    const first = await run(BUN, ["db/migrate.ts", "--seed"], { cwd: ROOT, env });
    expect(first.stdout).toMatch(/seeded \{"categories":\d+,"products":\d+/);
    const second = await run(BUN, ["db/migrate.ts", "--seed"], { cwd: ROOT, env });
    expect(second.stdout).toContain("migrations applied");
    expect(second.stdout).not.toContain("seeded");
  }, 90_000);
});
