import { bundle, loadConfig } from "@redocly/openapi-core";
import type { OpenAPIV3 } from "openapi-types";

export type Document = OpenAPIV3.Document;

/** Resolves the split contract into one document; references between components stay named. */
export async function bundleContract(rootFile: string, configFile: string): Promise<Document> {
  const config = await loadConfig({ configPath: configFile });
  const result = await bundle({ ref: rootFile, config, dereference: false });
  const errors = result.problems.filter((problem) => problem.severity === "error");
  if (errors.length > 0) {
    const lines = errors.map((p) => `${p.location[0]?.pointer ?? ""} ${p.message}`);
    throw new Error(`The contract does not bundle:\n${lines.join("\n")}`);
  }
  return result.bundle.parsed as Document;
}
