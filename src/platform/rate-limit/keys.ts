import { createHash } from "node:crypto";

const PLAIN_KEY = /^[A-Za-z0-9_.:/-]{1,120}$/;

/**
 * A storage key of bounded length and alphabet. Keys are partly chosen by clients (an e-mail, a
 * forwarded address), so anything outside a short plain alphabet is replaced by a SHA-256
 * digest (128 bits, base64url): no key can grow the store, break a log line or collide on
 * purpose.
 */
export function boundedKey(key: string): string {
  return PLAIN_KEY.test(key) ? key : `h:${digest(key)}`;
}

/** A short, stable digest of a client-chosen value, so that it is never stored in the clear. */
export function digest(value: string): string {
  return createHash("sha256").update(value).digest("base64url").slice(0, 22);
}
