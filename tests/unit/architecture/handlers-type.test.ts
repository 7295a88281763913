import { describe, expect, it } from "vitest";
import type { Handlers } from "../../../generated/server";
import { categoryHandlers } from "../../../src/handlers/categories";
import type { AppEnv } from "../../../src/http/env";

// This file is type-checked by `npm run typecheck`: if a missing handler stopped being an
// error, the @ts-expect-error below would itself become one and CI would fail.
describe("the Handlers type", () => {
  it("refuses a set of handlers that misses an operation of the contract", () => {
    const handlers = categoryHandlers(undefined as never);
    // @ts-expect-error getHealth, getReadiness and the meta operations have no handler here
    const incomplete: Handlers<AppEnv> = { ...handlers };
    expect(Object.keys(incomplete)).toEqual([
      "listCategories",
      "getCategory",
      "createCategory",
      "updateCategory",
      "deleteCategory",
    ]);
  });
});
