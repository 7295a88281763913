import type { Handlers } from "../../generated/server";
import { listCategoryTree } from "../domain/catalog/categories";
import * as categories from "../domain/catalog/category-admin";
import type { AppEnv } from "../http/env";
import type { CatalogDeps } from "./catalog-deps";

type CategoryHandlers = Pick<
  Handlers<AppEnv>,
  "listCategories" | "getCategory" | "createCategory" | "updateCategory" | "deleteCategory"
>;

export function categoryHandlers(deps: CatalogDeps): CategoryHandlers {
  return {
    listCategories: async (c) => {
      const { depth, includeEmpty } = c.req.valid("query");
      return c.json({ data: await listCategoryTree(deps.db, { depth, includeEmpty }) }, 200);
    },
    getCategory: async (c) => c.json(await categories.getCategory(deps.db, c.req.valid("param").slug), 200),
    createCategory: async (c) => {
      const category = await categories.createCategory(deps, c.req.valid("json"));
      return c.json(category, 201, { Location: `/api/categories/${category.slug}` });
    },
    updateCategory: async (c) =>
      c.json(await categories.updateCategory(deps, c.req.valid("param").slug, c.req.valid("json")), 200),
    deleteCategory: async (c) => {
      await categories.deleteCategory(deps, c.req.valid("param").slug, c.req.valid("query").moveTo);
      return c.body(null, 204);
    },
  };
}
