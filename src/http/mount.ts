import type { OpenAPIHono, RouteConfig } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { type Handlers, type OperationId, routes, securitySchemes } from "../../generated/server";
import type { AppEnv } from "./env";

const markOperation =
  (operationId: OperationId): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    c.set("operationId", operationId);
    await next();
  };

/** Mounts every operation of the contract on its generated route; nothing else is mounted. */
export function mountOperations(app: OpenAPIHono<AppEnv>, handlers: Handlers<AppEnv>): void {
  for (const [name, scheme] of Object.entries(securitySchemes)) {
    app.openAPIRegistry.registerComponent("securitySchemes", name, scheme);
  }
  for (const operationId of Object.keys(routes) as OperationId[]) {
    const route: RouteConfig = { ...routes[operationId], middleware: [markOperation(operationId)] };
    // Each handler is typed against its own route by `Handlers`; the loop only forgets which is which.
    app.openapi(route, handlers[operationId] as never);
  }
}
