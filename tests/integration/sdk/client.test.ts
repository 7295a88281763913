import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, createJoxiCrochetClient, type JoxiCrochetClient, unwrap } from "../../../src/sdk";
import { createTestApp, type TestApp } from "../../support/app";

describe("the typed SDK against the app", () => {
  let api: TestApp;
  let client: JoxiCrochetClient;
  beforeAll(async () => {
    api = await createTestApp();
    client = createJoxiCrochetClient({
      baseUrl: "http://shop.test",
      fetch: async (request: Request) => api.app.fetch(request),
    });
  });
  afterAll(async () => {
    await api.close();
  });

  it("calls an operation with typed query parameters", async () => {
    const tree = await unwrap(client.GET("/api/categories", { params: { query: { depth: 1 } } }));
    expect(tree.data.length).toBeGreaterThan(0);
    expect(tree.data.every((category) => category.children.length === 0)).toBe(true);
  });

  it("surfaces a problem as an ApiError with its code", async () => {
    const failing = unwrap(client.GET("/api/categories", { params: { query: { depth: 99 } } }));
    await expect(failing).rejects.toBeInstanceOf(ApiError);
    await expect(failing).rejects.toMatchObject({ code: "validation_failed" });
  });
});
