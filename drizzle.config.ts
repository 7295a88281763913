import { defineConfig } from "drizzle-kit";

// Only `generate` reads this file; migrations are applied by db/migrate.ts, which works for
// both PGlite and PostgreSQL, so no credentials are needed here.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
});
