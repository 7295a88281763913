import { describe, expect, it } from "vitest";
import { defaultRetryPolicy, retryDelayMs } from "../../../src/platform/outbox";

describe("retryDelayMs", () => {
  it("doubles from 5 s after each failed attempt", () => {
    expect([1, 2, 3, 4].map((attempts) => retryDelayMs(attempts))).toEqual([5_000, 10_000, 20_000, 40_000]);
  });

  it("never waits longer than an hour", () => {
    expect(retryDelayMs(10)).toBe(2_560_000);
    expect(retryDelayMs(11)).toBe(3_600_000);
    expect(retryDelayMs(1_000)).toBe(3_600_000);
  });

  it("gives up after ten attempts by default", () => {
    expect(defaultRetryPolicy.maxAttempts).toBe(10);
  });
});
