import type { Handlers } from "../../generated/server";
import * as inventory from "../domain/catalog/inventory";
import * as editing from "../domain/catalog/products/editing";
import { listProducts } from "../domain/catalog/products/listing";
import { getProduct, getProductBySlug } from "../domain/catalog/products/reading";
import { callerOf } from "../http/authenticate";
import type { AppEnv } from "../http/env";
import { versionEtag, versionsInIfMatch } from "../http/version-etag";
import type { CatalogDeps } from "./catalog-deps";

type ProductHandlers = Pick<
  Handlers<AppEnv>,
  | "listProducts"
  | "getProduct"
  | "getProductBySlug"
  | "createProduct"
  | "updateProduct"
  | "replaceProduct"
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
      const { product, version } = await getProduct(deps, c.req.valid("param").id, "shop");
      return c.json(product, 200, { ETag: versionEtag(product.id, version) });
    },
    getProductBySlug: async (c) => {
      const { product, version } = await getProductBySlug(deps, c.req.valid("param").slug);
      return c.json(product, 200, { ETag: versionEtag(product.id, version) });
    },
    createProduct: async (c) => {
      const { product, version } = await editing.createProduct(deps, c.req.valid("json"), callerOf(c).userId);
      return c.json(product, 201, {
        ETag: versionEtag(product.id, version),
        Location: `/api/products/${product.id}`,
      });
    },
    updateProduct: async (c) => {
      const { id } = c.req.valid("param");
      const expected = versionsInIfMatch(c.req.valid("header")["if-match"], id);
      const { product, version } = await editing.updateProduct(deps, id, expected, c.req.valid("json"));
      return c.json(product, 200, { ETag: versionEtag(id, version) });
    },
    replaceProduct: async (c) => {
      const { id } = c.req.valid("param");
      const expected = versionsInIfMatch(c.req.valid("header")["if-match"], id);
      const { product, version } = await editing.replaceProduct(deps, id, expected, c.req.valid("json"));
      return c.json(product, 200, { ETag: versionEtag(id, version) });
    },
    deleteProduct: async (c) => {
      const { id } = c.req.valid("param");
      await editing.deleteProduct(deps, id, versionsInIfMatch(c.req.valid("header")["if-match"], id));
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
