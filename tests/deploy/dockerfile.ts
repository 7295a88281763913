import { readFileSync } from "node:fs";

/** One stage of a Dockerfile, with what the recipe test replays outside a container. */
export interface DockerStage {
  name: string;
  from: string;
  /** Shell commands of RUN lines, continuation lines joined. */
  runs: string[];
  /** COPY lines: sources (relative to the context, or to stage `from`) and the destination. */
  copies: { from?: string; sources: string[]; destination: string }[];
  env: Record<string, string>;
  /** CMD in exec form. */
  cmd?: string[];
  healthcheck?: string;
  user?: string;
  stopSignal?: string;
}

/**
 * A small reader for the instructions this project's Dockerfile uses (FROM, RUN, COPY, ENV, CMD,
 * USER, HEALTHCHECK, STOPSIGNAL; ARG defaults substituted into FROM), so that a test can run the
 * image's own commands rather than a copy of them that could drift.
 */
export function readDockerfile(path: string): DockerStage[] {
  const lines = readFileSync(path, "utf8")
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  const args: Record<string, string> = {};
  const stages: DockerStage[] = [];
  for (const line of lines) {
    const [instruction = "", ...rest] = line.split(/\s+/);
    const value = line.slice(instruction.length).trim();
    const stage = stages.at(-1);
    switch (instruction.toUpperCase()) {
      case "ARG": {
        const [name = "", defaultValue = ""] = value.split("=");
        args[name] = defaultValue;
        break;
      }
      case "FROM": {
        const [image = "", , name = `stage${stages.length}`] = rest;
        const from = image.replace(/\$\{(\w+)\}/g, (_, arg: string) => args[arg] ?? "");
        stages.push({ name, from, runs: [], copies: [], env: {} });
        break;
      }
      case "RUN":
        stage?.runs.push(value);
        break;
      case "COPY": {
        const from = rest.find((part) => part.startsWith("--from="))?.slice("--from=".length);
        const paths = rest.filter((part) => !part.startsWith("--"));
        const destination = paths.pop() ?? "";
        stage?.copies.push({ ...(from ? { from } : {}), sources: paths, destination });
        break;
      }
      case "ENV":
        for (const pair of value.split(/\s+/)) {
          const [name = "", ...parts] = pair.split("=");
          if (stage) stage.env[name] = parts.join("=");
        }
        break;
      case "CMD":
        if (stage) stage.cmd = JSON.parse(value) as string[];
        break;
      case "USER":
        if (stage) stage.user = value;
        break;
      case "HEALTHCHECK":
        if (stage) stage.healthcheck = value;
        break;
      case "STOPSIGNAL":
        if (stage) stage.stopSignal = value;
        break;
    }
  }
  return stages;
}
