import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { bundleContract } from "./bundle";
import { emitClientTypes } from "./client";
import { emitServer } from "./emit-server";
import { CodegenError } from "./errors";
import { collectOperations } from "./operations";
import { emitSdkOperations } from "./sdk";
import { locate } from "./source-map";
import { writeHandlerStubs } from "./stubs";

const REPOSITORY = resolve(import.meta.dirname, "../..");
const BIOME = join(REPOSITORY, "node_modules/.bin/biome");

/** Every file of generated/, by path relative to it, formatted as it will be committed. */
export async function renderGenerated(rootFile: string, configFile: string): Promise<Map<string, string>> {
  const document = await bundleContract(rootFile, configFile);
  const files = new Map<string, string>();
  files.set("openapi.json", `${JSON.stringify(document, null, 2)}\n`);
  for (const [name, source] of Object.entries(emitLocated(document, rootFile)))
    files.set(`server/${name}`, source);
  files.set("client/schema.d.ts", await emitClientTypes(document));
  files.set("client/operations.ts", emitSdkOperations(document));
  for (const [path, source] of files) files.set(path, format(path, source));
  return files;
}

/** The server files; a refused construct is reported with the file of the split contract that holds it. */
function emitLocated(
  document: Parameters<typeof emitServer>[0],
  rootFile: string,
): ReturnType<typeof emitServer> {
  try {
    return emitServer(document);
  } catch (error) {
    throw error instanceof CodegenError ? locate(error, rootFile) : error;
  }
}

/** Writes generated/ (or `outDir`) anew from the contract at `rootFile`. */
export async function generate(rootFile: string, configFile: string, outDir: string): Promise<void> {
  const files = await renderGenerated(rootFile, configFile);
  rmSync(join(outDir, "server"), { recursive: true, force: true });
  rmSync(join(outDir, "client"), { recursive: true, force: true });
  for (const [path, source] of files) {
    mkdirSync(dirname(join(outDir, path)), { recursive: true });
    writeFileSync(join(outDir, path), source);
  }
}

/**
 * Formats as if the file sat in generated/, so the output is the same wherever it is written.
 * Biome can need a second pass to settle long member chains; stop at a fixed point so that
 * `biome check` agrees with what was written.
 */
function format(path: string, source: string): string {
  let current = source;
  for (let pass = 0; pass < 4; pass++) {
    const next = execFileSync(BIOME, ["format", `--stdin-file-path=generated/${path}`], {
      cwd: REPOSITORY,
      input: current,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    if (next === current) return next;
    current = next;
  }
  throw new Error(`biome does not settle on a format for generated/${path}`);
}

export const CONTRACT_ROOT = join(REPOSITORY, "openapi/openapi.yaml");
export const LINT_CONFIG = join(REPOSITORY, "openapi/redocly.yaml");
export const GENERATED_DIR = join(REPOSITORY, "generated");
const HANDLERS_DIR = join(REPOSITORY, "src/handlers");

if (import.meta.main) {
  try {
    await generate(CONTRACT_ROOT, LINT_CONFIG, GENERATED_DIR);
    console.log("generated/ is up to date with openapi/");
    const document = await bundleContract(CONTRACT_ROOT, LINT_CONFIG);
    for (const stub of writeHandlerStubs(collectOperations(document), HANDLERS_DIR)) {
      console.log(`stub added (answers 501 until written): ${stub}`);
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
