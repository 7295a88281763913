// The typed client for frontend developers: paths, parameters and bodies come from the contract
// (generated/client/schema.d.ts), so a renamed field is a compile error in the shop's frontend.
import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { components, paths } from "../../generated/client/schema";

export type { components, paths };
export type Problem = components["schemas"]["Problem"];

/** A problem+json answer, thrown by `unwrap` so callers can branch on its stable `code`. */
export class ApiProblem extends Error {
  override name = "ApiProblem";

  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.code}: ${problem.detail ?? problem.title}`);
  }

  get code(): string {
    return this.problem.code;
  }
}

export type JoxiCrochetClient = Client<paths>;

export function createJoxiCrochetClient(options: ClientOptions & { baseUrl: string }): JoxiCrochetClient {
  return createClient<paths>(options);
}

/** The data of a successful call, or an `ApiProblem` carrying the problem document. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || data === undefined) {
    if (isProblem(error)) throw new ApiProblem(error);
    throw new Error(`unexpected ${response.status} from ${response.url}`);
  }
  return data;
}

function isProblem(value: unknown): value is Problem {
  return typeof value === "object" && value !== null && "code" in value && "status" in value;
}
