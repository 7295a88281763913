import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { describe, expect, it } from "vitest";
import type { OperationPolicy } from "../../../generated/server";
import type { AppEnv } from "../../../src/http/env";
import { bodyEtag, ifNoneMatchSatisfied, parseEntityTagList } from "../../../src/http/etag";
import { responseCaching, STALE_WHILE_REVALIDATE_SECONDS } from "../../../src/http/response-cache";
import { versionEtag, versionsInIfMatch } from "../../../src/http/version-etag";
import { responseCache } from "../../../src/platform/cache";
import { createMetrics, type Metrics } from "../../../src/platform/metrics";

const policy: OperationPolicy = {
  operationId: "listThings",
  method: "GET",
  path: "/things",
  honoPath: "/things",
  tags: ["Things"],
  auth: { required: false, schemes: [] },
  roles: [],
  cache: { ttl: 60, tags: ["things"] },
  invalidates: [],
  rateLimit: null,
  generalRateLimit: true,
  idempotency: null,
  body: null,
};

const CACHE_CONTROL = `public, max-age=60, stale-while-revalidate=${STALE_WHILE_REVALIDATE_SECONDS}`;
const OWN_ETAG = '"42-3"';

function fixtureApp(declared: OperationPolicy = policy) {
  const state = { things: [{ id: 1, name: "Granny square blanket" }], computed: 0, gate: Promise.resolve() };
  const store = responseCache(undefined);
  const metrics = createMetrics();
  const cache = responseCaching(declared, store, metrics);
  if (!cache) throw new Error("a cacheable policy must give a middleware");
  const app = new Hono<AppEnv>();
  app.use(requestId());
  app.onError((error, c) =>
    error instanceof HTTPException ? error.getResponse() : c.json({ title: "boom" }, 500),
  );
  app.get("/things", cache, async (c) => {
    state.computed += 1;
    await state.gate;
    if (state.things.length > 5) throw new Error("database down");
    return c.json({ data: state.things, nextCursor: null });
  });
  app.get("/products/42", cache, (c) => c.json({ id: 42, version: 3 }, 200, { ETag: OWN_ETAG }));
  app.get("/sized", cache, (c) => {
    const body = JSON.stringify({ id: 9 });
    return c.body(body, 200, {
      "Content-Type": "application/json",
      "Content-Length": String(body.length),
      "Content-Language": "en",
    });
  });
  app.get("/private", cache, (c) => c.json({ id: 7 }, 200, { "Cache-Control": "private, no-store" }));
  app.get("/cookie", cache, (c) => {
    state.computed += 1;
    return c.json({ id: 8 }, 200, { "Set-Cookie": "visitor=abc; HttpOnly" });
  });
  app.get("/missing", cache, (c) => c.json({ title: "Not found" }, 404));
  app.get("/refused", cache, () => {
    throw new HTTPException(403, { message: "no" });
  });
  app.get("/boom", cache, () => {
    throw new Error("database down");
  });
  app.get("/pattern.txt", cache, (c) => {
    const chunks = ["row 1: ", "chain 12"];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks.shift();
        if (chunk === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(chunk));
      },
    });
    return c.body(stream, 200, { "Content-Type": "text/plain; charset=utf-8" });
  });
  return { app, state, store, metrics };
}

const get = (app: Hono<AppEnv>, path: string, headers: Record<string, string> = {}) =>
  app.request(path, { headers });

