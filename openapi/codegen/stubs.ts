import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Operation } from "./operations";

/** Where a stub block starts in a handler file: below it, the generator's; above it, people's. */
export const STUB_MARKER = "// Stubs written by `npm run generate`";

export interface StubImports {
  handlers: string;
  env: string;
  notImplemented: string;
}

const HANDLERS_DIR_IMPORTS: StubImports = {
  handlers: "../../generated/server",
  env: "../http/env",
  notImplemented: "../http/not-implemented",
};

const camel = (tag: string) => tag.replace(/[-_](\w)/g, (_, next: string) => next.toUpperCase());
export const stubsName = (tag: string) => `${camel(tag)}Stubs`;

/** Whether some handler file already answers the operation (a member named by its operationId). */
export function isHandled(operationId: string, sources: string[]): boolean {
  const member = new RegExp(`(^|[\\s{,])${operationId}\\s*[:(]`, "m");
  return sources.some((source) => member.test(source.split(STUB_MARKER)[0] ?? ""));
}

/**
 * A handler file with stubs for `missing` added: appended after the file's own code (which is
 * left byte for byte as it was), or merged into the stub block an earlier run appended.
 */
export function withStubs(
  source: string,
  tag: string,
  missing: string[],
  imports = HANDLERS_DIR_IMPORTS,
): string {
  const [own = "", block = ""] = source.split(STUB_MARKER);
  const already = [...block.matchAll(/^ {2}(\w+): notImplemented\(/gm)].map((match) => match[1] as string);
  const all = [...new Set([...already, ...missing])];
  if (all.length === already.length && block) return source;
  const lines = [
    STUB_MARKER,
    "// for operations the contract has and this file does not handle yet: each answers 501. Write",
    "// the handler above, then delete its stub; a test fails while any stub remains.",
    `import type { Handlers as StubHandlers } from "${imports.handlers}";`,
    `import type { AppEnv as StubEnv } from "${imports.env}";`,
    `import { notImplemented } from "${imports.notImplemented}";`,
    "",
    `export const ${stubsName(tag)} = {`,
    ...all.map((id) => `  ${id}: notImplemented("${id}"),`),
    `} satisfies Partial<StubHandlers<StubEnv>>;`,
    "",
  ];
  const head =
    own.length === 0 || own.endsWith("\n\n") ? own : own.endsWith("\n") ? `${own}\n` : `${own}\n\n`;
  return head + lines.join("\n");
}

/** The aggregate app.ts spreads under the real handlers: every stub block of every handler file. */
export function stubIndex(tagsWithStubs: string[]): string {
  const sorted = [...tagsWithStubs].sort();
  return [
    "// Written by `npm run generate`: the stubs of every handler file, for app.ts. Do not edit.",
    ...sorted.map((tag) => `import { ${stubsName(tag)} } from "./${tag}";`),
    "",
    "/** Operations answered by a generated 501 stub; empty when every operation has its handler. */",
    sorted.length === 0
      ? "export const handlerStubs = {};"
      : `export const handlerStubs = { ${sorted.map((tag) => `...${stubsName(tag)}`).join(", ")} };`,
    "",
  ].join("\n");
}

/**
 * Adds a stub to src/handlers/<tag>.ts for every operation no handler file answers, and rewrites
 * src/handlers/stubs.ts; what it wrote, for the generator's report.
 */
export function writeHandlerStubs(operations: Operation[], handlersDir: string): string[] {
  const files = readdirSync(handlersDir).filter((name) => name.endsWith(".ts") && name !== "stubs.ts");
  const sources = files.map((name) => readFileSync(join(handlersDir, name), "utf8"));
  const missing = new Map<string, string[]>();
  for (const operation of operations) {
    if (isHandled(operation.operationId, sources)) continue;
    const tag = operation.tags[0] ?? "default";
    missing.set(tag, [...(missing.get(tag) ?? []), operation.operationId]);
  }
  const written: string[] = [];
  for (const [tag, ids] of missing) {
    const file = join(handlersDir, `${tag}.ts`);
    const before = existsSync(file) ? readFileSync(file, "utf8") : "";
    const after = withStubs(before, tag, ids);
    if (after !== before) {
      writeFileSync(file, after);
      written.push(`src/handlers/${tag}.ts: ${ids.join(", ")}`);
    }
  }
  const withBlocks = readdirSync(handlersDir)
    .filter((name) => name.endsWith(".ts") && name !== "stubs.ts")
    .filter((name) => readFileSync(join(handlersDir, name), "utf8").includes(STUB_MARKER))
    .map((name) => name.replace(/\.ts$/, ""));
  const index = stubIndex(withBlocks);
  const indexFile = join(handlersDir, "stubs.ts");
  if (!existsSync(indexFile) || readFileSync(indexFile, "utf8") !== index) writeFileSync(indexFile, index);
  return written;
}
