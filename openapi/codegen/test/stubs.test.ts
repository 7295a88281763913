import { describe, expect, it } from "vitest";
import { isHandled, STUB_MARKER, stubIndex, withStubs } from "../stubs";

const existing = `import type { Handlers } from "../../generated/server";
import type { AppEnv } from "../http/env";

export function patternHandlers(): Pick<Handlers<AppEnv>, "listPatterns"> {
  return {
    listPatterns: async (c) => c.json({ data: [] }, 200),
  };
}
`;

describe("handler stubs for operations the code does not have yet", () => {
  it("appends a stub block below the file's own code, leaving that code as it was", () => {
    const after = withStubs(existing, "patterns", ["getPattern"]);
    expect(after.startsWith(existing)).toBe(true);
    expect(after.slice(existing.length)).toContain(STUB_MARKER);
    expect(after).toContain('  getPattern: notImplemented("getPattern"),');
    expect(after).toContain("export const patternsStubs = {");
  });

  it("is idempotent, and merges a later operation into the same block", () => {
    const once = withStubs(existing, "patterns", ["getPattern"]);
    expect(withStubs(once, "patterns", ["getPattern"])).toBe(once);
    const twice = withStubs(once, "patterns", ["deletePattern"]);
    expect(twice.startsWith(existing)).toBe(true);
    expect(twice.split(STUB_MARKER)).toHaveLength(2);
    expect(twice).toMatch(
      /getPattern: notImplemented\("getPattern"\),\n {2}deletePattern: notImplemented\("deletePattern"\),/,
    );
  });

  it("starts a file for a tag that has none", () => {
    const created = withStubs("", "pattern-sets", ["listPatternSets"]);
    expect(created.startsWith(STUB_MARKER)).toBe(true);
    expect(created).toContain("export const patternSetsStubs = {");
  });

  it("counts an operation as handled by its member in the file's own code, never by its stub", () => {
    expect(isHandled("listPatterns", [existing])).toBe(true);
    expect(isHandled("getPattern", [existing])).toBe(false);
    expect(isHandled("getPattern", [withStubs(existing, "patterns", ["getPattern"])])).toBe(false);
    // A longer name that contains it is another operation.
    expect(isHandled("listPattern", [existing])).toBe(false);
  });

  it("indexes every stub block for app.ts, and is empty without any", () => {
    expect(stubIndex([])).toContain("export const handlerStubs = {};");
    const index = stubIndex(["patterns", "auth"]);
    expect(index).toContain('import { authStubs } from "./auth";');
    expect(index).toContain("export const handlerStubs = { ...authStubs, ...patternsStubs };");
  });
});
