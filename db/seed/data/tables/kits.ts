import type { ProductTable } from "../product-table.ts";

// Kits are packed in batches, so there are usually plenty on the shelf.
export const kitTables: readonly ProductTable[] = [
  {
    categorySlug: "yarn-kits-beginner",
    stock: [5, 40],
    products: [
      [
        "Beginner Bear Yarn Kit",
        "Everything to crochet your first teddy: cotton yarn, a 3 mm hook, safety eyes, stuffing and a printed pattern. Finished bear is about 15 cm.",
        ["kit", "beginner", "bear", "cotton", "gift"],
        2900,
      ],
      [
        "Learn to Crochet Starter Kit",
        "Three colours of chunky cotton, an ergonomic hook, stitch markers and a booklet covering the six basic stitches.",
        ["kit", "beginner", "cotton", "gift"],
        3400,
      ],
      [
        "First Granny Square Kit",
        "Eight mini skeins of acrylic and a guide to your first granny squares, enough for a cushion front.",
        ["kit", "beginner", "granny-square", "acrylic"],
        2400,
      ],
      [
        "Beginner Beanie Kit",
        "Chunky wool, a 10 mm hook, a faux-fur pom-pom and an easy pattern for a hat you can finish in one evening.",
        ["kit", "beginner", "hat", "wool"],
        3200,
      ],
      [
        "Dishcloth Trio Kit",
        "Unmercerised cotton for three textured dishcloths and a pattern sheet. Practical first projects.",
        ["kit", "beginner", "kitchen", "cotton"],
        1900,
      ],
      [
        "Chunky Scarf Kit",
        "Two skeins of super-chunky merino, a 12 mm hook and a simple scarf pattern. Soft, fast and cosy.",
        ["kit", "beginner", "chunky", "merino"],
        3900,
      ],
      [
        "Coaster Starter Kit",
        "Four cotton colours and patterns for four different coasters, plus a hook and darning needle.",
        ["kit", "beginner", "coaster", "cotton"],
        2200,
      ],
      [
        "Kids' First Crochet Kit",
        "A chunky hook, bright acrylic and a picture guide for children aged 8 and up, with a bookmark project.",
        ["kit", "beginner", "kids", "acrylic"],
        2500,
      ],
    ],
  },
  {
    categorySlug: "yarn-kits-amigurumi",
    stock: [5, 40],
    products: [
      [
        "Whale Amigurumi Kit",
        "Blue and cream cotton, safety eyes, stuffing and a photo pattern for a 20 cm whale.",
        ["kit", "amigurumi", "ocean", "cotton"],
        2900,
      ],
      [
        "Bunny Amigurumi Kit",
        "Pastel cotton, a 2.5 mm hook, stuffing and a floppy-eared rabbit pattern. A lovely Easter craft.",
        ["kit", "amigurumi", "bunny", "easter"],
        3200,
      ],
      [
        "Mini Dinosaur Kit",
        "Make a stegosaurus, a T-rex and a triceratops from one kit of colourful cotton. Patterns included.",
        ["kit", "amigurumi", "dinosaur", "kids"],
        3400,
      ],
      [
        "Succulent Crochet Kit",
        "Greens, pinks and terracotta cotton for four succulents and their pots, with a step-by-step booklet.",
        ["kit", "amigurumi", "plant", "cotton"],
        2800,
      ],
      [
        "Octopus Buddy Kit",
        "Soft cotton in your choice of colour and a pattern for a curly-tentacled octopus. Good second project.",
        ["kit", "amigurumi", "ocean", "baby"],
        2600,
      ],
      [
        "Christmas Gnome Kit",
        "Wool yarn, a bouclé beard and a pattern for two tomte gnomes to stand on the mantelpiece.",
        ["kit", "gnome", "christmas", "wool"],
        3000,
      ],
      [
        "Pastel Unicorn Kit",
        "Rainbow mane yarn, a gold thread horn and white cotton for a 20 cm unicorn. Intermediate.",
        ["kit", "unicorn", "pastel", "intermediate"],
        3600,
      ],
      [
        "Penguin Pal Kit",
        "Black, white and orange acrylic with a scarf colour of your choice, plus safety eyes and pattern.",
        ["kit", "amigurumi", "winter", "acrylic"],
        2700,
      ],
      [
        "Ghost Trio Kit",
        "Glow-in-the-dark yarn and a quick pattern for three friendly ghosts. Finish before Halloween night.",
        ["kit", "amigurumi", "halloween", "beginner"],
        2400,
      ],
    ],
  },
  {
    categorySlug: "yarn-kits-wearables",
    stock: [5, 30],
    products: [
      [
        "Merino Beanie Kit",
        "Two skeins of hand-dyed merino and a ribbed beanie pattern in three sizes. Includes a 5 mm hook.",
        ["kit", "merino", "hat", "winter"],
        3800,
      ],
      [
        "Market Tote Kit",
        "Recycled cotton and the mesh tote pattern: one reusable shopping bag, one evening of crochet.",
        ["kit", "tote", "recycled", "beginner"],
        3200,
      ],
      [
        "Alpaca Scarf Kit",
        "Three skeins of baby alpaca and a lace-edged scarf pattern. Finished scarf 170 × 25 cm.",
        ["kit", "alpaca", "scarf", "intermediate"],
        4500,
      ],
      [
        "Fingerless Mitts Kit",
        "Merino DK and a textured mitts pattern with a thumb gusset, adult size.",
        ["kit", "mittens", "merino", "beginner"],
        2900,
      ],
      [
        "Bobble Headband Kit",
        "Chunky acrylic and a quick bobble-stitch ear warmer pattern. Vegan-friendly fibre.",
        ["kit", "bobble", "vegan", "winter"],
        2400,
      ],
      [
        "Triangle Shawl Kit",
        "A gradient cake of cotton-bamboo and a relaxing triangle shawl pattern with tassels.",
        ["kit", "shawl", "bamboo", "summer"],
        4400,
      ],
    ],
  },
];
