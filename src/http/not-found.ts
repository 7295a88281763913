import type { Context } from "hono";
import type { OperationPolicy } from "../../generated/server";
import type { AppEnv } from "./env";
import { problemResponse } from "./problem";

interface PathTemplate {
  pattern: RegExp;
  methods: string[];
}

/** The contract's paths as patterns, to tell an unknown path (404) from a wrong method (405). */
export function compilePathTemplates(policies: Iterable<OperationPolicy>): PathTemplate[] {
  const byPath = new Map<string, string[]>();
  for (const policy of policies) byPath.set(policy.path, [...(byPath.get(policy.path) ?? []), policy.method]);
  return [...byPath].map(([path, methods]) => {
    const source = path
      .split(/\{[^}]+\}/)
      .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join("[^/]+");
    return {
      pattern: new RegExp(`^${source}$`),
      methods: methods.includes("GET") ? [...methods, "HEAD"] : methods,
    };
  });
}

export function notFoundHandler(templates: PathTemplate[]) {
  return (c: Context<AppEnv>): Response => {
    const template = templates.find((candidate) => candidate.pattern.test(c.req.path));
    if (template) {
      const allow = template.methods.join(", ");
      return problemResponse(c, {
        status: 405,
        code: "method_not_allowed",
        title: "Method not allowed",
        detail: `${c.req.method} is not allowed on ${c.req.path}; allowed: ${allow}`,
        headers: { Allow: allow },
      });
    }
    return problemResponse(c, {
      status: 404,
      code: "route_not_found",
      title: "Not found",
      detail: `No operation of this API answers ${c.req.method} ${c.req.path}`,
    });
  };
}
