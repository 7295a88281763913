// Runs the generator on a fixture contract into a throwaway folder inside the repository (so that
// the generated `import ... from "@hono/zod-openapi"` resolves) and loads what it wrote.
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import type { OpenAPIV3 } from "openapi-types";
import { stringify } from "yaml";
import { generate } from "../generate";

export const TEST_DIR = import.meta.dirname;
export const CONSTRUCTS = join(TEST_DIR, "fixtures/constructs");
export const CONSTRUCTS_ROOT = join(CONSTRUCTS, "openapi.yaml");
export const CONSTRUCTS_CONFIG = join(CONSTRUCTS, "redocly.yaml");

/** A fresh folder `openapi/codegen/test/.out-<random>/` (gitignored); remove it with `rmSync`. */
export function scratchDir(): string {
  const dir = join(TEST_DIR, `.out-${randomBytes(6).toString("hex")}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface Generated {
  dir: string;
  document: OpenAPIV3.Document;
  server: Record<string, unknown>;
  schemas: Record<string, unknown>;
  routes: Record<string, unknown>;
}

export async function generateAndLoad(root: string, config: string, dir: string): Promise<Generated> {
  await generate(root, config, dir);
  const load = (file: string) =>
    import(pathToFileURL(join(dir, file)).href) as Promise<Record<string, unknown>>;
  const server = await load("server/index.ts");
  return {
    dir,
    document: JSON.parse(readFileSync(join(dir, "openapi.json"), "utf8")),
    server,
    schemas: await load("server/schemas.ts"),
    routes: (await load("server/routes.ts")).routes as Record<string, unknown>,
  };
}

/** Every file under `dir`, by relative path, with its bytes. */
export function snapshot(dir: string): Map<string, Buffer> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return new Map(
    files
      .map((entry) => join(entry.parentPath, entry.name))
      .sort()
      .map((path) => [relative(dir, path), readFileSync(path)] as const),
  );
}

/** Writes a contract, given as objects by file name, as YAML files under `dir`. */
export function writeContract(dir: string, files: Record<string, unknown>): string {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), stringify(content));
  }
  writeFileSync(join(dir, "redocly.yaml"), stringify({ extends: ["minimal"] }));
  return join(dir, "openapi.yaml");
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
