import { describe, expect, it } from "vitest";
import {
  buildCategoryTree,
  type CategoryNode,
  type CategoryRecord,
} from "../../../src/domain/catalog/category-tree.ts";

const record = (id: number, name: string, parentId: number | null, position = 0): CategoryRecord => ({
  id,
  slug: name.toLowerCase().replaceAll(" ", "-"),
  name,
  parentId,
  position,
});

// Deliberately shuffled: the builder, not the input order, decides the output order.
const records: CategoryRecord[] = [
  record(6, "Blankets", 5, 1),
  record(2, "Animals", 1, 2),
  record(5, "Home", null, 2),
  record(3, "Food", 1, 1),
  record(7, "Tiny", 2, 0),
  record(1, "Amigurumi", null, 1),
  record(9, "Cushions", 5, 1),
  record(13, "Patterns", null, 2),
];

const shape = (nodes: CategoryNode[]): unknown =>
  nodes.map((node) => [node.name, node.productCount, shape(node.children)]);

describe("buildCategoryTree", () => {
  it("orders siblings by position, then by name", () => {
    const tree = buildCategoryTree(records, new Map());
    expect(tree.map((node) => node.name)).toEqual(["Amigurumi", "Home", "Patterns"]);
    expect(tree[0]?.children.map((node) => node.name)).toEqual(["Food", "Animals"]);
    expect(tree[1]?.children.map((node) => node.name)).toEqual(["Blankets", "Cushions"]);
  });

  it("rolls product counts up to every ancestor", () => {
    const counts = new Map([
      [7, 4],
      [2, 1],
      [1, 2],
      [9, 3],
    ]);
    expect(shape(buildCategoryTree(records, counts))).toEqual([
      [
        "Amigurumi",
        7,
        [
          ["Food", 0, []],
          ["Animals", 5, [["Tiny", 4, []]]],
        ],
      ],
      [
        "Home",
        3,
        [
          ["Blankets", 0, []],
          ["Cushions", 3, []],
        ],
      ],
      ["Patterns", 0, []],
    ]);
  });

  it("cuts at the requested depth but keeps the counts of the whole subtree", () => {
    const counts = new Map([[7, 4]]);
    expect(shape(buildCategoryTree(records, counts, { depth: 1 }))).toEqual([
      ["Amigurumi", 4, []],
      ["Home", 0, []],
      ["Patterns", 0, []],
    ]);
    const twoLevels = buildCategoryTree(records, counts, { depth: 2 });
    expect(twoLevels[0]?.children.find((node) => node.name === "Animals")).toMatchObject({
      productCount: 4,
      children: [],
    });
  });

  it("drops empty categories when asked, at every level", () => {
    const counts = new Map([
      [7, 4],
      [9, 1],
    ]);
    expect(shape(buildCategoryTree(records, counts, { includeEmpty: false }))).toEqual([
      ["Amigurumi", 4, [["Animals", 4, [["Tiny", 4, []]]]]],
      ["Home", 1, [["Cushions", 1, []]]],
    ]);
  });

  it("keeps the fields a client needs and nothing internal", () => {
    const [amigurumi] = buildCategoryTree(records, new Map(), { depth: 1 });
    expect(amigurumi).toEqual({
      id: 1,
      slug: "amigurumi",
      name: "Amigurumi",
      parentId: null,
      productCount: 0,
      children: [],
    });
  });

  it("returns an empty list for no categories", () => {
    expect(buildCategoryTree([], new Map())).toEqual([]);
  });

  it("rejects a depth that is not a positive integer", () => {
    expect(() => buildCategoryTree(records, new Map(), { depth: 0 })).toThrow(RangeError);
    expect(() => buildCategoryTree(records, new Map(), { depth: 1.5 })).toThrow(RangeError);
  });
});
