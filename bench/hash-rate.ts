import { availableParallelism } from "node:os";
import { hash, verify } from "@node-rs/argon2";
import { OWASP_ARGON2ID } from "../src/platform/auth/password-hashing";

/** `Algorithm.Argon2id` of @node-rs/argon2 (a const enum). */
const ARGON2ID = 2;

/**
 * The shop's password verifications per second on this machine (argon2id at OWASP's minimum,
 * natively), with as many in flight as the server's hashing queue allows by default.
 */
export async function argon2VerifyRate(seconds: number): Promise<number> {
  const stored = await hash("bench-password-crochet", {
    algorithm: ARGON2ID,
    memoryCost: OWASP_ARGON2ID.memoryKiB,
    timeCost: OWASP_ARGON2ID.passes,
    parallelism: OWASP_ARGON2ID.parallelism,
  });
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      await verify(stored, "bench-password-crochet");
      done += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: availableParallelism() }, worker));
  return Math.round((done * 1000) / (performance.now() - started));
}
