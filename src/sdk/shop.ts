import createClient, { type Client } from "openapi-fetch";
import { type OperationId, operations } from "../../generated/client/operations";
import type { paths } from "../../generated/client/schema";
import { ApiError, isProblem } from "./api-error";
import type { CallResult, OperationMethods } from "./operation-types";
import {
  backoffMs,
  DEFAULT_RETRY,
  mayRetry,
  type RetryPolicy,
  retryAfterMs,
  sleep,
  untilAborted,
} from "./retry";

export interface ShopOptions {
  /** Where the API is: `https://api.joxicrochet.shop`, or `""` for the page's own origin. */
  baseUrl: string;
  /**
   * Bearer mode: sent as `Authorization: Bearer`. On a 401 the SDK asks `/api/auth/refresh` (with
   * the session cookie) for a new one, once, and tries the call again. Without a token, cookie
   * mode: the browser's session cookie authenticates every call.
   */
  accessToken?: string;
  /** Told of each new access token, to keep it wherever the app keeps it. */
  onAccessToken?(token: string): void;
  /** Retries after network errors, 429 and 503 (safe methods and calls with an idempotency key only). */
  retry?: Partial<RetryPolicy>;
  /** Each call's time limit in milliseconds, retries included (default 30 s); per call: `timeoutMs`. */
  timeoutMs?: number;
  /** Another fetch (a test's, or one with a proxy). */
  fetch?: typeof fetch;
}

/** The operations whose answer is a page with a cursor: what `paginate` walks. */
export type PaginatedOperationId = {
  [K in OperationId]: (typeof operations)[K]["paginated"] extends true ? K : never;
}[OperationId];

type PageItem<K extends OperationId> = CallResult<K> extends { data: (infer Item)[] } ? Item : never;
type PaginateArgs<K extends keyof OperationMethods> = Parameters<OperationMethods[K]>[0];

export type Shop = OperationMethods & {
  /**
   * Every item of a cursor-paginated list, fetching page after page as the loop asks for more:
   * `for await (const product of shop.paginate("listProducts", { query: { q: "hat" } }))`.
   */
  paginate<K extends PaginatedOperationId>(operation: K, args?: PaginateArgs<K>): AsyncGenerator<PageItem<K>>;
  /** The access token in use (bearer mode), refreshed as needed. */
  readonly accessToken: string | undefined;
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
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The shop's API with one method per operation of the contract (`shop.listProducts({ query })`,
 * `shop.createOrder({ body })`): parameters and results typed from the contract, problems thrown
 * as `ApiError`, retries with backoff where they are safe, an `Idempotency-Key` made for each
 * call of an operation that takes one and kept across its retries, and time limits.
 */
export function createShop(options: ShopOptions): Shop {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    credentials: "include",
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  let accessToken = options.accessToken;
  let refreshing: Promise<boolean> | undefined;

  /** One refresh at a time, shared by every call that met the same 401. */
  const refresh = () => {
    refreshing ??= (async () => {
      const { data, response } = await client.POST("/api/auth/refresh", {});
      if (!response.ok || !data) return false;
      accessToken = data.accessToken;
      options.onAccessToken?.(accessToken);
      return true;
    })()
      .catch(() => false)
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  };

  const send = (id: OperationId, args: Args, key: string | undefined, signal: AbortSignal) => {
    const operation = operations[id];
    const header: Record<string, string> = { ...args.headers };
    if (accessToken) header.Authorization = `Bearer ${accessToken}`;
    if (key !== undefined) header["Idempotency-Key"] = key;
    return (client.request as unknown as Request)(operation.method, operation.path, {
      params: { path: args.path, query: args.query, header },
      body: args.body,
      signal,
      ...(args.body instanceof FormData ? { bodySerializer: (body: FormData) => body } : {}),
    });
  };

  const call = async (id: OperationId, args: Args = {}) => {
    const operation = operations[id];
    // Made once for the call, so every retry carries the same key and the server runs it once.
    const key = operation.idempotencyKey ? (args.idempotencyKey ?? crypto.randomUUID()) : undefined;
    const retriable = mayRetry(operation.method, key);
    const limit = AbortSignal.timeout(args.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const signal = args.signal ? AbortSignal.any([args.signal, limit]) : limit;
    let refreshed = false;
    for (let attempt = 0; ; attempt += 1) {
      let answer: Awaited<ReturnType<Request>>;
      try {
        answer = await untilAborted(send(id, args, key, signal), signal);
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        if (!retriable || attempt >= retry.retries) throw error;
        await sleep(backoffMs(attempt, retry), signal);
        continue;
      }
      const { data, error, response } = answer;
      if (response.ok) return data;
      if (response.status === 401 && accessToken && !refreshed && id !== "refreshAccessToken") {
        refreshed = true;
        if (await refresh()) {
          attempt -= 1;
          continue;
        }
      }
      if ((response.status === 429 || response.status === 503) && retriable && attempt < retry.retries) {
        await sleep(retryAfterMs(response) ?? backoffMs(attempt, retry), signal);
        continue;
      }
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
    }
  };

  async function* paginate(id: PaginatedOperationId, args: Args = {}): AsyncGenerator<unknown> {
    let cursor = args.query?.cursor as string | undefined;
    do {
      const page = (await call(id, { ...args, query: { ...args.query, cursor } })) as {
        data: unknown[];
        nextCursor: string | null;
      };
      yield* page.data;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  const methods = Object.fromEntries(
    (Object.keys(operations) as OperationId[]).map((id) => [id, (args?: Args) => call(id, args)]),
  );
  return {
    ...(methods as unknown as OperationMethods),
    paginate: paginate as Shop["paginate"],
    get accessToken() {
      return accessToken;
    },
    client,
  };
}

/** openapi-fetch's `request`, without the per-path typing the table has already checked. */
type Request = (
  method: string,
  path: string,
  init: object,
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
