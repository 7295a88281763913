import { seedCategories as categoryData } from "./data/categories.ts";

/** A category as it is written to the database: the parent by id. Ids are stable. */
export interface SeedCategory {
  id: number;
  slug: string;
  name: string;
  parentId: number | null;
  /** Order among siblings (smaller first). */
  position: number;
}

const idBySlug = new Map(categoryData.map((category) => [category.slug, category.id]));

export const seedCategories: readonly SeedCategory[] = categoryData.map(({ parentSlug, ...category }) => {
  const parentId = parentSlug === null ? null : idBySlug.get(parentSlug);
  if (parentId === undefined)
    throw new Error(`seed category '${category.slug}' names unknown parent '${parentSlug}'`);
  return { ...category, parentId };
});
