/** A category as the seed defines it; the parent is named by slug so the tree reads top-down. */
export interface SeedCategory {
  id: number;
  slug: string;
  name: string;
  parentSlug: string | null;
  /** Order among siblings (smaller first). */
  position: number;
}

/**
 * The shop's category tree. Ids 1-16 are the original skeleton and must never change (links,
 * fixtures and tests refer to them); new categories are appended with the next free id.
 */
export const seedCategories: readonly SeedCategory[] = [
  // The original skeleton, unchanged.
  { id: 1, slug: "amigurumi", name: "Amigurumi", parentSlug: null, position: 1 },
  { id: 2, slug: "amigurumi-animals", name: "Animals", parentSlug: "amigurumi", position: 1 },
  { id: 3, slug: "amigurumi-food-and-plants", name: "Food & Plants", parentSlug: "amigurumi", position: 2 },
  {
    id: 4,
    slug: "amigurumi-fantasy-creatures",
    name: "Fantasy Creatures",
    parentSlug: "amigurumi",
    position: 3,
  },

  { id: 5, slug: "home", name: "Home", parentSlug: null, position: 2 },
  { id: 6, slug: "home-blankets", name: "Blankets", parentSlug: "home", position: 1 },
  { id: 7, slug: "home-cushions", name: "Cushions", parentSlug: "home", position: 2 },
  { id: 8, slug: "home-baskets-and-storage", name: "Baskets & Storage", parentSlug: "home", position: 3 },

  { id: 9, slug: "wearables", name: "Wearables", parentSlug: null, position: 3 },
  { id: 10, slug: "wearables-hats", name: "Hats", parentSlug: "wearables", position: 1 },
  { id: 11, slug: "wearables-scarves", name: "Scarves", parentSlug: "wearables", position: 2 },
  { id: 12, slug: "wearables-bags", name: "Bags", parentSlug: "wearables", position: 3 },

  { id: 13, slug: "patterns", name: "Patterns", parentSlug: null, position: 4 },

  { id: 14, slug: "yarn-kits", name: "Yarn Kits", parentSlug: null, position: 5 },
  { id: 15, slug: "yarn-kits-beginner", name: "Beginner Kits", parentSlug: "yarn-kits", position: 1 },
  { id: 16, slug: "yarn-kits-amigurumi", name: "Amigurumi Kits", parentSlug: "yarn-kits", position: 2 },

  // Added with the full catalog.
  { id: 17, slug: "amigurumi-dolls", name: "Dolls", parentSlug: "amigurumi", position: 4 },
  { id: 18, slug: "home-coasters", name: "Coasters & Table", parentSlug: "home", position: 4 },
  { id: 19, slug: "home-wall-decor", name: "Wall Hangings & Garlands", parentSlug: "home", position: 5 },
  { id: 20, slug: "wearables-shawls", name: "Shawls & Wraps", parentSlug: "wearables", position: 4 },
  {
    id: 21,
    slug: "wearables-mittens-and-socks",
    name: "Mittens & Socks",
    parentSlug: "wearables",
    position: 5,
  },

  // Root positions 1-5 are taken by the skeleton, so Baby comes last among the roots.
  { id: 22, slug: "baby", name: "Baby", parentSlug: null, position: 6 },
  { id: 23, slug: "baby-rattles", name: "Rattles & Teethers", parentSlug: "baby", position: 1 },
  { id: 24, slug: "baby-booties", name: "Booties", parentSlug: "baby", position: 2 },
  { id: 25, slug: "baby-blankets", name: "Baby Blankets", parentSlug: "baby", position: 3 },

  { id: 26, slug: "patterns-amigurumi", name: "Amigurumi Patterns", parentSlug: "patterns", position: 1 },
  { id: 27, slug: "patterns-wearables", name: "Wearable Patterns", parentSlug: "patterns", position: 2 },
  { id: 28, slug: "patterns-home", name: "Home Patterns", parentSlug: "patterns", position: 3 },

  { id: 29, slug: "yarn-kits-wearables", name: "Wearable Kits", parentSlug: "yarn-kits", position: 3 },
];
