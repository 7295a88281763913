import { createRoute, z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import type { Problem } from "../../../generated/server";
import { createOpenApiApp } from "../../../src/http/openapi-app";
import { createLogger } from "../../../src/platform/logger";

// No operation of the contract takes a body yet, so the body rules of the HTTP layer are
// exercised on a fixture route mounted on the same app factory the real app uses.
const createNote = createRoute({
  method: "post",
  path: "/notes",
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.strictObject({ title: z.string().min(1), tags: z.array(z.string()).optional() }),
        },
      },
    },
  },
  responses: { 201: { description: "created" } },
});

function fixtureApp() {
  const app = createOpenApiApp(createLogger("silent"));
  app.openapi(createNote, (c) => c.json(c.req.valid("json"), 201));
  return app;
}

const post = (body: string, contentType?: string) =>
  fixtureApp().request("/notes", {
    method: "POST",
    body,
    headers: contentType ? { "content-type": contentType } : {},
  });

describe("request bodies", () => {
  it("accepts a valid body", async () => {
    const response = await post(JSON.stringify({ title: "Granny square" }), "application/json");
    expect(response.status).toBe(201);
  });

  it("answers malformed JSON with 400 malformed_request", async () => {
    const response = await post('{"title": "unterminated', "application/json");
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ status: 400, code: "malformed_request" });
  });

  it("answers a body of another media type with 415", async () => {
    const response = await post("title=Granny", "application/x-www-form-urlencoded");
    expect(response.status).toBe(415);
    const problem = (await response.json()) as Problem;
    expect(problem).toMatchObject({ status: 415, code: "unsupported_media_type" });
    expect(problem.detail).toContain("application/x-www-form-urlencoded");
  });

  it("answers a body without Content-Type with 415", async () => {
    const response = await post(JSON.stringify({ title: "Granny square" }));
    expect(response.status).toBe(415);
  });

  it("refuses unknown fields by name, so a client cannot set what it does not own", async () => {
    const response = await post(
      JSON.stringify({ title: "Hat", role: "admin", total: 0 }),
      "application/json",
    );
    expect(response.status).toBe(400);
    const problem = (await response.json()) as Problem;
    expect(problem.code).toBe("validation_failed");
    expect(problem.errors).toEqual([
      expect.objectContaining({ location: "body", field: "role", pointer: "/role" }),
      expect.objectContaining({ location: "body", field: "total", pointer: "/total" }),
    ]);
  });

  it("points into nested fields", async () => {
    const response = await post(JSON.stringify({ title: "", tags: ["ok", 7] }), "application/json");
    const problem = (await response.json()) as Problem;
    expect((problem.errors ?? []).map((e) => e.pointer).sort()).toEqual(["/tags/1", "/title"]);
  });
});
