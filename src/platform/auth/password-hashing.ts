import { hash, parseOptions, verify } from "@node-rs/argon2";
import type { HashingQueue } from "./hashing-queue";
import { isLegacyScryptHash, verifyLegacyScrypt } from "./legacy-scrypt";

/** Argon2id cost: memory in KiB, passes, lanes. */
export interface Argon2idCost {
  memoryKiB: number;
  passes: number;
  parallelism: number;
}

/** OWASP's password-storage minimum for argon2id: 19 MiB, 2 passes, 1 lane. */
export const OWASP_ARGON2ID: Argon2idCost = { memoryKiB: 19_456, passes: 2, parallelism: 1 };

/** `Algorithm.Argon2id` of @node-rs/argon2, a const enum that isolated modules cannot read. */
const ARGON2ID = 2;

export interface PasswordHashing {
  /** A PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`). */
  hash(password: string): Promise<string>;
  /** Accepts the current format and Better-Auth's legacy scrypt one; false for anything else. */
  verify(stored: string, password: string): Promise<boolean>;
  /** True when `stored` is not argon2id at least as costly as today's: the next verified password replaces it. */
  isOutdated(stored: string): boolean;
}

/**
 * Password hashes computed natively, off the event loop, and never more at once than the queue
 * allows (it refuses beyond its bound with `HashingQueueFull`).
 */
export function createPasswordHashing(queue: HashingQueue, cost: Argon2idCost): PasswordHashing {
  const options = {
    algorithm: ARGON2ID,
    memoryCost: cost.memoryKiB,
    timeCost: cost.passes,
    parallelism: cost.parallelism,
  };
  return {
    hash: (password) => queue.run(() => hash(password, options)),
    async verify(stored, password) {
      if (stored.startsWith("$argon2")) return queue.run(() => verify(stored, password));
      if (isLegacyScryptHash(stored)) return queue.run(() => verifyLegacyScrypt(stored, password));
      return false;
    },
    isOutdated(stored) {
      if (!stored.startsWith("$argon2id$")) return true;
      try {
        const found = parseOptions(stored);
        // Only weaker hashes: a costlier one (a cost lowered again later) is never traded down.
        return found.memoryCost < cost.memoryKiB || found.timeCost < cost.passes;
      } catch {
        return true;
      }
    },
  };
}
