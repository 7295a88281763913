import { join } from "node:path";
import { imageFileKey } from "../domain/catalog/images/keys.ts";
import { deleteImageFiles } from "../domain/catalog/images/store-image.ts";
import type { CatalogServices } from "../domain/catalog/services.ts";
import { signedCursors } from "../domain/pagination/signed-cursor.ts";
import type { Logger } from "../platform/logger";
import { folderStorage } from "../platform/storage";

export function openCatalogServices(options: {
  secret: string;
  dataDir: string;
  publicUrl: string;
  logger: Logger;
}): CatalogServices {
  const base = options.publicUrl.replace(/\/+$/, "");
  const images = folderStorage(join(options.dataDir, "images"));
  return {
    cursors: signedCursors(options.secret),
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
