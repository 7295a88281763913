import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMemoryRateLimiter } from "../../../src/platform/rate-limit";
import {
  msUntilEmpty,
  msUntilNextAllowed,
  step,
  summarize,
  type WindowState,
  weightedCount,
} from "../../../src/platform/rate-limit/window";

const MINUTE = 60_000;
/** A clock the test moves by hand, starting at the beginning of a window. */
function manualClock(start = 1_000 * MINUTE) {
  let now = start;
  return {
    now: () => now,
    set: (ms: number) => {
      now = start + ms;
    },
  };
}

describe("sliding window (two-window weighted estimate)", () => {
  it("lets `limit` requests through, then refuses without counting the refusals", async () => {
    const clock = manualClock();
    const limiter = createMemoryRateLimiter({ now: clock.now });
    const seen = [];
    for (let i = 0; i < 7; i++) seen.push(await limiter.hit("k", 5, 60));
    expect(seen.map((r) => r.allowed)).toEqual([true, true, true, true, true, false, false]);
    expect(seen.map((r) => r.remaining)).toEqual([4, 3, 2, 1, 0, 0, 0]);
    expect(seen[0]).toEqual({ allowed: true, limit: 5, remaining: 4, resetSeconds: 120 });
    // Everything sits in the current window: one more is possible once it has become the
    // previous window and decayed to 4 of 5, 12 s into the next one.
    expect(seen[5]).toMatchObject({ allowed: false, retryAfterSeconds: 72, resetSeconds: 120 });
    clock.set(72_000 - 1);
    expect((await limiter.hit("k", 5, 60)).allowed).toBe(false);
    clock.set(72_000);
    expect(await limiter.hit("k", 5, 60)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it("weighs the previous window by the share the sliding window still covers", async () => {
    const clock = manualClock();
    const limiter = createMemoryRateLimiter({ now: clock.now });
    clock.set(59_000);
    for (let i = 0; i < 10; i++) await limiter.hit("k", 10, 60);
    clock.set(60_000); // the whole previous window still counts
    expect(await limiter.hit("k", 10, 60)).toMatchObject({ allowed: false, retryAfterSeconds: 6 });
    clock.set(90_000); // half of it: ceil(10 × 0.5) = 5 used
    expect(await limiter.hit("k", 10, 60)).toMatchObject({ allowed: true, remaining: 4 });
    clock.set(120_000); // the 10 are out of the window; the 1 of 90 s now weighs fully
    expect(await limiter.hit("k", 10, 60)).toMatchObject({ allowed: true, remaining: 8 });
    clock.set(240_000); // two windows of silence: empty
    expect(await limiter.hit("k", 10, 60)).toMatchObject({ allowed: true, remaining: 9, resetSeconds: 120 });
  });

  it("keeps keys, limits and windows apart", async () => {
    const limiter = createMemoryRateLimiter({ now: manualClock().now });
    await limiter.hit("a", 1, 60);
    expect((await limiter.hit("a", 1, 60)).allowed).toBe(false);
    expect((await limiter.hit("b", 1, 60)).allowed).toBe(true);
  });

  it("forgets the least recently used counters past maxKeys", async () => {
    const limiter = createMemoryRateLimiter({ now: manualClock().now, maxKeys: 2 });
    await limiter.hit("a", 1, 60);
    await limiter.hit("b", 1, 60);
    await limiter.hit("c", 1, 60);
    expect((await limiter.hit("a", 1, 60)).allowed).toBe(true);
  });

  const states = fc.record({
    limit: fc.integer({ min: 1, max: 200 }),
    windowMs: fc.constantFrom(1_000, 60_000, 300_000),
    elapsedShare: fc.double({ min: 0, max: 0.9999, noNaN: true }),
    current: fc.nat({ max: 200 }),
    previous: fc.nat({ max: 200 }),
  });
  const arrange = (s: {
    limit: number;
    windowMs: number;
    elapsedShare: number;
    current: number;
    previous: number;
  }) => {
    const index = 12_345;
    const state: WindowState = {
      index,
      current: Math.min(s.current, s.limit),
      previous: Math.min(s.previous, s.limit),
    };
    const now = index * s.windowMs + Math.floor(s.elapsedShare * s.windowMs);
    return { state, now };
  };

  it("Retry-After is exact: refused a millisecond earlier, let in at that time", () => {
    const runs = 200;
    let refusals = 0;
    fc.assert(
      fc.property(states, (s) => {
        const { state, now } = arrange(s);
        if (step(state, now, s.limit, s.windowMs).allowed) return; // only a refusal has a Retry-After
        refusals += 1;
        const wait = msUntilNextAllowed(state, now, s.limit, s.windowMs);
        expect(wait).toBeGreaterThan(0);
        expect(step(state, now + wait - 1, s.limit, s.windowMs).allowed).toBe(false);
        expect(step(state, now + wait, s.limit, s.windowMs).allowed).toBe(true);
        const refused = summarize(step(state, now, s.limit, s.windowMs), s.limit, s.windowMs);
        expect(refused.retryAfterSeconds).toBe(Math.max(1, Math.ceil(wait / 1000)));
        // The whole quota comes back no sooner than the next request is let in.
        expect(refused.resetSeconds * 1000).toBeGreaterThanOrEqual(wait);
      }),
      { numRuns: runs },
    );
    // A sample let in checks nothing here: the property means something only if many were refused.
    expect(refusals).toBeGreaterThanOrEqual(runs / 4);
  });

  it("reset is exact: something is counted a millisecond earlier, nothing at that time", () => {
    fc.assert(
      fc.property(states, (s) => {
        const { state, now } = arrange(s);
        const empty = msUntilEmpty(state, now, s.windowMs);
        const later = (ms: number) =>
          weightedCount(step(state, now + ms, 1e9, s.windowMs).state, now + ms, s.windowMs) - 1;
        if (state.current + state.previous === 0) {
          expect(empty).toBe(0);
          return;
        }
        expect(later(empty - 1)).toBeGreaterThan(0);
        expect(later(empty)).toBe(0);
        expect(empty).toBeLessThanOrEqual(2 * s.windowMs);
      }),
    );
  });

  it("never lets more than `limit` through within one fixed window, nor 2 × limit within any window-length span", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 300 }),
        (limit, gaps) => {
          const windowMs = 10_000;
          let state: WindowState | undefined;
          let now = 0;
          const allowedAt: number[] = [];
          for (const gap of gaps) {
            now += gap;
            const taken = step(state, now, limit, windowMs);
            state = taken.state;
            if (taken.allowed) allowedAt.push(now);
          }
          for (const [i, t] of allowedAt.entries()) {
            const sameWindow = allowedAt.filter((u) => Math.floor(u / windowMs) === Math.floor(t / windowMs));
            expect(sameWindow.length).toBeLessThanOrEqual(limit);
            const span = allowedAt.slice(i).filter((u) => u < t + windowMs);
            expect(span.length).toBeLessThanOrEqual(2 * limit);
          }
        },
      ),
    );
  });
});