/** A promise resolved from outside (Promise.withResolvers is not in Node 20). */
function openable(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

async function lookups(metrics: Metrics): Promise<Record<string, number>> {
  const { values } = await metrics.cacheLookups.get();
  return Object.fromEntries(
    values.map((value) => [`${value.labels.tier}/${value.labels.outcome}`, value.value]),
  );
}

describe("responseCaching", () => {
  const memory = () => responseCache(undefined);
  it("applies only to GET operations that have x-cache", () => {
    expect(responseCaching({ ...policy, cache: null }, memory(), createMetrics())).toBeUndefined();
    expect(responseCaching({ ...policy, method: "POST" }, memory(), createMetrics())).toBeUndefined();
    expect(responseCaching(policy, memory(), createMetrics())).toBeTypeOf("function");
  });

  it("marks a 200 with Cache-Control and a strong ETag computed from the body", async () => {
    const { app } = fixtureApp();
    const response = await get(app, "/things");
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe(CACHE_CONTROL);
    const etag = response.headers.get("ETag");
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ data: [{ id: 1, name: "Granny square blanket" }], nextCursor: null });
    expect(etag).toBe(bodyEtag(body));
    expect(response.headers.get("Vary")).toBeNull();
  });

  it("gives identical bodies the same ETag and different bodies different ones", async () => {
    const { app, state, store } = fixtureApp();
    const first = (await get(app, "/things")).headers.get("ETag");
    expect((await get(app, "/things")).headers.get("ETag")).toBe(first);
    state.things = [{ id: 1, name: "Granny square blanket (blue)" }];
    await store.invalidate(["things"]);
    expect((await get(app, "/things")).headers.get("ETag")).not.toBe(first);
  });

  it("keeps an ETag the handler set itself", async () => {
    const { app } = fixtureApp();
    const response = await get(app, "/products/42");
    expect(response.headers.get("ETag")).toBe(OWN_ETAG);
    expect(response.headers.get("Cache-Control")).toBe(CACHE_CONTROL);
    expect(await response.json()).toEqual({ id: 42, version: 3 });
  });

  it("keeps a Cache-Control the handler chose for one answer", async () => {
    const { app } = fixtureApp();
    const response = await get(app, "/private");
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
  });

  it.each([
    ["/missing", 404],
    ["/refused", 403],
    ["/boom", 500],
  ])("leaves the error answer of %s untouched", async (path, status) => {
    const { app } = fixtureApp();
    const response = await get(app, path, { "If-None-Match": "*" });
    expect(response.status).toBe(status);
    expect(response.headers.get("Cache-Control")).toBeNull();
    expect(response.headers.get("ETag")).toBeNull();
  });

  it("passes a non-JSON body through as it streams, with Cache-Control and no ETag", async () => {
    const { app } = fixtureApp();
    const response = await get(app, "/pattern.txt");
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe(CACHE_CONTROL);
    expect(response.headers.get("ETag")).toBeNull();
    expect(await response.text()).toBe("row 1: chain 12");
  });

  it("sends the body even when the client sends credentials: the representation is the same for all", async () => {
    const { app } = fixtureApp();
    const response = await get(app, "/things", { Authorization: "Bearer x", Cookie: "session=y" });
    expect(response.headers.get("Cache-Control")).toBe(CACHE_CONTROL);
  });

  it("keeps the finished answer: a second request is a memory HIT with the same bytes", async () => {
    const { app, state, metrics } = fixtureApp();
    const first = await get(app, "/things");
    const firstBody = await first.text();
    expect(first.headers.get("X-Cache")).toBe("MISS");
    expect(first.headers.get("X-Cache-Tier")).toBe("none");
    const second = await get(app, "/things");
    expect(second.headers.get("X-Cache")).toBe("HIT");
    expect(second.headers.get("X-Cache-Tier")).toBe("memory");
    expect(second.headers.get("ETag")).toBe(first.headers.get("ETag"));
    expect(second.headers.get("Cache-Control")).toBe(CACHE_CONTROL);
    expect(second.headers.get("Content-Type")).toBe(first.headers.get("Content-Type"));
    expect(await second.text()).toBe(firstBody);
    expect(state.computed).toBe(1);
    expect(await lookups(metrics)).toEqual({ "none/miss": 1, "memory/hit": 1 });
    expect((await metrics.cacheFills.get()).values[0]?.value).toBe(1);
  });

  it("never keeps an answer that sets a cookie", async () => {
    const { app, state } = fixtureApp();
    await get(app, "/cookie");
    const again = await get(app, "/cookie");
    expect(again.headers.get("X-Cache")).toBe("MISS");
    expect(state.computed).toBe(2);
  });

  it("shares an entry between the same query in another order, not with another query", async () => {
    const { app, state } = fixtureApp();
    await get(app, "/things?b=1&a=2");
    expect((await get(app, "/things?a=2&b=1")).headers.get("X-Cache")).toBe("HIT");
    expect((await get(app, "/things?a=2&b=3")).headers.get("X-Cache")).toBe("MISS");
    expect(state.computed).toBe(2);
  });

  it("computes once for concurrent misses of one key", async () => {
    const { app, state } = fixtureApp();
    const { promise: gate, resolve: open } = openable();
    state.gate = gate;
    const pending = Array.from({ length: 20 }, () => get(app, "/things"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    open();
    const answers = await Promise.all(pending);
    expect(state.computed).toBe(1);
    const bodies = new Set(await Promise.all(answers.map((answer) => answer.text())));
    expect(bodies.size).toBe(1);
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
  });

  it("never serves an entry once its tag was invalidated, even one computed across the invalidation", async () => {
    const { app, state, store } = fixtureApp();
    const { promise: gate, resolve: open } = openable();
    state.gate = gate;
    // A read computes the old state, the write lands and invalidates, then the read finishes.
    const slowRead = get(app, "/things");
    await new Promise((resolve) => setTimeout(resolve, 10));
    state.things = [{ id: 2, name: "Sunflower coaster" }];
    await store.invalidate(["things"]);
    open();
    await slowRead;
    const after = await get(app, "/things");
    expect(after.headers.get("X-Cache")).toBe("MISS");
    expect(((await after.json()) as { data: unknown }).data).toEqual([{ id: 2, name: "Sunflower coaster" }]);
  });

  describe("past its lifetime", () => {
    const shortLived: OperationPolicy = { ...policy, cache: { ttl: 1, tags: ["things"] } };
    const expire = () => new Promise((resolve) => setTimeout(resolve, 1_050));

    it("is served STALE to others while one request refreshes it", async () => {
      const { app, state } = fixtureApp(shortLived);
      const original = await (await get(app, "/things")).text();
      await expire();
      const { promise: gate, resolve: open } = openable();
      state.gate = gate;
      state.things = [{ id: 3, name: "Bunny" }];
      const refreshing = get(app, "/things");
      await new Promise((resolve) => setTimeout(resolve, 10));
      const meanwhile = await get(app, "/things");
      expect(meanwhile.headers.get("X-Cache")).toBe("STALE");
      expect(await meanwhile.text()).toBe(original);
      open();
      const refreshed = await refreshing;
      expect(refreshed.headers.get("X-Cache")).toBe("MISS");
      expect(((await refreshed.json()) as { data: unknown }).data).toEqual([{ id: 3, name: "Bunny" }]);
      expect(state.computed).toBe(2);
      expect((await get(app, "/things")).headers.get("X-Cache")).toBe("HIT");
    });

    it("stands in for a refresh that fails", async () => {
      const { app, state } = fixtureApp(shortLived);
      const original = await (await get(app, "/things")).text();
      await expire();
      state.things = Array.from({ length: 6 }, (_, id) => ({ id, name: "Too many" }));
      const answer = await get(app, "/things");
      expect(answer.status).toBe(200);
      expect(answer.headers.get("X-Cache")).toBe("STALE");
      expect(await answer.text()).toBe(original);
    });
  });

  describe("If-None-Match", () => {
    async function currentEtag(app: Hono<AppEnv>, path: string): Promise<string> {
      return (await get(app, path)).headers.get("ETag") as string;
    }

    it.each([
      ["the exact tag", (etag: string) => etag],
      ["its weak form", (etag: string) => `W/${etag}`],
      ["a list holding it", (etag: string) => `"other", W/"x,y" ,, ${etag}`],
      ["*", () => "*"],
    ])("answers 304 to %s", async (_, header) => {
      const { app } = fixtureApp();
      const etag = await currentEtag(app, "/things");
      const response = await get(app, "/things", { "If-None-Match": header(etag), "X-Request-Id": "req-1" });
      expect(response.status).toBe(304);
      expect(await response.text()).toBe("");
      expect(response.headers.get("ETag")).toBe(etag);
      expect(response.headers.get("Cache-Control")).toBe(CACHE_CONTROL);
      expect(response.headers.get("X-Request-Id")).toBe("req-1");
      expect(response.headers.get("Content-Type")).toBeNull();
      expect(response.headers.get("Content-Length")).toBeNull();
    });

    it("drops the metadata of the body it does not send", async () => {
      const { app } = fixtureApp();
      const etag = await currentEtag(app, "/sized");
      const response = await get(app, "/sized", { "If-None-Match": etag });
      expect(response.status).toBe(304);
      expect(response.headers.get("Content-Length")).toBeNull();
      expect(response.headers.get("Content-Language")).toBeNull();
      expect(response.headers.get("ETag")).toBe(etag);
    });

    it("answers 304 against a handler's own tag", async () => {
      const { app } = fixtureApp();
      const response = await get(app, "/products/42", { "If-None-Match": `W/${OWN_ETAG}` });
      expect(response.status).toBe(304);
      expect(response.headers.get("ETag")).toBe(OWN_ETAG);
    });

    it.each([
      ["another tag", '"something-else"'],
      ["a list without it", '"a", W/"b"'],
      ["an unquoted value", "42-3"],
      ["an unreadable header", '"42-3" garbage'],
    ])("answers 200 with the body to %s", async (_, header) => {
      const { app } = fixtureApp();
      const response = await get(app, "/products/42", { "If-None-Match": header });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ id: 42, version: 3 });
    });

    it("answers 200 again once the body changed", async () => {
      const { app, state, store } = fixtureApp();
      const etag = await currentEtag(app, "/things");
      state.things = [];
      await store.invalidate(["things"]);
      const response = await get(app, "/things", { "If-None-Match": etag });
      expect(response.status).toBe(200);
      expect(response.headers.get("ETag")).not.toBe(etag);
    });
  });

  describe("HEAD", () => {
    it("sends the GET's headers, ETag included, without a body", async () => {
      const { app } = fixtureApp();
      const etag = (await get(app, "/things")).headers.get("ETag");
      const response = await app.request("/things", { method: "HEAD" });
      expect(response.status).toBe(200);
      expect(response.headers.get("ETag")).toBe(etag);
      expect(response.headers.get("Cache-Control")).toBe(CACHE_CONTROL);
      expect(await response.text()).toBe("");
    });

    it("answers 304 to a matching If-None-Match", async () => {
      const { app } = fixtureApp();
      const etag = (await get(app, "/things")).headers.get("ETag") as string;
      const response = await app.request("/things", { method: "HEAD", headers: { "If-None-Match": etag } });
      expect(response.status).toBe(304);
    });
  });
});

