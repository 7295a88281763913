import type { Handlers } from "../../generated/server";
import { listCategoryTree } from "../domain/catalog/categories";
import type { AppEnv } from "../http/env";
import type { Db } from "../platform/db";

export function categoryHandlers(deps: { db: Db }): Pick<Handlers<AppEnv>, "listCategories"> {
  return {
    listCategories: async (c) => {
      const { depth, includeEmpty } = c.req.valid("query");
      return c.json({ data: await listCategoryTree(deps.db, { depth, includeEmpty }) }, 200);
    },
  };
}
