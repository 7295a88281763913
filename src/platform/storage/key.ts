/**
 * A key is one flat file name with an extension: no slash, no dot-segment, no leading dot, so a
 * key is never a path and never names a hidden or temporary file of the store.
 */
const STORAGE_KEY = /^[a-z0-9_-]+\.[a-z0-9]+$/;

// Leaves room under the common 255-byte file-name limit for the temporary name of a write.
const MAX_KEY_LENGTH = 200;

export function isStorageKey(key: string): boolean {
  return key.length <= MAX_KEY_LENGTH && STORAGE_KEY.test(key);
}

export function assertStorageKey(key: string): void {
  if (!isStorageKey(key)) {
    throw new Error(`Invalid storage key ${JSON.stringify(key)}: expected a flat file name like "name.webp"`);
  }
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  webp: "image/webp",
  avif: "image/avif",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
};

/** The content type a key's extension stands for; stores without metadata serve files by it. */
export function contentTypeOfKey(key: string): string {
  const extension = key.slice(key.lastIndexOf(".") + 1);
  return CONTENT_TYPES[extension] ?? "application/octet-stream";
}
