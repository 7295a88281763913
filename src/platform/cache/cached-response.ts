/**
 * A finished answer, kept as the bytes the client receives, so that a hit is served without
 * serialising anything again. Times are epoch milliseconds.
 */
export interface CachedResponse {
  status: number;
  contentType: string;
  etag: string;
  body: Uint8Array<ArrayBuffer>;
  /** Until then the entry is served as it is. */
  freshUntil: number;
  /** Until then, once no longer fresh, it may still be served while one request refreshes it. */
  staleUntil: number;
}

/** A fresh entry's stale window: as long as its lifetime, at most five minutes. */
export function cachedResponse(
  answer: Pick<CachedResponse, "status" | "contentType" | "etag" | "body">,
  ttlSeconds: number,
  now = Date.now(),
): CachedResponse {
  const freshUntil = now + ttlSeconds * 1000;
  return { ...answer, freshUntil, staleUntil: freshUntil + Math.min(ttlSeconds, 300) * 1000 };
}

interface StoredMeta {
  s: number;
  t: string;
  e: string;
  f: number;
  x: number;
  /** The tag versions the entry was computed under. */
  v: string[];
}

const NEWLINE = 0x0a;

/** One line of JSON metadata, a newline, then the body as it is: no escaping of the body. */
export function encodeForStore(entry: CachedResponse, versions: string[]): Buffer {
  const meta: StoredMeta = {
    s: entry.status,
    t: entry.contentType,
    e: entry.etag,
    f: entry.freshUntil,
    x: entry.staleUntil,
    v: versions,
  };
  return Buffer.concat([Buffer.from(`${JSON.stringify(meta)}\n`), entry.body]);
}

/** `undefined` for anything this version did not write: a foreign value is a miss, never an error. */
export function decodeFromStore(stored: Buffer): { entry: CachedResponse; versions: string[] } | undefined {
  const split = stored.indexOf(NEWLINE);
  if (split < 0) return undefined;
  try {
    const meta = JSON.parse(stored.subarray(0, split).toString("utf8")) as StoredMeta;
    if (!Array.isArray(meta.v) || typeof meta.s !== "number") return undefined;
    const entry: CachedResponse = {
      status: meta.s,
      contentType: meta.t,
      etag: meta.e,
      body: new Uint8Array(stored.subarray(split + 1)),
      freshUntil: meta.f,
      staleUntil: meta.x,
    };
    return { entry, versions: meta.v };
  } catch {
    return undefined;
  }
}
