import { hashPassword as betterAuthHashPassword } from "better-auth/crypto";
import { describe, expect, it } from "vitest";
import { createHashingQueue } from "../../../src/platform/auth/hashing-queue";
import { isLegacyScryptHash, verifyLegacyScrypt } from "../../../src/platform/auth/legacy-scrypt";
import { createPasswordHashing, OWASP_ARGON2ID } from "../../../src/platform/auth/password-hashing";

const PASSWORD = "granny-square-autumn-42";
/**
 * Made once with Better-Auth 1.7.25's own `hashPassword` (`better-auth/crypto`, the default hash
 * before this shop chose argon2id) for PASSWORD, and kept as text: the live one below would change
 * if a Better-Auth upgrade changed its default, this one never does.
 */
const LEGACY_FIXTURE =
  "329201d189174ea0c611a92917fe6c5b:72a273e879370db0b0f7e514440d6eb5d6a7b37dc882d56a4a150399f6091c68de50de8d3f16c27295d5b956fe8d060dbf23d53084054d96ff6727e7138270b0";

const hashing = createPasswordHashing(
  createHashingQueue({ concurrency: 2, maxWaitSeconds: 60, initialDurationSeconds: 0.1 }),
  OWASP_ARGON2ID,
);

describe("password hashing", () => {
  it("hashes with argon2id at OWASP's minimum (19 MiB, 2 passes, 1 lane) into a salted PHC string", async () => {
    const first = await hashing.hash(PASSWORD);
    const second = await hashing.hash(PASSWORD);
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(second).not.toBe(first);
    expect(await hashing.verify(first, PASSWORD)).toBe(true);
    expect(await hashing.verify(first, `${PASSWORD}!`)).toBe(false);
    expect(hashing.isOutdated(first)).toBe(false);
  });

  it("verifies Better-Auth's own scrypt hashes, the fixture and one made now, and calls them outdated", async () => {
    const madeNow = await betterAuthHashPassword(PASSWORD);
    for (const legacy of [LEGACY_FIXTURE, madeNow]) {
      expect(isLegacyScryptHash(legacy)).toBe(true);
      expect(await hashing.verify(legacy, PASSWORD)).toBe(true);
      expect(await hashing.verify(legacy, "granny-square-autumn-43")).toBe(false);
      expect(hashing.isOutdated(legacy)).toBe(true);
    }
  });

  it("normalises the password to NFKC before scrypt, as Better-Auth did", async () => {
    // "ﬁ" (U+FB01) is "fi" under NFKC: Better-Auth hashed the normalised text, so either spelling
    // of the same password matches.
    const legacy = await betterAuthHashPassword("filigree-stitches-12");
    expect(await verifyLegacyScrypt(legacy, "ﬁligree-stitches-12")).toBe(true);
  });

  it("refuses what is in neither format, without throwing", async () => {
    for (const stored of [
      "",
      "plain-text",
      "abc:def",
      `${LEGACY_FIXTURE.slice(0, -2)}`,
      "$2b$10$bcryptish",
    ]) {
      expect(await hashing.verify(stored, PASSWORD)).toBe(false);
      expect(hashing.isOutdated(stored)).toBe(true);
    }
  });

  it("calls a cheaper argon2id hash outdated, and never a costlier one", async () => {
    const cheap = createPasswordHashing(
      createHashingQueue({ concurrency: 1, maxWaitSeconds: 60, initialDurationSeconds: 0.1 }),
      { memoryKiB: 1024, passes: 1, parallelism: 1 },
    );
    const cheapHash = await cheap.hash(PASSWORD);
    expect(hashing.isOutdated(cheapHash)).toBe(true);
    expect(await hashing.verify(cheapHash, PASSWORD)).toBe(true);
    expect(cheap.isOutdated(await hashing.hash(PASSWORD))).toBe(false);
  });
});
