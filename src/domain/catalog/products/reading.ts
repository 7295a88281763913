import { and, eq, isNull, type SQL } from "drizzle-orm";
import { products } from "../../../../db/schema/index.ts";
import type { Db } from "../../../platform/db.ts";
import { DomainError } from "../../errors.ts";
import type { Audience } from "./listing.ts";
import type { ImageUrlOf, VersionedProduct } from "./model.ts";
import { selectProducts, versioned } from "./rows.ts";

export interface ReadingDeps {
  db: Db;
  imageUrlOf: ImageUrlOf;
}

/** Drafts and archived products are not for customers: to them, they do not exist. */
export function visibleTo(audience: Audience): SQL | undefined {
  return audience === "shop"
    ? and(isNull(products.deletedAt), eq(products.status, "active"))
    : isNull(products.deletedAt);
}

export async function getProduct(
  deps: ReadingDeps,
  id: number,
  audience: Audience,
): Promise<VersionedProduct> {
  const [record] = await selectProducts(deps.db).where(and(eq(products.id, id), visibleTo(audience)));
  if (!record) throw new DomainError("not_found", `No product with id ${id}`);
  return versioned(deps.db, record, deps.imageUrlOf);
}

export async function getProductBySlug(deps: ReadingDeps, slug: string): Promise<VersionedProduct> {
  const [record] = await selectProducts(deps.db).where(and(eq(products.slug, slug), visibleTo("shop")));
  if (!record) throw new DomainError("not_found", `No product with slug '${slug}'`);
  return versioned(deps.db, record, deps.imageUrlOf);
}
