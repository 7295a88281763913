// `npm run build:sdk`: the client SDK as a package a frontend installs (`package.json` exports it
// as `./sdk`): one ES module for browsers and servers alike, with openapi-fetch inside, and its
// type declarations. It is built from src/sdk alone, so nothing of the server can reach it.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");
const OUT = join(ROOT, "dist/sdk");

rmSync(OUT, { recursive: true, force: true });
const built = await Bun.build({
  entrypoints: [join(ROOT, "src/sdk/index.ts")],
  outdir: OUT,
  naming: "index.js",
  format: "esm",
  target: "browser",
  sourcemap: "linked",
});
if (!built.success) {
  for (const log of built.logs) console.error(log);
  process.exit(1);
}
execFileSync(join(ROOT, "node_modules/.bin/tsc"), ["-p", join(ROOT, "src/sdk/tsconfig.build.json")], {
  stdio: "inherit",
});
// tsc writes declarations for .ts sources only; the contract's types are a .d.ts already.
mkdirSync(join(OUT, "types/generated/client"), { recursive: true });
copyFileSync(join(ROOT, "generated/client/schema.d.ts"), join(OUT, "types/generated/client/schema.d.ts"));
console.log(`sdk: ${join("dist/sdk", "index.js")} and its declarations in dist/sdk/types`);
