import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { parse } from "yaml";
import { CodegenError, escapePointerSegment } from "./errors";

/**
 * Where a place of the bundled contract is written in the split one: the pointer is walked from
 * the root file, following each `$ref` to the file (and fragment) it names. A pointer that leaves
 * the written files (a part the bundler made up) stops at the last place found.
 */
export function sourceOf(rootFile: string, pointer: string): { file: string; pointer: string } {
  const cache = new Map<string, unknown>();
  const load = (file: string) => {
    if (!cache.has(file)) cache.set(file, parse(readFileSync(file, "utf8")));
    return cache.get(file);
  };
  let file = rootFile;
  let node = load(file);
  let inner: string[] = [];
  const follow = () => {
    for (let hops = 0; hops < 32 && isRef(node); hops++) {
      const [target = "", fragment = ""] = node.$ref.split("#");
      if (target) file = resolve(dirname(file), target);
      inner = fragment.split("/").filter(Boolean).map(unescapeSegment);
      node = inner.reduce<unknown>((at, segment) => (isObject(at) ? at[segment] : undefined), load(file));
    }
  };
  follow();
  const segments = pointer.replace(/^#\/?/, "").split("/").filter(Boolean).map(unescapeSegment);
  for (const [index, segment] of segments.entries()) {
    if (!isObject(node)) break;
    // A key beside `$ref` is the $ref's own sibling; anything else lies in the referenced place.
    if (!(segment in node) && isRef(node)) follow();
    const here: unknown = node; // `follow` moved it: read it afresh
    if (!isObject(here) || !(segment in here)) break;
    node = here[segment];
    inner.push(segment);
    // At the end, a `$ref` is followed only out of the root file, whose components and paths are
    // an index of files; elsewhere the error is about the place that holds the `$ref`.
    if (index < segments.length - 1 || (isPureRef(node) && file === rootFile)) follow();
  }
  return { file, pointer: inner.length > 0 ? `#/${inner.map(escapePointerSegment).join("/")}` : "" };
}

/** The same error, naming the file (relative to the working directory) and the pointer in it. */
export function locate(error: CodegenError, rootFile: string): CodegenError {
  try {
    const source = sourceOf(rootFile, error.pointer);
    return new CodegenError(
      error.pointer,
      error.reason,
      relative(process.cwd(), source.file),
      source.pointer,
    );
  } catch {
    return error; // an unreadable file: the bundled pointer alone still says where
  }
}

const unescapeSegment = (segment: string) =>
  decodeURIComponent(segment).replaceAll("~1", "/").replaceAll("~0", "~");
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;
const isRef = (value: unknown): value is { $ref: string } =>
  isObject(value) && typeof value.$ref === "string";
const isPureRef = (value: unknown) => isRef(value) && Object.keys(value).length === 1;
