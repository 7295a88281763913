// The typed client for frontend developers: paths, parameters and bodies come from the contract
// (generated/client/schema.d.ts), so a renamed field is a compile error in the shop's frontend.
// `createShop` gives one method per operation; `createJoxiCrochetClient` is the bare openapi-fetch
// client underneath, for what the methods do not cover.
import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { components, paths } from "../../generated/client/schema";
import { ApiError, isProblem } from "./api-error";

export type { OperationId } from "../../generated/client/operations";
export { ApiError, type FieldError, type Problem } from "./api-error";
export type { CallArgs, CallOptions, CallResult } from "./operation-types";
export type { RetryPolicy } from "./retry";
export { createShop, type PaginatedOperationId, type Shop, type ShopOptions } from "./shop";
export type { components, paths };

export type JoxiCrochetClient = Client<paths>;

export function createJoxiCrochetClient(options: ClientOptions & { baseUrl: string }): JoxiCrochetClient {
  return createClient<paths>(options);
}

/** The data of a successful call of the bare client, or an `ApiError` carrying the problem document. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || data === undefined) {
    if (isProblem(error)) throw new ApiError(error, response);
    throw new Error(`unexpected ${response.status} from ${response.url}`);
  }
  return data;
}
