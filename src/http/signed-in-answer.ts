import type { Context } from "hono";
import type { OperationPolicy } from "../../generated/server";
import { routes, SignedInSchema, SignInResultSchema } from "../../generated/server";

/** Who the answer signed in, when it is a success whose body says `signed_in`. */
export async function signedInUser(c: Context): Promise<{ id: string; email: string } | undefined> {
  if (c.error || c.res.status < 200 || c.res.status > 299) return undefined;
  if (!/json/i.test(c.res.headers.get("content-type") ?? "")) return undefined;
  let body: unknown;
  try {
    body = await c.res.clone().json();
  } catch {
    return undefined;
  }
  const { status, user } = (body ?? {}) as { status?: unknown; user?: { id?: unknown; email?: unknown } };
  if (status !== "signed_in" || typeof user?.id !== "string" || typeof user.email !== "string")
    return undefined;
  return { id: user.id, email: user.email };
}

/**
 * The operations that sign a client in, read from the contract: those whose success answer is
 * `SignedIn` (or `SignInResult`, which may be it).
 */
export function signsIn(policy: Pick<OperationPolicy, "operationId">): boolean {
  const route = (routes as Record<string, { responses: object } | undefined>)[policy.operationId];
  const responses = Object.entries(route?.responses ?? {});
  return responses.some(([status, response]) => {
    if (!/^2\d\d$/.test(status)) return false;
    const schema = (response as { content?: Record<string, { schema?: unknown }> }).content?.[
      "application/json"
    ]?.schema;
    return schema === SignedInSchema || schema === SignInResultSchema;
  });
}
