import { readdirSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { policies } from "../../../generated/server";

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

  it("keeps the platform below the domain: nothing under src/platform imports src/domain or the seed", () => {
    const offenders = sourceFiles(join(SRC, "platform")).flatMap((file) =>
      importsOf(file)
        .filter((source) => source?.includes("/domain/") || source?.includes("/db/seed/"))
        .map((source) => `${relative(SRC, file)} imports ${source}`),
    );
    expect(offenders).toEqual([]);
  });

  it("keeps configuration at the bottom: src/config.ts imports nothing from src but src/net and its secret files", () => {
    const offenders = importsOf(join(SRC, "config.ts")).filter(
      (source) => source?.startsWith(".") && !source.startsWith("./net/") && source !== "./config-secrets",
    );
    expect(offenders).toEqual([]);
    expect(importsOf(join(SRC, "config-secrets.ts")).filter((source) => source?.startsWith("."))).toEqual([]);
  });

  it("keeps one domain error type: no class under src/domain extends Error but DomainError", () => {
    const classes = sourceFiles(join(SRC, "domain")).flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/class\s+(\w+)\s+extends\s+\w*Error\b/g)].map(
        (match) => `${relative(SRC, file)}: ${match[1]}`,
      ),
    );
    expect(classes).toEqual(["domain/errors.ts: DomainError"]);
  });

  it("keeps the domain free of HTTP: no ETag, If-Match, header or cookie plumbing under src/domain", () => {
    const offenders = sourceFiles(join(SRC, "domain")).filter((file) =>
      /\bHeaders\b|\bheaders\b|If-Match|ifMatch|\bETag|Etag\b|\betag\b|Set-Cookie|[Cc]ookie/.test(
        readFileSync(file, "utf8").replace(/\/\/.*|\/\*[\s\S]*?\*\//g, ""),
      ),
    );
    expect(offenders.map((file) => relative(SRC, file))).toEqual([]);
  });

  it("gives each contract tag one handler file, named after it, holding exactly its operations", async () => {
    const byTag = new Map<string, string[]>();
    for (const policy of Object.values(policies)) {
      const [tag] = policy.tags;
      expect(policy.tags, `${policy.operationId} has one tag`).toHaveLength(1);
      byTag.set(tag as string, [...(byTag.get(tag as string) ?? []), policy.operationId].sort());
    }
    const implemented = new Map<string, string[]>();
    for (const file of sourceFiles(join(SRC, "handlers"))) {
      const module = (await import(file)) as Record<string, unknown>;
      for (const [name, factory] of Object.entries(module)) {
        if (!name.endsWith("Handlers") || typeof factory !== "function") continue;
        // Building the handlers only closes over the dependencies; nothing reads them yet.
        const operations = Object.keys(factory(new Proxy({}, { get: () => undefined })));
        implemented.set(basename(file, ".ts"), operations.sort());
      }
    }
    expect(Object.fromEntries(implemented)).toEqual(Object.fromEntries(byTag));
  });
});
