import { randomUUID } from "node:crypto";
import { once } from "node:events";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expandTagTemplates,
  recordingInvalidator,
  tagVersionInvalidator,
} from "../../../src/platform/cache/invalidation";
import { createMemoryStore } from "../../../src/platform/cache/memory";
import { createRedisStore } from "../../../src/platform/cache/redis";
import type { CacheStore } from "../../../src/platform/cache/store";
import { createLogger } from "../../../src/platform/logger";
import { connectRedis } from "../../../src/platform/redis";

const REDIS_URL = process.env.REDIS_URL;

const TAGS = ["products", "product:42", "product:43", "categories", "inventory", "prices"];

async function versions(invalidator: { versionOf(tag: string): Promise<string> }) {
  return Object.fromEntries(
    await Promise.all(TAGS.map(async (tag) => [tag, await invalidator.versionOf(tag)])),
  );
}

function versionBehaviour(storeOf: () => CacheStore) {
  it('reads "0" for a tag never invalidated', async () => {
    const invalidator = tagVersionInvalidator(storeOf(), { prefix: `t:${randomUUID()}:` });
    expect(await invalidator.versionOf("products")).toBe("0");
  });

  it("changes the version of exactly the tags invalidated", async () => {
    const invalidator = tagVersionInvalidator(storeOf(), { prefix: `t:${randomUUID()}:` });
    await invalidator.invalidate(["categories"]);
    const before = await versions(invalidator);
    await invalidator.invalidate(["products", "product:42"]);
    const after = await versions(invalidator);
    const changed = TAGS.filter((tag) => before[tag] !== after[tag]);
    expect(changed).toEqual(["products", "product:42"]);
    expect(after["product:42"]).not.toBe("0");
  });

  it("gives every invalidation a new version", async () => {
    const invalidator = tagVersionInvalidator(storeOf(), { prefix: `t:${randomUUID()}:` });
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      await invalidator.invalidate(["prices"]);
      seen.add(await invalidator.versionOf("prices"));
    }
    expect(seen.size).toBe(20);
  });

  it("shares versions between instances on the same store and prefix, not across prefixes", async () => {
    const prefix = `t:${randomUUID()}:`;
    const one = tagVersionInvalidator(storeOf(), { prefix });
    const two = tagVersionInvalidator(storeOf(), { prefix });
    const elsewhere = tagVersionInvalidator(storeOf(), { prefix: `t:${randomUUID()}:` });
    await one.invalidate(["inventory"]);
    expect(await two.versionOf("inventory")).toBe(await one.versionOf("inventory"));
    expect(await elsewhere.versionOf("inventory")).toBe("0");
  });
}

describe("tag versions in the in-process store", () => {
  const store = createMemoryStore();
  versionBehaviour(() => store);
});

describe.skipIf(!REDIS_URL)("tag versions in Redis (REDIS_URL)", () => {
  const keyPrefix = `test:${randomUUID()}:`;
  let redis: Redis;
  let store: CacheStore;
  beforeAll(async () => {
    redis = connectRedis(REDIS_URL as string, { keyPrefix });
    // connectRedis fails fast instead of queueing, so the connection must be ready before use.
    if (redis.status !== "ready") await once(redis, "ready");
    store = createRedisStore(redis);
  });
  afterAll(async () => {
    // keyPrefix does not apply to SCAN patterns; clean up with the full names.
    const plain = connectRedis(REDIS_URL as string);
    if (plain.status !== "ready") await once(plain, "ready");
    const keys = await plain.keys(`${keyPrefix}*`);
    if (keys.length > 0) await plain.del(...keys);
    plain.disconnect();
    redis.disconnect();
  });
  versionBehaviour(() => store);

  it("keeps a version key for days, not forever", async () => {
    const prefix = `t:${randomUUID()}:`;
    await tagVersionInvalidator(store, { prefix }).invalidate(["products"]);
    const ttl = await redis.ttl(`${prefix}products`);
    expect(ttl).toBeGreaterThan(6 * 24 * 60 * 60);
    expect(ttl).toBeLessThanOrEqual(7 * 24 * 60 * 60);
  });
});

describe("a failing store", () => {
  const broken: CacheStore = {
    kind: "redis",
    get: () => Promise.reject(new Error("redis down")),
    set: () => Promise.reject(new Error("redis down")),
    delete: () => Promise.reject(new Error("redis down")),
    ping: () => Promise.reject(new Error("redis down")),
    close: async () => {},
  };
  const throwing: CacheStore = {
    ...broken,
    set: () => {
      throw new Error("not even a promise");
    },
  };

  it.each([
    ["rejects", broken],
    ["throws", throwing],
  ])("does not make invalidate throw when the store %s, and logs it", async (_, store) => {
    const warnings: object[] = [];
    const announced: (readonly string[])[] = [];
    const invalidator = tagVersionInvalidator(store, {
      logger: { warn: (details) => warnings.push(details) },
      onAnnounce: (tags) => announced.push(tags),
    });
    await expect(invalidator.invalidate(["products", "product:42"])).resolves.toBeUndefined();
    expect(warnings).toHaveLength(2);
    expect(announced).toEqual([["products", "product:42"]]);
  });

  it("answers versionOf with a version nothing was cached under, so lookups miss", async () => {
    const invalidator = tagVersionInvalidator(broken, { logger: { warn: () => {} } });
    const first = await invalidator.versionOf("products");
    const second = await invalidator.versionOf("products");
    expect(first).not.toBe("0");
    expect(first).not.toBe(second);
  });

  it("survives a listener that throws", async () => {
    const invalidator = tagVersionInvalidator(createMemoryStore(), {
      logger: createLogger("silent"),
      onAnnounce: () => {
        throw new Error("metrics down");
      },
    });
    await invalidator.invalidate(["prices"]);
    expect(await invalidator.versionOf("prices")).not.toBe("0");
  });
});

describe("announcements", () => {
  it("announces each tag once per call, and nothing for an empty call", async () => {
    const announced: (readonly string[])[] = [];
    const invalidator = tagVersionInvalidator(createMemoryStore(), {
      onAnnounce: (tags) => announced.push(tags),
    });
    await invalidator.invalidate(["products", "product:42", "products"]);
    await invalidator.invalidate([]);
    expect(announced).toEqual([["products", "product:42"]]);
  });

  it("records every call for tests", async () => {
    const recorder = recordingInvalidator();
    await recorder.invalidate(["products", "product:42"]);
    await recorder.invalidate(["categories"]);
    expect(recorder.announced).toEqual([["products", "product:42"], ["categories"]]);
  });
});

describe("expandTagTemplates", () => {
  it("fills the parameters of the contract's templates", () => {
    expect(
      expandTagTemplates(["products", "product:{id}", "category:{slug}:page:{page}"], {
        id: 42,
        slug: "amigurumi",
        page: "2",
      }),
    ).toEqual(["products", "product:42", "category:amigurumi:page:2"]);
  });

  it("throws when a parameter is missing, naming it", () => {
    expect(() => expandTagTemplates(["product:{id}"], { slug: "x" })).toThrow(/product:\{id\}.*"id"/);
    expect(() => expandTagTemplates(["product:{constructor}"], {})).toThrow(/"constructor"/);
  });
});
