// The source of an app mounted on the fixture's generated routes. The tests write it next to the
// generated code, type-check it with tsc (so `Handlers` is proven to type real handlers and to
// refuse a missing one) and import it to send requests. Each handler echoes what validation
// produced in the `x-echo` header, so that a test can see the coerced values.
export const FIXTURE_APP = `import { OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";
import { type Handlers, type OperationId, routes, securitySchemes } from "./server";

const echo = (value: unknown) => ({ "x-echo": JSON.stringify(value) });

export const handlers: Handlers = {
  listPatterns: (c) => c.json({ data: [] }, 200, echo(c.req.valid("query"))),
  createPattern: (c) => {
    const body = c.req.valid("json");
    return c.json({ id: 1, title: body.title, colour: body.colour, difficulty: 3 }, 201, echo(body));
  },
  getPattern: (c) => {
    const seen = { params: c.req.valid("param"), headers: c.req.valid("header") };
    return c.json({ id: seen.params.patternId, title: "Bunny", colour: "red" as const, difficulty: 2 }, 200, echo(seen));
  },
  replacePatternItems: (c) => c.body(null, 204, echo({ params: c.req.valid("param"), body: c.req.valid("json") })),
  getShowcase: (c) =>
    c.json({
      contact: { email: "maker@example.org", id: "123e4567-e89b-12d3-a456-426614174000", createdAt: "2026-01-01T00:00:00Z" },
      envelope: { payload: null },
      tree: { name: "root", children: [{ name: "leaf", children: [] }] },
      items: [{ kind: "hook" as const, sizeMm: 4 }],
    }, 200),
};

// @ts-expect-error -- every operation needs its handler: the type refuses a partial set
export const partial: Handlers = { listPatterns: handlers.listPatterns };

export function buildApp(): OpenAPIHono {
  const app = new OpenAPIHono({
    defaultHook: (result, c) => (result.success ? undefined : c.json({ target: result.target, issues: result.error.issues }, 400)),
  });
  for (const [name, scheme] of Object.entries(securitySchemes)) {
    app.openAPIRegistry.registerComponent("securitySchemes", name, scheme as never);
  }
  for (const operationId of Object.keys(routes) as OperationId[]) {
    app.openapi(routes[operationId] as RouteConfig, handlers[operationId] as never);
  }
  return app;
}
`;
