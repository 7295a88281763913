import { createHmac, timingSafeEqual } from "node:crypto";
import type { z } from "zod";
import { DomainError } from "../errors";

/** Turns a page position into an opaque cursor and back, refusing any cursor it did not issue. */
export interface CursorCodec {
  encode(position: unknown): string;
  decode<T>(cursor: string, shape: z.ZodType<T>): T;
}

const MAC_BYTES = 16;
const MAC_LENGTH = Math.ceil((MAC_BYTES * 4) / 3); // base64url characters, no padding

/**
 * base64url(JSON) followed by a truncated HMAC of it. The cursor carries the filters and sort of
 * the listing it came from, so a client that edits it (to widen a filter, or to jump anywhere)
 * is refused instead of being served a page the query it sent would not produce.
 */
export function signedCursors(secret: string): CursorCodec {
  const key = createHmac("sha256", secret).update("joxicrochet cursor key").digest();
  const mac = (payload: string) =>
    createHmac("sha256", key).update(payload).digest().subarray(0, MAC_BYTES).toString("base64url");
  return {
    encode(position) {
      const payload = Buffer.from(JSON.stringify(position)).toString("base64url");
      return payload + mac(payload);
    },
    decode(cursor, shape) {
      const payload = cursor.slice(0, -MAC_LENGTH);
      const given = Buffer.from(cursor.slice(-MAC_LENGTH));
      const expected = Buffer.from(mac(payload));
      if (payload.length === 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw invalidCursor();
      }
      try {
        return shape.parse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
      } catch {
        // A genuine cursor of an older shape, after a deploy.
        throw invalidCursor();
      }
    },
  };
}

export function invalidCursor(detail = "The cursor is not one this API issued; start from the first page") {
  return new DomainError("invalid_cursor", detail);
}
