import { scrypt, timingSafeEqual } from "node:crypto";

/**
 * Better-Auth's default password hash before this shop chose its own (`@better-auth/utils/password`
 * 0.5): `saltHex:keyHex`, a 16-byte salt in hex and a 64-byte scrypt key in hex, derived with
 * N=16384, r=16, p=1 from the NFKC-normalised password, the salt's hex text itself being the salt.
 * Stored hashes of that form keep verifying here until the next sign-in replaces them.
 */
const N = 16_384;
const R = 16;
const P = 1;
const KEY_BYTES = 64;
/** Twice what scrypt needs (128·N·r bytes): Node's default ceiling of 32 MiB is exactly that need. */
const MAX_MEMORY = 2 * 128 * N * R;

const LEGACY_FORMAT = /^[0-9a-f]{32}:[0-9a-f]{128}$/;

export function isLegacyScryptHash(stored: string): boolean {
  return LEGACY_FORMAT.test(stored);
}

/** On the thread pool, compared in constant time. False for anything not in the legacy format. */
export async function verifyLegacyScrypt(stored: string, password: string): Promise<boolean> {
  if (!isLegacyScryptHash(stored)) return false;
  const [salt = "", keyHex = ""] = stored.split(":");
  const expected = Buffer.from(keyHex, "hex");
  const derived = await new Promise<Buffer>((resolve, reject) =>
    scrypt(
      password.normalize("NFKC"),
      salt,
      KEY_BYTES,
      { N, r: R, p: P, maxmem: MAX_MEMORY },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
  return timingSafeEqual(derived, expected);
}
