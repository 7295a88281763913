import { colourways, type ProductTable } from "../product-table.ts";

export const babyTables: readonly ProductTable[] = [
  {
    categorySlug: "baby-rattles",
    stock: [1, 12],
    products: [
      [
        "Baby Bunny Rattle",
        "A soft bunny-head rattle on a natural beech teething ring, crocheted in baby-safe organic cotton. 16 cm long with a rattle insert sewn inside. Surface wash only.",
        ["baby", "rattle", "bunny", "organic", "newborn"],
        1800,
      ],
      [
        "Elephant Teething Rattle",
        "A grey elephant with a chime inside, stitched onto a smooth maple ring for sore gums. Organic cotton, 14 cm. Surface wash.",
        ["baby", "rattle", "organic", "newborn"],
        1900,
      ],
      [
        "Star Wand Rattle",
        "A golden star on a stuffed handle that jingles softly when shaken. 18 cm, cotton. Surface wash.",
        ["baby", "rattle", "cotton", "gift"],
        1500,
      ],
      [
        "Lion Ring Rattle",
        "A little lion with a loopy mane on a wooden ring. 13 cm, organic cotton. Wipe the ring, surface wash the lion.",
        ["baby", "rattle", "animal", "organic"],
        2000,
      ],
      [
        "Cloud Rattle",
        "A puffy white cloud with a sleepy face and a bell inside. 10 cm, cotton. Machine wash in a laundry bag.",
        ["baby", "rattle", "nursery", "cotton"],
        1400,
      ],
      [
        "Teddy Ring Rattle",
        "A honey-coloured teddy head on a beech ring, just right for tiny fists. Organic cotton, 15 cm.",
        ["baby", "rattle", "bear", "organic"],
        1900,
      ],
      [
        "Whale Grab Rattle",
        "A blue whale with a stuffed loop tail that is easy to grab. 12 cm, cotton. Machine wash at 30 °C.",
        ["baby", "rattle", "ocean", "cotton"],
        1700,
      ],
      [
        "Carrot Rattle",
        "A bright orange carrot with a leafy top and a soft rattle inside. 15 cm, organic cotton. Surface wash.",
        ["baby", "rattle", "food", "organic"],
        1200,
      ],
      [
        "Rainbow Teether",
        "A rainbow arch with wooden beads that babies love to chew. 12 cm, organic cotton and untreated beech.",
        ["baby", "rainbow", "organic", "newborn"],
        1600,
      ],
    ],
  },
  {
    categorySlug: "baby-booties",
    stock: [1, 10],
    products: [
      ...colourways(["Cream", "Dusty Pink", "Sky Blue", "Mint"], (colour) => [
        `${colour} Newborn Booties`,
        `Tiny ankle-tie booties in ${colour.toLowerCase()} merino that stay on wriggly feet. Fits 0-3 months. Hand wash cool.`,
        ["booties", "baby", "newborn", "merino"],
        1900,
      ]),
      [
        "Baby Moccasins",
        "Soft-soled moccasins with a fringed cuff in tan cotton. Sizes 0-6 and 6-12 months. Hand wash.",
        ["booties", "baby", "cotton", "boho"],
        2400,
      ],
      [
        "Mary Jane Baby Shoes",
        "Strappy Mary Janes with a pearl button, in white cotton. 0-6 months. Perfect for christenings.",
        ["booties", "baby", "wedding", "cotton"],
        2200,
      ],
      [
        "Cuffed Baby Boots",
        "Little fold-over boots in chunky cream wool that keep toes warm in the pram. 3-9 months. Hand wash.",
        ["booties", "baby", "wool", "winter"],
        2600,
      ],
      [
        "Baby High-Top Sneakers",
        "High-top trainers with contrast laces and toe caps in bamboo-cotton. 3-6 and 6-12 months. Machine wash cold.",
        ["booties", "baby", "bamboo", "kids"],
        2800,
      ],
      [
        "Reindeer Baby Booties",
        "Brown booties with antlers and a red nose for baby's first Christmas. Acrylic, 0-6 months. Machine washable.",
        ["booties", "baby", "christmas", "acrylic"],
        2300,
      ],
      [
        "Summer Baby Sandals",
        "Open-toe sandals with a button strap in breathable cotton. 3-9 months. Hand wash.",
        ["booties", "baby", "summer", "cotton"],
        2000,
      ],
    ],
  },
  {
    categorySlug: "baby-blankets",
    stock: [1, 4],
    products: [
      [
        "Pastel Ripple Baby Blanket",
        "Gentle waves in mint, lemon and lilac, in anti-pill baby acrylic. 75 × 90 cm, pram or cot size. Machine wash at 40 °C.",
        ["blanket", "baby", "pastel", "acrylic"],
        7900,
      ],
      [
        "Bobble Baby Blanket",
        "A textured cot blanket with rows of soft bobbles in undyed organic cotton. 80 × 100 cm. Machine wash at 30 °C.",
        ["blanket", "baby", "bobble", "organic"],
        8900,
      ],
      [
        "Bear Lovey Comforter",
        "A small security blanket with a teddy head in one corner for bedtime snuggles. 30 × 30 cm, cotton. Machine wash at 30 °C.",
        ["baby", "bear", "newborn", "gift"],
        2900,
      ],
      [
        "Stretchy Newborn Cocoon",
        "A stretchy cocoon and matching bonnet for newborn photos and first weeks. Merino, 0-1 month. Hand wash.",
        ["baby", "newborn", "merino", "gift"],
        3900,
      ],
      [
        "Patchwork Pram Blanket",
        "Small squares in muted sage, oat and clay joined with a tidy slip-stitch seam. 70 × 80 cm, bamboo-cotton. Machine wash at 30 °C.",
        ["blanket", "baby", "bamboo", "neutral"],
        6900,
      ],
      [
        "Cotton Cellular Blanket",
        "A breathable open-weave blanket approved for safe sleep layering. 70 × 90 cm, organic cotton. Machine wash at 60 °C.",
        ["blanket", "baby", "organic", "newborn"],
        6400,
      ],
      [
        "Star Stitch Cot Blanket",
        "Dense star stitch in soft merino, cosy for winter babies. 90 × 110 cm. Hand wash, dry flat.",
        ["blanket", "baby", "merino", "winter"],
        9900,
      ],
      [
        "Waffle Stroller Blanket",
        "A compact waffle-stitch blanket that tucks neatly into a stroller. 60 × 75 cm, cotton. Machine wash at 40 °C.",
        ["blanket", "baby", "cotton", "neutral"],
        5900,
      ],
      [
        "Heirloom Christening Shawl",
        "A fine lace christening shawl in white merino with a scalloped edge, made to be passed down. 110 × 110 cm. Hand wash very gently.",
        ["baby", "lace", "merino", "wedding"],
        11900,
      ],
      [
        "Nursery Rainbow Blanket",
        "Soft rainbow stripes against a cream background in washable cotton blend. 80 × 100 cm. Machine wash at 40 °C.",
        ["blanket", "baby", "rainbow", "nursery"],
        8400,
      ],
    ],
  },
];
