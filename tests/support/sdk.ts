import type { TestApp } from "./app";

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
