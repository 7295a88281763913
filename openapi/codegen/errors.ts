/** A construct the generator does not support, named by its place in the contract. */
export class CodegenError extends Error {
  constructor(
    readonly pointer: string,
    message: string,
    readonly file?: string,
  ) {
    super(`${file ?? "openapi"} (${pointer}): ${message}`);
    this.name = "CodegenError";
  }
}

export function escapePointerSegment(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

export function pointerOf(...segments: (string | number)[]): string {
  return `#/${segments.map((s) => escapePointerSegment(String(s))).join("/")}`;
}
