import { and, asc, desc, eq, gte, inArray, isNull, lte, type Placeholder, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { categories, products } from "../../../../db/schema/index.ts";
import type { Db } from "../../../platform/db.ts";
import { type CursorCodec, invalidCursor } from "../../pagination/signed-cursor.ts";
import type { ImageUrlOf, Product, ProductStatus } from "./model.ts";
import { preparedPerDb, prepareNamed } from "./prepared.ts";
import { productColumns, toProduct } from "./rows.ts";
import { normaliseQuery, searchTerms } from "./search.ts";

export const productSorts = ["newest", "price_asc", "price_desc", "name", "relevance"] as const;
export type ProductSort = (typeof productSorts)[number];

export interface ProductFilters {
  q?: string;
  category?: string;
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
  tags?: string[];
  status?: ProductStatus;
}

/** Who is looking: customers see products on sale; staff see every product not deleted. */
export type Audience = "shop" | "staff";

export interface ListProductsRequest {
  audience: Audience;
  limit: number;
  cursor?: string;
  sort?: ProductSort;
  filters: ProductFilters;
}

export interface ProductPage {
  data: Product[];
  nextCursor: string | null;
}

export interface ListingDeps {
  db: Db;
  cursors: CursorCodec;
  imageUrlOf: ImageUrlOf;
}

const Filters = z.strictObject({
  q: z.string().optional(),
  category: z.string().optional(),
  minPrice: z.int().optional(),
  maxPrice: z.int().optional(),
  inStock: z.boolean().optional(),
  tags: z.array(z.string()).optional(),
  status: z.enum(["draft", "active", "archived"]).optional(),
});
// The key of the last product shown, in the order of the sort: enough to resume after it.
const Position = z.strictObject({
  audience: z.enum(["shop", "staff"]),
  sort: z.enum(productSorts),
  filters: Filters,
  after: z.strictObject({ id: z.int(), key: z.union([z.string(), z.number()]), rank: z.number().optional() }),
});
type Position = z.infer<typeof Position>;

/**
 * One page of products. Keyset pagination (never OFFSET): each page resumes strictly after the
 * last product of the previous one in a total order ending in the id, so inserts and deletes
 * elsewhere never make a product appear twice or vanish from the pages still to come.
 */
export async function listProducts(deps: ListingDeps, request: ListProductsRequest): Promise<ProductPage> {
  const resumed = request.cursor ? resume(deps.cursors, request) : undefined;
  const filters = resumed?.filters ?? normaliseFilters(request.filters);
  const sort = resolveSort(resumed?.sort ?? request.sort, filters.q);
  const shape = shapeOf(request.audience, sort, filters, resumed !== undefined);
  const rows = await pageQuery(deps.db, shape).execute({
    status: filters.status,
    category: filters.category,
    minPrice: filters.minPrice,
    maxPrice: filters.maxPrice,
    tags: filters.tags,
    q: filters.q,
    afterKey: resumed?.after.key,
    afterId: resumed?.after.id,
    afterRank: resumed?.after.rank ?? 0,
    limit: request.limit + 1,
  });

  const page = rows.slice(0, request.limit);
  const data = page.map((record) => toProduct(record, deps.imageUrlOf));
  const last = page.at(-1);
  const lastId = data.at(-1)?.id;
  const nextCursor =
    rows.length > request.limit && last && lastId !== undefined
      ? deps.cursors.encode({
          audience: request.audience,
          sort,
          filters,
          after: { id: lastId, key: last.sortKey, ...(filters.q ? { rank: last.rank } : {}) },
        } satisfies Position)
      : null;
  return { data, nextCursor };
}

/**
 * What decides the text of the page query: who is looking, the order, whether it resumes after a
 * cursor, which filters are set and (being two different conditions) whether in or out of stock.
 * The filters' values travel as parameters.
 */
interface QueryShape {
  audience: Audience;
  sort: ProductSort;
  resumed: boolean;
  filtered: (keyof ProductFilters)[];
  inStock: boolean | undefined;
}

const filterNames = ["q", "category", "minPrice", "maxPrice", "inStock", "tags", "status"] as const;

function shapeOf(
  audience: Audience,
  sort: ProductSort,
  filters: ProductFilters,
  resumed: boolean,
): QueryShape {
  const filtered = filterNames.filter((name) =>
    name === "tags" ? Boolean(filters.tags?.length) : filters[name] !== undefined,
  );
  return { audience, sort, resumed, filtered, inStock: filters.inStock };
}

const keyOf = (shape: QueryShape) =>
  JSON.stringify([shape.audience, shape.sort, shape.resumed, shape.filtered, shape.inStock ?? null]);

const param = {
  status: sql.placeholder("status"),
  category: sql.placeholder("category"),
  minPrice: sql.placeholder("minPrice"),
  maxPrice: sql.placeholder("maxPrice"),
  tags: sql.placeholder("tags"),
  q: sql.placeholder("q"),
  limit: sql.placeholder("limit"),
};

/** The page query of one shape, prepared once per database handle (see prepared.ts). */
const pageQuery = preparedPerDb(keyOf, (db, { audience, sort, resumed, filtered, inStock }: QueryShape) => {
  const has = new Set(filtered);
  const search = has.has("q") ? searchTerms(param.q) : undefined;
  const order = orderFor(sort, search?.rank);
  const conditions: (SQL | undefined)[] = [
    isNull(products.deletedAt),
    audience === "shop" ? eq(products.status, "active") : undefined,
    has.has("status") ? eq(products.status, param.status) : undefined,
    has.has("category") ? inArray(products.categoryId, descendantsOf(param.category)) : undefined,
    has.has("minPrice") ? gte(products.priceCents, param.minPrice) : undefined,
    has.has("maxPrice") ? lte(products.priceCents, param.maxPrice) : undefined,
    inStock === undefined ? undefined : inStock ? sql`${products.stock} > 0` : eq(products.stock, 0),
    has.has("tags") ? sql`${products.tags} @> ${param.tags}::text[]` : undefined,
    search?.matches,
    resumed ? order.after : undefined,
  ];
  return prepareNamed(
    db
      .select({ ...productColumns, sortKey: order.key, rank: search?.rank ?? sql<number>`0::float8` })
      .from(products)
      .innerJoin(categories, eq(products.categoryId, categories.id))
      .where(and(...conditions))
      .orderBy(...order.by)
      .limit(param.limit),
  );
});

/** Without words to rank by, "relevance" is the default order: newest first. */
function resolveSort(sort: ProductSort | undefined, q: string | undefined): ProductSort {
  if (q) return sort ?? "relevance";
  return !sort || sort === "relevance" ? "newest" : sort;
}

function normaliseFilters(filters: ProductFilters): ProductFilters {
  const q = normaliseQuery(filters.q);
  const tags = filters.tags?.length ? [...new Set(filters.tags)].sort() : undefined;
  const normalised: ProductFilters = { ...filters, q, tags };
  for (const key of Object.keys(normalised) as (keyof ProductFilters)[]) {
    if (normalised[key] === undefined) delete normalised[key];
  }
  return normalised;
}

/**
 * A cursor replays its own filters and sort. Sending it with different ones is a client bug
 * (a stale cursor after the user changed a filter), so it is refused rather than guessed at.
 */
function resume(cursors: CursorCodec, request: ListProductsRequest): Position {
  const position = cursors.decode(request.cursor ?? "", Position);
  const sent = normaliseFilters(request.filters);
  const sentAny = Object.keys(sent).length > 0 || request.sort !== undefined;
  if (position.audience !== request.audience) throw invalidCursor();
  if (
    sentAny &&
    (JSON.stringify(sent) !== JSON.stringify(position.filters) ||
      (request.sort !== undefined && resolveSort(request.sort, sent.q) !== position.sort))
  ) {
    throw invalidCursor(
      "The cursor belongs to a listing with other filters or another order; start from the first page",
    );
  }
  return position;
}

interface Order {
  /** The value stored in the cursor besides the id. */
  key: SQL<string | number>;
  by: SQL[];
  /** Strictly after the cursor's position: parameters afterKey, afterId (and afterRank). */
  after: SQL;
}

const after = {
  key: sql.placeholder("afterKey"),
  id: sql.placeholder("afterId"),
  rank: sql.placeholder("afterRank"),
};

function orderFor(sort: ProductSort, rank: SQL<number> | undefined): Order {
  // Timestamps travel as text: a JavaScript Date would drop PostgreSQL's microseconds and
  // make the keyset comparison skip or repeat rows created within the same millisecond.
  const createdAt = sql<string>`${products.createdAt}::text`;
  switch (sort) {
    case "price_asc":
      return {
        key: sql<number>`${products.priceCents}`,
        by: [asc(products.priceCents), asc(products.id)],
        after: sql`(${products.priceCents}, ${products.id}) > (${after.key}::int, ${after.id})`,
      };
    case "price_desc":
      return {
        key: sql<number>`${products.priceCents}`,
        by: [desc(products.priceCents), desc(products.id)],
        after: sql`(${products.priceCents}, ${products.id}) < (${after.key}::int, ${after.id})`,
      };
    case "name":
      return {
        key: sql<string>`${products.name}`,
        by: [asc(products.name), asc(products.id)],
        after: sql`(${products.name}, ${products.id}) > (${after.key}::text, ${after.id})`,
      };
    case "relevance":
      if (!rank) throw new Error("unreachable: relevance without a query resolves to newest");
      return {
        key: createdAt,
        by: [desc(rank), desc(products.createdAt), desc(products.id)],
        after: sql`(${rank}, ${products.createdAt}, ${products.id}) < (${after.rank}::float8, ${after.key}::timestamptz, ${after.id})`,
      };
    case "newest":
      return {
        key: createdAt,
        by: [desc(products.createdAt), desc(products.id)],
        after: sql`(${products.createdAt}, ${products.id}) < (${after.key}::timestamptz, ${after.id})`,
      };
  }
}

/** The category with this slug and every category below it. */
function descendantsOf(slug: Placeholder): SQL {
  return sql`(
    with recursive subtree(id) as (
      select ${categories.id} from ${categories} where ${categories.slug} = ${slug}
      union all
      select child.id from ${categories} child join subtree on child.parent_id = subtree.id
    )
    select id from subtree
  )`;
}
