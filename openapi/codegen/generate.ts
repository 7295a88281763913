import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { bundleContract } from "./bundle";
import { emitClientTypes } from "./client";
import { emitServer } from "./emit-server";

/** Writes everything under `outDir` from the contract at `rootFile`: bundle, server code, client types. */
export async function generate(rootFile: string, configFile: string, outDir: string): Promise<void> {
  const document = await bundleContract(rootFile, configFile);
  const server = emitServer(document);
  const client = await emitClientTypes(document);
  rmSync(join(outDir, "server"), { recursive: true, force: true });
  rmSync(join(outDir, "client"), { recursive: true, force: true });
  mkdirSync(join(outDir, "server"), { recursive: true });
  mkdirSync(join(outDir, "client"), { recursive: true });
  writeFileSync(join(outDir, "openapi.json"), `${JSON.stringify(document, null, 2)}\n`);
  for (const [name, source] of Object.entries(server)) writeFileSync(join(outDir, "server", name), source);
  writeFileSync(join(outDir, "client", "schema.d.ts"), client);
  format(outDir);
}

function format(outDir: string): void {
  const biome = resolve(import.meta.dirname, "../../node_modules/.bin/biome");
  execFileSync(biome, ["format", "--write", outDir], { stdio: ["ignore", "ignore", "inherit"] });
}

if (import.meta.main) {
  const repository = resolve(import.meta.dirname, "../..");
  try {
    await generate(join(repository, "openapi/openapi.yaml"), join(repository, "openapi/redocly.yaml"), join(repository, "generated"));
    console.log("generated/ is up to date with openapi/");
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
