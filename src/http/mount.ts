import type { OpenAPIHono, RouteConfig } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import {
  type Handlers,
  type OperationId,
  type OperationPolicy,
  policies,
  routes,
  securitySchemes,
} from "../../generated/server";
import type { AppEnv } from "./env";

const markOperation =
  (operationId: OperationId): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    c.set("operationId", operationId);
    await next();
  };

/**
 * Mounts every operation of the contract on its generated route, and nothing else. Each route
 * runs the middleware its policy calls for (authentication, roles, its own rate limit) after
 * routing and before its input is validated.
 */
export function mountOperations(
  app: OpenAPIHono<AppEnv>,
  handlers: Handlers<AppEnv>,
  middlewareFor: (policy: OperationPolicy) => MiddlewareHandler<AppEnv>[],
): void {
  for (const [name, scheme] of Object.entries(securitySchemes)) {
    app.openAPIRegistry.registerComponent("securitySchemes", name, scheme);
  }
  for (const operationId of Object.keys(routes) as OperationId[]) {
    const middleware = [markOperation(operationId), ...middlewareFor(policies[operationId])];
    const route: RouteConfig = { ...routes[operationId], middleware };
    // Each handler is typed against its own route by `Handlers`; the loop only forgets which is which.
    app.openapi(route, handlers[operationId] as never);
  }
}
