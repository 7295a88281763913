import { describe, expect, it } from "vitest";
import { SEED_PHASES, schedule } from "../../../bench/seed-scenario";
import { percentile } from "../../../bench/stats";

describe("the seed scenario's schedule", () => {
  it("lets 27,600 users arrive over 8 minutes at full length, evenly within each phase", () => {
    const arrivals = schedule(SEED_PHASES);
    expect(arrivals).toHaveLength(600 + 15_000 + 12_000);
    expect(arrivals.filter((a) => a.phase === 0)).toHaveLength(600);
    expect(arrivals[1]?.at).toBe(100);
    expect(arrivals[600]).toEqual({ at: 60_000, phase: 1 });
    expect(arrivals[601]?.at).toBe(60_020);
    expect(arrivals[15_600]).toEqual({ at: 360_000, phase: 2 });
    expect(arrivals.at(-1)?.at).toBeCloseTo(479_990);
  });

  it("keeps the rates when the phases are scaled down", () => {
    const scaled = schedule(SEED_PHASES.map((phase) => ({ ...phase, seconds: phase.seconds * 0.1 })));
    expect(scaled).toHaveLength(60 + 1_500 + 1_200);
    expect(scaled.at(-1)?.at).toBeCloseTo(47_990);
  });
});

describe("percentiles", () => {
  it("take the nearest rank, and are null for no samples", () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
});
