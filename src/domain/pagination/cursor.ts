import type { z } from "zod";
import { DomainError } from "../errors";

/** Opaque to clients: base64url JSON of where the previous page ended, checked when read back. */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

export function decodeCursor<T>(cursor: string, shape: z.ZodType<T>): T {
  try {
    return shape.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new DomainError(
      "invalid_cursor",
      "The cursor is not one this API issued; start from the first page",
    );
  }
}
