import type { ExpectedVersions } from "../domain/catalog/products/model";
import { parseEntityTagList } from "./etag";

const VERSION_TAG = /^"(\d+)-(\d+)"$/;

/**
 * The strong ETag of a versioned resource, `"<id>-<version>"`. Every write bumps the version, so
 * the tag serves both revalidation (If-None-Match) and optimistic locking (If-Match).
 */
export function versionEtag(id: number, version: number): string {
  return `"${id}-${version}"`;
}

/**
 * The versions of resource `id` that an `If-Match` header (RFC 9110 §13.1.1) accepts: `"any"` for
 * `*`, `undefined` when the header is absent. Comparison is strong, so a weak tag accepts nothing,
 * and so does a tag of another resource or a header that does not follow the grammar: the client
 * asked for a guard, and one that cannot be checked fails.
 */
export function versionsInIfMatch(header: string | undefined, id: number): ExpectedVersions | undefined {
  if (header === undefined) return undefined;
  const listed = parseEntityTagList(header);
  if (listed === "*") return "any";
  const versions: number[] = [];
  for (const tag of listed ?? []) {
    const match = tag.weak ? null : VERSION_TAG.exec(tag.opaque);
    if (match && Number(match[1]) === id) versions.push(Number(match[2]));
  }
  return versions;
}
