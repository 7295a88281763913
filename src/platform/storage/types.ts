/**
 * Where image files live. Keys are flat file names (`img_…-card.webp`), never paths: every
 * adapter refuses anything else (see `assertStorageKey`), so no key can reach outside the store.
 */
export interface FileStorage {
  /** Stores the bytes under `key`, replacing any earlier file; a reader never sees half a file. */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The file, or undefined when there is none. */
  get(key: string): Promise<StoredFile | undefined>;
  /** Removes the files; keys that have no file are ignored. */
  delete(keys: string[]): Promise<void>;
  exists(key: string): Promise<boolean>;
}

export interface StoredFile {
  body: Uint8Array;
  contentType: string;
  size: number;
}
