import { join } from "node:path";
import { imageFileKey } from "../domain/catalog/images/keys.ts";
import type { ImageUrlOf } from "../domain/catalog/products/model.ts";
import { type CursorCodec, signedCursors } from "../domain/pagination/signed-cursor.ts";
import type { CacheStore } from "./cache";
import { type CacheInvalidator, tagVersionInvalidator } from "./cache/invalidation.ts";
import type { Logger } from "./logger";
import { type FileStorage, folderStorage } from "./storage";

/** What the catalog needs besides the database. */
export interface CatalogServices {
  cursors: CursorCodec;
  /** The one channel every catalog write announces the cache tags it made stale through. */
  invalidator: CacheInvalidator;
  /** Product photos: a folder by default, a volume in containers. */
  images: FileStorage;
  imageUrlOf: ImageUrlOf;
}

export function openCatalogServices(options: {
  secret: string;
  dataDir: string;
  publicUrl: string;
  cache: CacheStore;
  logger: Logger;
  invalidator?: CacheInvalidator;
}): CatalogServices {
  const base = options.publicUrl.replace(/\/+$/, "");
  return {
    cursors: signedCursors(options.secret),
    invalidator: options.invalidator ?? tagVersionInvalidator(options.cache, { logger: options.logger }),
    images: folderStorage(join(options.dataDir, "images")),
    imageUrlOf: (imageId, size) => `${base}/images/${imageFileKey(imageId, size)}`,
  };
}
