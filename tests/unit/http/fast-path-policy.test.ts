import { describe, expect, it } from "vitest";
import { policies } from "../../../generated/server";
import { servedOnFastPath } from "../../../src/http/cached-read-fast-path";

describe("which cached operations the fast path may answer", () => {
  it("answers every cached operation of today's contract", () => {
    const cached = Object.values(policies).filter((policy) => policy.cache !== null);
    expect(cached.length).toBeGreaterThan(0);
    expect(cached.filter((policy) => !servedOnFastPath(policy)).map((p) => p.operationId)).toEqual([]);
  });

  it("leaves to the app an operation with a limit of its own, one exempt from the general limit, or one taking credentials", () => {
    const plain = { rateLimit: null, generalRateLimit: true, auth: { required: false, schemes: [] } };
    expect(servedOnFastPath(plain)).toBe(true);
    expect(servedOnFastPath({ ...plain, rateLimit: { limit: 5, windowSeconds: 60, by: ["ip"] } })).toBe(
      false,
    );
    expect(servedOnFastPath({ ...plain, generalRateLimit: false })).toBe(false);
    expect(servedOnFastPath({ ...plain, auth: { required: false, schemes: ["bearerAuth"] } })).toBe(false);
  });
});
