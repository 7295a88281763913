import { type Placeholder, type SQL, sql } from "drizzle-orm";
import { products } from "../../../../db/schema/index.ts";

/**
 * How a query matches and ranks products. Full-text search (English stemming, so "blankets"
 * finds "blanket") on the weighted vector — name A, tags B, description C — is the main signal;
 * trigram word similarity on the name and tags catches typos the stemmer cannot ("blankt",
 * "amigurumy"), through `<%`, which the trigram GIN index serves.
 */
export interface SearchTerms {
  matches: SQL;
  rank: SQL<number>;
}

// Full-text rank ranges over about 0–1; a typo-only match must not outrank a real word match,
// and among word matches the closer spelling of the name breaks ties.
const SIMILARITY_WEIGHT = 0.3;

/** `q` is the normalised query, or the placeholder a prepared statement fills in with it. */
export function searchTerms(q: string | Placeholder): SearchTerms {
  const query = sql`websearch_to_tsquery('english'::regconfig, ${q})`;
  return {
    matches: sql`(${products.searchVector} @@ ${query} or ${q} <% ${products.searchText})`,
    rank: sql<number>`(ts_rank(${products.searchVector}, ${query}) + ${SIMILARITY_WEIGHT} * word_similarity(${q}, ${products.searchText}))::float8`,
  };
}

/** Whitespace is collapsed and the ends trimmed; a query of only spaces is no query. */
export function normaliseQuery(q: string | undefined): string | undefined {
  const trimmed = q?.replace(/\s+/g, " ").trim();
  return trimmed ? trimmed : undefined;
}
