import { join } from "node:path";
import { imageFileKey } from "../domain/catalog/images/keys.ts";
import { deleteImageFiles } from "../domain/catalog/images/store-image.ts";
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
  /** Removes the files of photos whose rows are already gone; never fails the caller. */
  deleteImageFiles(imageIds: string[]): Promise<void>;
}

export function openCatalogServices(options: {
  secret: string;
  dataDir: string;
  publicUrl: string;
  cache: CacheStore;
  logger: Logger;
}): CatalogServices {
  const base = options.publicUrl.replace(/\/+$/, "");
  const images = folderStorage(join(options.dataDir, "images"));
  return {
    cursors: signedCursors(options.secret),
    invalidator: tagVersionInvalidator(options.cache, { logger: options.logger }),
    images,
    imageUrlOf: (imageId, size) => `${base}/images/${imageFileKey(imageId, size)}`,
    async deleteImageFiles(imageIds) {
      // The rows are gone already; a file left behind wastes disk but breaks nothing, so it is
      // logged rather than failing a delete the client has seen succeed.
      for (const imageId of imageIds) {
        await deleteImageFiles(images, imageId).catch((error) =>
          options.logger.warn({ err: error, imageId }, "could not delete image files"),
        );
      }
    },
  };
}
