/** The shape every catalog slug must have: lowercase words joined by single hyphens. */
export const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Turns a display name into a URL slug ("Jack-o'-Lantern Coasters" -> "jack-o-lantern-coasters").
 * Accents are folded rather than dropped so "Macramé" still reads as "macrame", and an
 * over-long slug is cut at a word boundary so it never ends mid-word.
 */
export function slugify(text: string, maxLength = 80): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    // Apostrophes join rather than split: "Kids'" is one word, not "kids-s".
    .replace(/['\u2019]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (!slug) return "item";
  if (slug.length <= maxLength) return slug;
  const cut = slug.slice(0, maxLength + 1);
  const lastBreak = cut.lastIndexOf("-");
  return (lastBreak > 0 ? cut.slice(0, lastBreak) : slug.slice(0, maxLength)).replace(/-+$/, "");
}
