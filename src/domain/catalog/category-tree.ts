export interface CategoryNode {
  id: number;
  slug: string;
  name: string;
  parentId: number | null;
  /** Visible products in this category and all of its descendants. */
  productCount: number;
  children: CategoryNode[];
}

export interface CategoryRecord {
  id: number;
  slug: string;
  name: string;
  parentId: number | null;
  position: number;
}

export interface CategoryTreeOptions {
  /** Levels to return: 1 = roots only. Undefined = the whole tree. */
  depth?: number;
  /** Keep categories without any visible product (default true). */
  includeEmpty?: boolean;
}

interface Draft extends CategoryRecord {
  ownCount: number;
  totalCount: number;
  children: Draft[];
}

/**
 * Builds the ordered category tree from flat rows and per-category product counts.
 * Counts are rolled up before the depth cut, so a root shows the total of its whole subtree
 * even when its children are not returned.
 */
export function buildCategoryTree(
  records: readonly CategoryRecord[],
  productCounts: ReadonlyMap<number, number>,
  options: CategoryTreeOptions = {},
): CategoryNode[] {
  const { depth, includeEmpty = true } = options;
  if (depth !== undefined && !(Number.isInteger(depth) && depth >= 1)) {
    throw new RangeError(`depth must be a positive integer, got ${depth}`);
  }

  const drafts = new Map<number, Draft>();
  for (const record of records) {
    const ownCount = productCounts.get(record.id) ?? 0;
    drafts.set(record.id, { ...record, ownCount, totalCount: ownCount, children: [] });
  }
  const roots: Draft[] = [];
  for (const draft of drafts.values()) {
    const parent = draft.parentId === null ? undefined : drafts.get(draft.parentId);
    // The foreign key guarantees the parent exists; a missing one can only mean the caller
    // passed a partial list, and showing the orphan at the top beats losing it.
    (parent ? parent.children : roots).push(draft);
  }

  sortAndTotal(roots);
  return toNodes(roots, 1, depth ?? Number.POSITIVE_INFINITY, includeEmpty);
}

function sortAndTotal(siblings: Draft[]): void {
  siblings.sort(bySiblingOrder);
  for (const draft of siblings) {
    sortAndTotal(draft.children);
    for (const child of draft.children) draft.totalCount += child.totalCount;
  }
}

function bySiblingOrder(a: CategoryRecord, b: CategoryRecord): number {
  return a.position - b.position || a.name.localeCompare(b.name, "en") || a.id - b.id;
}

function toNodes(siblings: Draft[], level: number, maxDepth: number, includeEmpty: boolean): CategoryNode[] {
  return siblings
    .filter((draft) => includeEmpty || draft.totalCount > 0)
    .map((draft) => ({
      id: draft.id,
      slug: draft.slug,
      name: draft.name,
      parentId: draft.parentId,
      productCount: draft.totalCount,
      children: level < maxDepth ? toNodes(draft.children, level + 1, maxDepth, includeEmpty) : [],
    }));
}
