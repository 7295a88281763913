import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { products } from "./products.ts";

/** A product photo; its three WebP files are named after `id` in the image storage. */
export const productImages = pgTable(
  "product_images",
  {
    id: text().primaryKey(),
    productId: integer("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    position: integer().notNull(),
    alt: text().notNull().default(""),
    width: integer().notNull(),
    height: integer().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("product_images_product_id_position_idx").on(table.productId, table.position)],
);

export type ProductImageRow = typeof productImages.$inferSelect;
