import { describe, expect, it } from "vitest";
import { createHashingQueue, HashingQueueFull } from "../../../src/platform/auth/hashing-queue";

/** A job that finishes when the test says so, on a clock the test moves. */
function controlledJobs() {
  let clock = 0;
  const started: string[] = [];
  const finishers = new Map<string, (value: string) => void>();
  return {
    now: () => clock,
    advance(ms: number) {
      clock += ms;
    },
    started,
    job(name: string) {
      return () =>
        new Promise<string>((resolve) => {
          started.push(name);
          finishers.set(name, resolve);
        });
    },
    async finish(name: string) {
      const resolve = finishers.get(name);
      if (!resolve) throw new Error(`${name} has not started`);
      resolve(name);
      // Let the queue settle the job and start the next one.
      await new Promise((settled) => setImmediate(settled));
    },
  };
}

describe("the hashing queue", () => {
  it("runs at most `concurrency` jobs at once, the others in arrival order as slots free", async () => {
    const jobs = controlledJobs();
    const queue = createHashingQueue({
      concurrency: 2,
      maxWaitSeconds: 60,
      initialDurationSeconds: 0.05,
      now: jobs.now,
    });
    const results = ["a", "b", "c", "d"].map((name) => queue.run(jobs.job(name)));
    expect(jobs.started).toEqual(["a", "b"]);
    expect(queue.stats()).toMatchObject({ inFlight: 2, waiting: 2 });

    await jobs.finish("b");
    expect(jobs.started).toEqual(["a", "b", "c"]);
    await jobs.finish("a");
    expect(jobs.started).toEqual(["a", "b", "c", "d"]);
    expect(queue.stats()).toMatchObject({ inFlight: 2, waiting: 0 });
    await jobs.finish("c");
    await jobs.finish("d");
    expect(await Promise.all(results)).toEqual(["a", "b", "c", "d"]);
    expect(queue.stats()).toMatchObject({ inFlight: 0, waiting: 0, refused: 0 });
  });

  it("refuses at once, starting nothing, when the estimated wait exceeds the bound", async () => {
    const jobs = controlledJobs();
    const queue = createHashingQueue({
      concurrency: 1,
      maxWaitSeconds: 2,
      initialDurationSeconds: 1,
      now: jobs.now,
    });
    // One running; then waits of 1 s and 2 s are within the bound, 3 s is not.
    const accepted = ["a", "b", "c"].map((name) => queue.run(jobs.job(name)));
    const refusal = queue.run(jobs.job("d"));
    await expect(refusal).rejects.toBeInstanceOf(HashingQueueFull);
    await expect(refusal).rejects.toMatchObject({ retryAfterSeconds: 3 });
    expect(jobs.started).toEqual(["a"]);
    expect(queue.stats()).toMatchObject({ inFlight: 1, waiting: 2, refused: 1 });

    for (const name of ["a", "b", "c"]) {
      jobs.advance(1000);
      await jobs.finish(name);
    }
    expect(await Promise.all(accepted)).toEqual(["a", "b", "c"]);
    expect(jobs.started).not.toContain("d");
  });

  it("estimates the wait from the moving average of how long jobs took", async () => {
    const jobs = controlledJobs();
    const queue = createHashingQueue({
      concurrency: 2,
      maxWaitSeconds: 1,
      initialDurationSeconds: 0.01,
      now: jobs.now,
    });
    // Jobs turn out to take 4 s each, far more than first assumed.
    for (const name of ["a", "b", "c", "d", "e"]) {
      const done = queue.run(jobs.job(name));
      jobs.advance(4000);
      await jobs.finish(name);
      await done;
    }
    expect(queue.stats().averageSeconds).toBeGreaterThan(2);
    // Two slots busy: the next one would wait about half a job, over 1 s, so it is refused.
    const running = [queue.run(jobs.job("f")), queue.run(jobs.job("g"))];
    await expect(queue.run(jobs.job("h"))).rejects.toMatchObject({ name: "HashingQueueFull" });
    await jobs.finish("f");
    await jobs.finish("g");
    await Promise.all(running);
  });

  it("frees the slot of a job that fails, and passes its error on", async () => {
    const queue = createHashingQueue({ concurrency: 1, maxWaitSeconds: 60, initialDurationSeconds: 0.05 });
    await expect(queue.run(() => Promise.reject(new Error("native failure")))).rejects.toThrow(
      "native failure",
    );
    expect(queue.stats()).toMatchObject({ inFlight: 0, waiting: 0 });
    expect(await queue.run(async () => "next")).toBe("next");
  });

  it("tells its observers each finished duration and each refusal", async () => {
    const jobs = controlledJobs();
    const queue = createHashingQueue({
      concurrency: 1,
      maxWaitSeconds: 0,
      initialDurationSeconds: 0.05,
      now: jobs.now,
    });
    const seen: string[] = [];
    const stop = queue.observe({
      finished: (seconds) => seen.push(`finished ${seconds}`),
      refused: () => seen.push("refused"),
    });
    const first = queue.run(jobs.job("a"));
    // Any wait is over a bound of zero: refused, with at least a second to wait.
    await expect(queue.run(jobs.job("b"))).rejects.toMatchObject({ retryAfterSeconds: 1 });
    jobs.advance(250);
    await jobs.finish("a");
    await first;
    stop();
    await queue.run(async () => "unobserved");
    expect(seen).toEqual(["refused", "finished 0.25"]);
  });

  it("refuses a concurrency that is not a positive integer", () => {
    for (const concurrency of [0, -1, 1.5]) {
      expect(() =>
        createHashingQueue({ concurrency, maxWaitSeconds: 1, initialDurationSeconds: 0.1 }),
      ).toThrow("positive integer");
    }
  });
});
