import type { TestApp } from "./app";
import { assertMatchesContract } from "./contract";

/**
 * A fetch for the SDK that sends each request through the test app like `api.request`, so that
 * every answer the SDK receives is checked against the contract too.
 */
export function checkedFetch(api: TestApp): typeof fetch {
  return (async (input: Request | string | URL, init?: RequestInit) => {
    const request = input instanceof Request ? new Request(input, init) : new Request(String(input), init);
    const url = new URL(request.url);
    const body = request.body ? await request.arrayBuffer() : undefined;
    const answer = await api.request(`${url.pathname}${url.search}`, {
      method: request.method,
      headers: request.headers,
      ...(body === undefined ? {} : { body }),
    });
    const empty = answer.status === 204 || answer.status === 304;
    return new Response(empty ? null : answer.text, { status: answer.status, headers: answer.headers });
  }) as typeof fetch;
}

/**
 * A fetch over the network (to a server process, or through nginx) that checks every answer
 * against the contract before handing it on, as `api.request` does in-process.
 */
export function contractCheckedFetch(inner: typeof fetch = fetch): typeof fetch {
  return (async (input: Request | string | URL, init?: RequestInit) => {
    const request = input instanceof Request ? new Request(input, init) : new Request(String(input), init);
    const response = await inner(request);
    const text = await response.text();
    assertMatchesContract(request.method, request.url, response, text);
    const empty = response.status === 204 || response.status === 304;
    return new Response(empty ? null : text, { status: response.status, headers: response.headers });
  }) as typeof fetch;
}
