/** A category as the seed defines it. Ids are stable: links, fixtures and tests refer to them. */
export interface SeedCategory {
  id: number;
  slug: string;
  name: string;
  parentId: number | null;
  /** Order among siblings (smaller first). */
  position: number;
}

export const seedCategories: readonly SeedCategory[] = [
  { id: 1, slug: "amigurumi", name: "Amigurumi", parentId: null, position: 1 },
  { id: 2, slug: "amigurumi-animals", name: "Animals", parentId: 1, position: 1 },
  { id: 3, slug: "amigurumi-food-and-plants", name: "Food & Plants", parentId: 1, position: 2 },
  { id: 4, slug: "amigurumi-fantasy-creatures", name: "Fantasy Creatures", parentId: 1, position: 3 },

  { id: 5, slug: "home", name: "Home", parentId: null, position: 2 },
  { id: 6, slug: "home-blankets", name: "Blankets", parentId: 5, position: 1 },
  { id: 7, slug: "home-cushions", name: "Cushions", parentId: 5, position: 2 },
  { id: 8, slug: "home-baskets-and-storage", name: "Baskets & Storage", parentId: 5, position: 3 },

  { id: 9, slug: "wearables", name: "Wearables", parentId: null, position: 3 },
  { id: 10, slug: "wearables-hats", name: "Hats", parentId: 9, position: 1 },
  { id: 11, slug: "wearables-scarves", name: "Scarves", parentId: 9, position: 2 },
  { id: 12, slug: "wearables-bags", name: "Bags", parentId: 9, position: 3 },

  { id: 13, slug: "patterns", name: "Patterns", parentId: null, position: 4 },

  { id: 14, slug: "yarn-kits", name: "Yarn Kits", parentId: null, position: 5 },
  { id: 15, slug: "yarn-kits-beginner", name: "Beginner Kits", parentId: 14, position: 1 },
  { id: 16, slug: "yarn-kits-amigurumi", name: "Amigurumi Kits", parentId: 14, position: 2 },
];
