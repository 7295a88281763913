import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { products } from "../../../db/schema/index.ts";
import { seedCategories } from "../../../db/seed/categories.ts";
import { createTestApp, type TestApp } from "../../support/app";

interface Node {
  id: number;
  slug: string;
  parentId: number | null;
  productCount: number;
  children: Node[];
}

const flatten = (nodes: Node[]): Node[] => nodes.flatMap((node) => [node, ...flatten(node.children)]);

describe("GET /api/categories", () => {
  let api: TestApp;
  const animals = seedCategories.find((c) => c.parentId !== null) as (typeof seedCategories)[number];

  beforeAll(async () => {
    api = await createTestApp();
    await api.database.db.insert(products).values([
      { slug: "fox-amigurumi", name: "Fox", categoryId: animals.id, priceCents: 1500, status: "active" },
      { slug: "owl-amigurumi", name: "Owl", categoryId: animals.id, priceCents: 1500, status: "active" },
      { slug: "draft-bear", name: "Bear", categoryId: animals.id, priceCents: 1500, status: "draft" },
    ]);
  });
  afterAll(async () => {
    await api.close();
  });

  it("returns the seeded tree with every category once", async () => {
    const response = await api.request("/api/categories");
    expect(response.status).toBe(200);
    const all = flatten(response.body.data);
    expect(all.map((c) => c.id).sort((a, b) => a - b)).toEqual(
      seedCategories.map((c) => c.id).sort((a, b) => a - b),
    );
    for (const node of all) for (const child of node.children) expect(child.parentId).toBe(node.id);
  });

  it("counts products on sale in a category and its ancestors", async () => {
    const all = flatten((await api.request("/api/categories")).body.data);
    expect(all.find((c) => c.id === animals.id)?.productCount).toBe(2);
    expect(all.find((c) => c.id === animals.parentId)?.productCount).toBe(2);
  });

  it("cuts the tree at the requested depth", async () => {
    const roots = (await api.request("/api/categories?depth=1")).body.data as Node[];
    expect(roots.map((r) => r.id).sort()).toEqual(
      seedCategories
        .filter((c) => c.parentId === null)
        .map((c) => c.id)
        .sort(),
    );
    for (const root of roots) expect(root.children).toEqual([]);
  });

  it("hides empty categories when asked, and treats includeEmpty=false as false", async () => {
    const all = flatten((await api.request("/api/categories?includeEmpty=false")).body.data);
    expect(all.map((c) => c.id).sort()).toEqual([animals.parentId, animals.id].sort());
    const everything = flatten((await api.request("/api/categories?includeEmpty=true")).body.data);
    expect(everything).toHaveLength(seedCategories.length);
  });

  it.each([
    ["depth=0", "depth"],
    ["depth=6", "depth"],
    ["depth=1.5", "depth"],
    ["depth=abc", "depth"],
    ["depth=", "depth"],
    ["includeEmpty=1", "includeEmpty"],
    ["includeEmpty=", "includeEmpty"],
  ])("refuses ?%s with a 400 naming %s", async (query, field) => {
    const response = await api.request(`/api/categories?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
  });
});
