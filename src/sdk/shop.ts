import createClient, { type Client } from "openapi-fetch";
import { type OperationId, operations } from "../../generated/client/operations";
import type { paths } from "../../generated/client/schema";
import { ApiError, isProblem } from "./api-error";
import type { OperationMethods } from "./operation-types";

export interface ShopOptions {
  /** Where the API is: `https://api.joxicrochet.shop`, or `""` for the page's own origin. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer`; without it, the browser's session cookie authenticates. */
  accessToken?: string;
  /** Another fetch (a test's, or one with a proxy). */
  fetch?: typeof fetch;
}

export type Shop = OperationMethods & {
  /** The openapi-fetch client underneath, for what the methods do not cover. */
  readonly client: Client<paths>;
};

interface Args {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  headers?: Record<string, string>;
  body?: unknown;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/**
 * The shop's API with one method per operation of the contract (`shop.listProducts({ query })`,
 * `shop.createOrder({ body })`): parameters and results typed from the contract, problems thrown
 * as `ApiError`, an `Idempotency-Key` made for each call of an operation that takes one.
 */
export function createShop(options: ShopOptions): Shop {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    credentials: "include",
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const call = async (id: OperationId, args: Args = {}) => {
    const operation = operations[id];
    const header: Record<string, string> = { ...args.headers };
    if (options.accessToken) header.Authorization = `Bearer ${options.accessToken}`;
    if (operation.idempotencyKey) header["Idempotency-Key"] = args.idempotencyKey ?? crypto.randomUUID();
    const { data, error, response } = await (client.request as unknown as Request)(
      operation.method,
      operation.path,
      {
        params: { path: args.path, query: args.query, header },
        body: args.body,
        ...(args.body instanceof FormData ? { bodySerializer: (body: FormData) => body } : {}),
        ...(args.signal ? { signal: args.signal } : {}),
      },
    );
    if (response.ok) return data;
    throw new ApiError(
      isProblem(error)
        ? error
        : {
            type: "about:blank",
            title: response.statusText || "Error",
            status: response.status,
            code: `http_${response.status}`,
            requestId: response.headers.get("x-request-id") ?? "",
          },
      response,
    );
  };
  const methods = Object.fromEntries(
    (Object.keys(operations) as OperationId[]).map((id) => [id, (args?: Args) => call(id, args)]),
  );
  return { ...(methods as unknown as OperationMethods), client };
}

/** openapi-fetch's `request`, without the per-path typing the table has already checked. */
type Request = (
  method: string,
  path: string,
  init: object,
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
