// `npm run check:drift`: fails when generated/ is not what the generator makes of openapi/,
// when the contract fails its lint, or when it breaks clients of the previous commit's contract.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { breakingChanges } from "./breaking";
import { bundleContract } from "./bundle";
import { CONTRACT_ROOT, GENERATED_DIR, LINT_CONFIG, renderGenerated } from "./generate";

const REPOSITORY = join(import.meta.dirname, "../..");

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)));
}

async function checkGenerated(): Promise<string[]> {
  const expected = await renderGenerated(CONTRACT_ROOT, LINT_CONFIG);
  const actual = new Set(existsSync(GENERATED_DIR) ? filesUnder(GENERATED_DIR) : []);
  const problems: string[] = [];
  for (const [path, source] of expected) {
    if (!actual.has(path)) problems.push(`missing generated/${path}`);
    else if (readFileSync(join(GENERATED_DIR, path), "utf8") !== source)
      problems.push(`stale generated/${path}`);
    actual.delete(path);
  }
  for (const path of actual) problems.push(`unexpected generated/${path}`);
  return problems;
}

function lintContract(): boolean {
  const lint = spawnSync(
    join(REPOSITORY, "node_modules/.bin/redocly"),
    ["lint", CONTRACT_ROOT, "--config", LINT_CONFIG, "--format", "stylish"],
    {
      stdio: "inherit",
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    },
  );
  return lint.status === 0;
}

const git = (...args: string[]) => execFileSync("git", args, { cwd: REPOSITORY, encoding: "utf8" }).trim();

/** The commit to compare with: HEAD while the contract has uncommitted changes, else its parent. */
function baseCommit(): string | undefined {
  const requested = process.env.CONTRACT_BASE;
  const dirty =
    spawnSync("git", ["diff", "--quiet", "HEAD", "--", "openapi"], { cwd: REPOSITORY }).status !== 0;
  const candidate = requested ?? (dirty ? "HEAD" : "HEAD~1");
  try {
    const commit = git("rev-parse", "--verify", "--quiet", `${candidate}^{commit}`);
    git("cat-file", "-e", `${commit}:openapi/openapi.yaml`);
    return commit;
  } catch {
    return undefined;
  }
}

async function checkBreaking(): Promise<boolean> {
  const base = baseCommit();
  if (!base) {
    console.log("breaking changes: skipped, there is no earlier contract to compare with");
    return true;
  }
  const folder = mkdtempSync(join(tmpdir(), "jc-base-contract-"));
  try {
    execFileSync("sh", ["-c", `git archive ${base} openapi | tar -x -C "${folder}"`], { cwd: REPOSITORY });
    const previous = await bundleContract(join(folder, "openapi/openapi.yaml"), LINT_CONFIG);
    const current = await bundleContract(CONTRACT_ROOT, LINT_CONFIG);
    const report = await breakingChanges(previous, current);
    const label = `breaking changes against ${base.slice(0, 10)}`;
    if (report.breaking) console.error(`${label}: FOUND\n${report.output}`);
    else console.log(`${label}: none`);
    return !report.breaking;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const drift = await checkGenerated();
if (drift.length > 0)
  console.error(`generated/ differs from the contract (run npm run generate):\n  ${drift.join("\n  ")}`);
else console.log("generated/: up to date");
const linted = lintContract();
const compatible = await checkBreaking();
process.exit(drift.length === 0 && linted && compatible ? 0 : 1);
