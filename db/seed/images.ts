import { eq, sql } from "drizzle-orm";
import { newImageId } from "../../src/domain/catalog/images/keys.ts";
import { renderPlaceholder } from "../../src/domain/catalog/images/placeholder.ts";
import { processImage } from "../../src/domain/catalog/images/process.ts";
import { deleteImageFiles, storeProcessedImage } from "../../src/domain/catalog/images/store-image.ts";
import type { Db } from "../../src/platform/db.ts";
import type { FileStorage } from "../../src/platform/storage/types.ts";
import { productImages, products } from "../schema/index.ts";
import { productNames, seedProductsWithoutImages } from "./products.ts";

/**
 * Gives every seed product without a photo a placeholder drawn locally (no network), through
 * the same pipeline as uploads. Rendering takes a while, so it reports progress and can be
 * stopped between images; re-running continues where it stopped.
 */
export async function seedPlaceholderImages(
  db: Db,
  storage: FileStorage,
  options: {
    onProgress?: (message: string) => void;
    signal?: AbortSignal;
    /** Only these products (still only those without a photo). */
    only?: number[];
    /** Told after each product got its photo, for the running shop to drop what it cached of it. */
    onStored?: (productId: number) => Promise<void>;
  } = {},
): Promise<number> {
  const missing = await seedProductsWithoutImages(db);
  const pending = options.only ? missing.filter((id) => options.only?.includes(id)) : missing;
  const names = await productNames(db, pending);
  let done = 0;
  for (const productId of pending) {
    if (options.signal?.aborted) break;
    const name = names.get(productId);
    if (!name) continue;
    const processed = await processImage(await renderPlaceholder(name, productId));
    const imageId = newImageId();
    await storeProcessedImage(storage, imageId, processed);
    try {
      await db.transaction(async (tx) => {
        await tx.insert(productImages).values({
          id: imageId,
          productId,
          position: 0,
          alt: `${name} (placeholder photo)`,
          width: processed.width,
          height: processed.height,
        });
        // A new version, so that the product's ETag changes with its photos, as on an upload.
        await tx
          .update(products)
          .set({ version: sql`${products.version} + 1` })
          .where(eq(products.id, productId));
      });
    } catch (error) {
      await deleteImageFiles(storage, imageId);
      throw error;
    }
    await options.onStored?.(productId);
    done += 1;
    if (done % 25 === 0 || done === pending.length) options.onProgress?.(`images: ${done}/${pending.length}`);
  }
  return done;
}