describe("entity tags", () => {
  it("parses lists on quoted strings, commas inside tags included", () => {
    expect(parseEntityTagList(' "a" , W/"b,c",,"" ')).toEqual([
      { weak: false, opaque: '"a"' },
      { weak: true, opaque: '"b,c"' },
      { weak: false, opaque: '""' },
    ]);
    expect(parseEntityTagList("*")).toBe("*");
    expect(parseEntityTagList("")).toEqual([]);
  });

  it.each(["a", '"a" "b"', '"a", *', 'w/"a"', '"a'])("refuses the malformed list %s", (header) => {
    expect(parseEntityTagList(header)).toBeUndefined();
  });

  it("compares weakly for If-None-Match", () => {
    expect(ifNoneMatchSatisfied(undefined, '"a"')).toBe(true);
    expect(ifNoneMatchSatisfied('"a"', '"a"')).toBe(false);
    expect(ifNoneMatchSatisfied('W/"a"', '"a"')).toBe(false);
    expect(ifNoneMatchSatisfied('"a"', 'W/"a"')).toBe(false);
    expect(ifNoneMatchSatisfied('"b"', '"a"')).toBe(true);
    expect(ifNoneMatchSatisfied('"a"', undefined)).toBe(true);
    expect(ifNoneMatchSatisfied("*", undefined)).toBe(false);
  });

  it("reads If-Match as the versions of one resource it accepts, strongly: a weak tag accepts none", () => {
    expect(versionEtag(42, 3)).toBe('"42-3"');
    expect(versionsInIfMatch(undefined, 42)).toBeUndefined();
    expect(versionsInIfMatch('"42-3"', 42)).toEqual([3]);
    expect(versionsInIfMatch('"1-1", "42-3",  "42-7"', 42)).toEqual([3, 7]);
    expect(versionsInIfMatch("*", 42)).toBe("any");
    expect(versionsInIfMatch('W/"42-3"', 42)).toEqual([]);
    expect(versionsInIfMatch('"42-3"', 4)).toEqual([]);
    expect(versionsInIfMatch('"142-3"', 42)).toEqual([]);
    expect(versionsInIfMatch("42-3", 42)).toEqual([]);
    expect(versionsInIfMatch('"42-x"', 42)).toEqual([]);
  });

  it("hashes bytes and text alike, to a quoted 22-character tag", () => {
    const text = '{"id":1}';
    expect(bodyEtag(text)).toBe(bodyEtag(new TextEncoder().encode(text)));
    expect(bodyEtag(text)).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect(bodyEtag(text)).not.toBe(bodyEtag('{"id":2}'));
  });
});
