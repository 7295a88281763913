import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "../../../src");

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => join(entry.parentPath, entry.name));
}

const importsOf = (file: string) =>
  [...readFileSync(file, "utf8").matchAll(/(?:^|\n)\s*(?:import|export)[^;]*?from\s+"([^"]+)"/g)].map(
    (m) => m[1],
  );

describe("architecture", () => {
  it("keeps the domain free of HTTP: nothing under src/domain imports Hono or src/http", () => {
    const files = sourceFiles(join(SRC, "domain"));
    expect(files.length).toBeGreaterThan(0);
    const offenders = files.flatMap((file) =>
      importsOf(file)
        .filter(
          (source) =>
            source?.startsWith("hono") || source?.startsWith("@hono/") || source?.includes("/http/"),
        )
        .map((source) => `${relative(SRC, file)} imports ${source}`),
    );
    expect(offenders).toEqual([]);
  });

  it("keeps handlers thin: no handler file reaches the database driver directly", () => {
    const offenders = sourceFiles(join(SRC, "handlers")).flatMap((file) =>
      importsOf(file)
        .filter(
          (source) => source === "drizzle-orm" || source === "pg" || source?.startsWith("@electric-sql/"),
        )
        .map((source) => `${relative(SRC, file)} imports ${source}`),
    );
    expect(offenders).toEqual([]);
  });
});
