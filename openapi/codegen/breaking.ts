import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const OPTIC = resolve(import.meta.dirname, "../../node_modules/.bin/optic");

/**
 * JSON key order means nothing, but optic resolves recursive schemas in the order it meets them;
 * both documents are written in one canonical order so that only real differences remain.
 */
export function canonicalJson(document: object): string {
  const { openapi, info, servers, tags, paths, components, ...rest } = document as Record<string, unknown>;
  return JSON.stringify({ openapi, info, servers, tags, paths, components, ...rest });
}

export interface BreakingReport {
  breaking: boolean;
  output: string;
}

/** Runs optic's breaking-change rules on the way from `before` to `after`. */
export async function breakingChanges(before: object, after: object): Promise<BreakingReport> {
  const folder = await mkdtemp(join(tmpdir(), "jc-breaking-"));
  try {
    const from = join(folder, "before.json");
    const to = join(folder, "after.json");
    await writeFile(from, canonicalJson(before));
    await writeFile(to, canonicalJson(after));
    try {
      // Under CI optic writes ci-run-details.json into its working directory: keep it in the temp folder.
      const { stdout } = await run(OPTIC, ["diff", from, to, "--check"], {
        cwd: folder,
        env: { ...process.env, OPTIC_TELEMETRY_LEVEL: "none" },
        maxBuffer: 16 * 1024 * 1024,
      });
      return { breaking: false, output: stdout };
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string };
      return { breaking: true, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
