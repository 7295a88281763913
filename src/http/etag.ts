import { createHash } from "node:crypto";

/** An entity tag (RFC 9110 §8.8.3); `opaque` keeps its double quotes, `"xyzzy"`. */
export interface EntityTag {
  weak: boolean;
  opaque: string;
}

// etagc is any visible character but DQUOTE, so a comma may sit inside a tag: lists are
// tokenised on quoted strings, never split on commas.
const ENTITY_TAG = /^(W\/)?("[\x21\x23-\x7e\x80-\xff]*")$/;
const LIST_MEMBER = /^(W\/)?("[\x21\x23-\x7e\x80-\xff]*")[\t ]*(?:,|$)/;
/** A list (RFC 9110 §5.6.1) may hold empty elements and optional whitespace around commas. */
const LIST_FILLER = /^[\t ,]+/;

export function parseEntityTag(value: string): EntityTag | undefined {
  const match = ENTITY_TAG.exec(value.trim());
  return match ? { weak: match[1] !== undefined, opaque: match[2] as string } : undefined;
}

/**
 * The value of `If-Match` or `If-None-Match`: `*`, or the listed tags. `undefined` when the value
 * does not follow the grammar, for the caller to choose the safe answer.
 */
export function parseEntityTagList(header: string): "*" | EntityTag[] | undefined {
  if (header.trim() === "*") return "*";
  const tags: EntityTag[] = [];
  let rest = header.replace(LIST_FILLER, "");
  while (rest !== "") {
    const match = LIST_MEMBER.exec(rest);
    if (!match) return undefined;
    tags.push({ weak: match[1] !== undefined, opaque: match[2] as string });
    rest = rest.slice(match[0].length).replace(LIST_FILLER, "");
  }
  return tags;
}

/** RFC 9110 §8.8.3.2: the opaque tags are equal, whichever is weak. */
export function weakMatch(a: EntityTag, b: EntityTag): boolean {
  return a.opaque === b.opaque;
}

/**
 * `If-None-Match` (RFC 9110 §13.1.2) against a representation that exists, with `currentEtag`
 * when it has one. `false` means the client's copy is current: a GET or HEAD answers 304.
 * An absent or unreadable header is satisfied, because a full 200 is never wrong.
 */
export function ifNoneMatchSatisfied(header: string | undefined, currentEtag: string | undefined): boolean {
  if (header === undefined) return true;
  const listed = parseEntityTagList(header);
  if (listed === undefined) return true;
  if (listed === "*") return false;
  const current = currentEtag === undefined ? undefined : parseEntityTag(currentEtag);
  return current === undefined || !listed.some((tag) => weakMatch(tag, current));
}

/** A strong tag from the bytes of a body: 128 bits of SHA-256, base64url, quoted. */
export function bodyEtag(body: Uint8Array | string): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
}
