/**
 * A construct the generator does not support, named by its place in the bundled contract and,
 * once `locate`d (see source-map.ts), by the file and pointer where it is written.
 */
export class CodegenError extends Error {
  constructor(
    readonly pointer: string,
    readonly reason: string,
    readonly file?: string,
    readonly filePointer?: string,
  ) {
    super(
      file === undefined
        ? `openapi (${pointer}): ${reason}`
        : `${file}${filePointer ?? ""}: ${reason} (bundled contract: ${pointer})`,
    );
    this.name = "CodegenError";
  }
}

export function escapePointerSegment(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

export function pointerOf(...segments: (string | number)[]): string {
  return `#/${segments.map((s) => escapePointerSegment(String(s))).join("/")}`;
}
