import { createHmac } from "node:crypto";

/**
 * RFC 6238 TOTP (HMAC-SHA1, 30-second steps, 6 digits), as an authenticator app computes it,
 * written independently of the server's implementation so that the tests check it.
 */

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** RFC 4648 base32, with or without padding, any case. */
export function base32Decode(encoded: string): Buffer {
  const clean = encoded.replace(/=+$/, "").toUpperCase();
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** RFC 4226 HOTP for one counter value. */
export function hotp(key: Buffer, counter: number, digits = 6): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", key).update(message).digest();
  const offset = (mac[mac.length - 1] as number) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/** The key and parameters of an `otpauth://totp/...` URI. */
export function parseTotpUri(uri: string): {
  key: Buffer;
  digits: number;
  period: number;
  issuer: string | null;
} {
  const url = new URL(uri);
  if (url.protocol !== "otpauth:" || url.host !== "totp") throw new Error(`not a TOTP URI: ${uri}`);
  const secret = url.searchParams.get("secret");
  if (!secret) throw new Error("the TOTP URI has no secret");
  return {
    key: base32Decode(secret),
    digits: Number(url.searchParams.get("digits") ?? 6),
    period: Number(url.searchParams.get("period") ?? 30),
    issuer: url.searchParams.get("issuer"),
  };
}

/** The code an authenticator app shows for `uri` at `at` (default now), `offset` steps away. */
export function totp(uri: string, options: { at?: number; offset?: number } = {}): string {
  const { key, digits, period } = parseTotpUri(uri);
  const counter = Math.floor((options.at ?? Date.now()) / 1000 / period) + (options.offset ?? 0);
  return hotp(key, counter, digits);
}

/** A six-digit code that no step near now accepts (a server allows one step of drift each way). */
export function wrongTotp(uri: string): string {
  const near = new Set([-2, -1, 0, 1, 2].map((offset) => totp(uri, { offset })));
  for (let candidate = 0; ; candidate += 1) {
    const code = String((123_456 + candidate * 7919) % 1_000_000).padStart(6, "0");
    if (!near.has(code)) return code;
  }
}
