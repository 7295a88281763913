import type { Handlers } from "../../generated/server";
import * as inventory from "../domain/catalog/inventory";
import * as editing from "../domain/catalog/products/editing";
import { listProducts } from "../domain/catalog/products/listing";
import { getProduct, getProductBySlug } from "../domain/catalog/products/reading";
import { callerOf } from "../http/authenticate";
import type { AppEnv } from "../http/env";
import { ifMatchSatisfied } from "../http/etag";
import type { CatalogDeps } from "./catalog-deps";

type ProductHandlers = Pick<
  Handlers<AppEnv>,
  | "listProducts"
  | "getProduct"
  | "getProductBySlug"
  | "createProduct"
  | "updateProduct"
  | "deleteProduct"
  | "adjustStock"
  | "listStockAdjustments"
>;

export function productHandlers(deps: CatalogDeps): ProductHandlers {
  return {
    listProducts: async (c) => {
      const { limit, cursor, sort, tag, ...filters } = c.req.valid("query");
      return c.json(
        await listProducts(deps, {
          audience: "shop",
          limit,
          cursor,
          sort,
          filters: { ...filters, tags: tag },
        }),
        200,
      );
    },
    getProduct: async (c) => {
      const { product, etag } = await getProduct(deps, c.req.valid("param").id, "shop");
      return c.json(product, 200, { ETag: etag });
    },
    getProductBySlug: async (c) => {
      const { product, etag } = await getProductBySlug(deps, c.req.valid("param").slug);
      return c.json(product, 200, { ETag: etag });
    },
    createProduct: async (c) => {
      const { product, etag } = await editing.createProduct(deps, c.req.valid("json"), callerOf(c).userId);
      return c.json(product, 201, { ETag: etag, Location: `/api/products/${product.id}` });
    },
    updateProduct: async (c) => {
      const { id } = c.req.valid("param");
      const ifMatch = c.req.valid("header")["if-match"];
      const { product, etag } = await editing.updateProduct(
        deps,
        id,
        ifMatch,
        c.req.valid("json"),
        ifMatchSatisfied,
      );
      return c.json(product, 200, { ETag: etag });
    },
    deleteProduct: async (c) => {
      const { id } = c.req.valid("param");
      await editing.deleteProduct(deps, id, c.req.valid("header")["if-match"], ifMatchSatisfied);
      return c.body(null, 204);
    },
    adjustStock: async (c) => {
      const entry = await inventory.adjustStock(
        deps,
        c.req.valid("param").id,
        c.req.valid("json"),
        callerOf(c).userId,
      );
      return c.json(entry, 201);
    },
    listStockAdjustments: async (c) => {
      const { limit, cursor } = c.req.valid("query");
      return c.json(
        await inventory.listStockAdjustments(deps, c.req.valid("param").id, { limit, cursor }),
        200,
      );
    },
  };
}
