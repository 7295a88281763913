import type { FileStorage } from "../../../platform/storage/types.ts";
import { IMAGE_SIZE_NAMES, imageFileKey } from "./keys.ts";
import type { ProcessedImage } from "./process.ts";

export const IMAGE_CONTENT_TYPE = "image/webp";

/**
 * Writes the three sizes of one image. If any write fails, the others are removed again, so an
 * image is either stored whole or not at all.
 */
export async function storeProcessedImage(
  storage: FileStorage,
  imageId: string,
  processed: ProcessedImage,
): Promise<void> {
  const writes = await Promise.allSettled(
    IMAGE_SIZE_NAMES.map((size) =>
      storage.put(imageFileKey(imageId, size), processed.variants[size].bytes, IMAGE_CONTENT_TYPE),
    ),
  );
  const failed = writes.find((write) => write.status === "rejected");
  if (failed) {
    // The write's own error is the one worth reporting; a failed clean-up only leaves orphans.
    await deleteImageFiles(storage, imageId).catch(() => undefined);
    throw failed.reason;
  }
}

export async function deleteImageFiles(storage: FileStorage, imageId: string): Promise<void> {
  await storage.delete(IMAGE_SIZE_NAMES.map((size) => imageFileKey(imageId, size)));
}
