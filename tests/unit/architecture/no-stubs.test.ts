import { describe, expect, it } from "vitest";
import { handlerStubs } from "../../../src/handlers/stubs";
import { notImplemented } from "../../../src/http/not-implemented";
import { HttpProblem } from "../../../src/http/problem";

describe("generated handler stubs", () => {
  it("none remains: every operation of the contract has its handler", () => {
    expect(Object.keys(handlerStubs), "operations still answered by a 501 stub").toEqual([]);
  });

  it("a stub answers 501 not_implemented, naming its operation", () => {
    const stub = notImplemented("listPatterns");
    let thrown: unknown;
    try {
      stub();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HttpProblem);
    expect((thrown as HttpProblem).init).toMatchObject({ status: 501, code: "not_implemented" });
    expect((thrown as HttpProblem).init.detail).toContain("listPatterns");
  });
});
