import { and, eq, isNull, type SQL, sql } from "drizzle-orm";
import { products } from "../../../../db/schema/index.ts";
import type { Db } from "../../../platform/db.ts";
import { DomainError } from "../../errors.ts";
import type { Audience } from "./listing.ts";
import type { ImageUrlOf, VersionedProduct } from "./model.ts";
import { preparedPerDb, prepareNamed } from "./prepared.ts";
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

const byId = preparedPerDb(
  (audience: Audience) => audience,
  (db, audience) =>
    prepareNamed(selectProducts(db).where(and(eq(products.id, sql.placeholder("id")), visibleTo(audience)))),
);

const bySlug = preparedPerDb(
  (audience: Audience) => audience,
  (db, audience) =>
    prepareNamed(
      selectProducts(db).where(and(eq(products.slug, sql.placeholder("slug")), visibleTo(audience))),
    ),
);

export async function getProduct(
  deps: ReadingDeps,
  id: number,
  audience: Audience,
): Promise<VersionedProduct> {
  const [record] = await byId(deps.db, audience).execute({ id });
  if (!record) throw new DomainError("not_found", `No product with id ${id}`);
  return versioned(record, deps.imageUrlOf);
}

export async function getProductBySlug(deps: ReadingDeps, slug: string): Promise<VersionedProduct> {
  const [record] = await bySlug(deps.db, "shop").execute({ slug });
  if (!record) throw new DomainError("not_found", `No product with slug '${slug}'`);
  return versioned(record, deps.imageUrlOf);
}
