import { randomBytes, scrypt } from "node:crypto";

// Better-Auth's password hash (node:crypto scrypt, @better-auth/utils/password.node).
const PARAMS = { N: 16384, r: 16, p: 1, maxmem: 128 * 16384 * 16 * 2 };

/** Password verifications per second, as many in flight as libuv has threads, for `seconds`. */
export async function scryptRate(seconds: number): Promise<number> {
  const salt = randomBytes(16).toString("hex");
  const parallel = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      await new Promise<void>((resolve, reject) =>
        scrypt("bench-password-crochet", salt, 64, PARAMS, (error) => (error ? reject(error) : resolve())),
      );
      done += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: parallel }, worker));
  return Math.round((done * 1000) / (performance.now() - started));
}
