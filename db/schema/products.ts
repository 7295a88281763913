import { type SQL, sql } from "drizzle-orm";
import {
  check,
  customType,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { categories } from "./categories.ts";

export const productStatuses = ["draft", "active", "archived"] as const;
export type ProductStatus = (typeof productStatuses)[number];

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/**
 * Name outweighs tags, tags outweigh the description (weights A, B, C), so `ts_rank` puts a
 * product named "Granny Square Blanket" above one that only mentions blankets in its text.
 */
const searchVector = (table: { name: unknown; tags: unknown; description: unknown }): SQL => sql`
  setweight(to_tsvector('english'::regconfig, ${table.name}), 'A') ||
  setweight(to_tsvector('english'::regconfig, catalog_tags_text(${table.tags})), 'B') ||
  setweight(to_tsvector('english'::regconfig, ${table.description}), 'C')`;

export const products = pgTable(
  "products",
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    slug: text().notNull(),
    name: text().notNull(),
    description: text().notNull().default(""),
    priceCents: integer("price_cents").notNull(),
    currency: text().notNull().default("EUR"),
    compareAtCents: integer("compare_at_cents"),
    stock: integer().notNull().default(0),
    tags: text().array().notNull().default(sql`'{}'::text[]`),
    categoryId: integer("category_id")
      .notNull()
      .references(() => categories.id),
    status: text().$type<ProductStatus>().notNull().default("draft"),
    // Bumped by every change; the ETag is built from it, so If-Match can refuse a stale edit.
    version: integer().notNull().default(1),
    searchVector: tsvector("search_vector")
      .notNull()
      .generatedAlwaysAs((): SQL => searchVector(products)),
    // What the trigram fallback compares a misspelt query with: the name and the tags.
    searchText: text("search_text")
      .notNull()
      .generatedAlwaysAs((): SQL => sql`${products.name} || ' ' || catalog_tags_text(${products.tags})`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (table) => [
    // A deleted product frees its slug; the record stays for the orders that refer to it.
    uniqueIndex("products_slug_live_key").on(table.slug).where(sql`${table.deletedAt} is null`),
    index("products_category_id_idx").on(table.categoryId),
    index("products_created_at_id_idx").on(table.createdAt, table.id),
    index("products_price_id_idx").on(table.priceCents, table.id),
    index("products_search_vector_idx").using("gin", table.searchVector),
    index("products_search_text_trgm_idx").using("gin", table.searchText.op("gin_trgm_ops")),
    index("products_tags_idx").using("gin", table.tags),
    check("products_status_check", sql`${table.status} in ('draft', 'active', 'archived')`),
    check("products_stock_check", sql`${table.stock} >= 0`),
    check("products_price_check", sql`${table.priceCents} >= 0`),
    check(
      "products_compare_at_check",
      sql`${table.compareAtCents} is null or ${table.compareAtCents} > ${table.priceCents}`,
    ),
  ],
);

export type ProductRow = typeof products.$inferSelect;
export type NewProductRow = typeof products.$inferInsert;
