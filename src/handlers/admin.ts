import type { Handlers } from "../../generated/server";
import { listUsers } from "../domain/accounts/directory";
import { listProducts } from "../domain/catalog/products/listing";
import { getProduct } from "../domain/catalog/products/reading";
import type { AppEnv } from "../http/env";
import { versionEtag } from "../http/version-etag";
import type { CatalogDeps } from "./catalog-deps";

export function adminHandlers(
  deps: CatalogDeps,
): Pick<Handlers<AppEnv>, "listUsers" | "listAdminProducts" | "getAdminProduct"> {
  return {
    listUsers: async (c) => c.json(await listUsers(deps, c.req.valid("query")), 200),
    listAdminProducts: async (c) => {
      const { limit, cursor, ...filters } = c.req.valid("query");
      return c.json(await listProducts(deps, { audience: "staff", limit, cursor, filters }), 200);
    },
    getAdminProduct: async (c) => {
      const { product, version } = await getProduct(deps, c.req.valid("param").id, "staff");
      return c.json(product, 200, { ETag: versionEtag(product.id, version) });
    },
  };
}
