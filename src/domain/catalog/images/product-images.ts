import { and, asc, count, eq, isNull, max, sql } from "drizzle-orm";
import { productImages, products } from "../../../../db/schema/index.ts";
import type { Db } from "../../../platform/db.ts";
import type { FileStorage } from "../../../platform/storage/types.ts";
import { DomainError } from "../../errors.ts";
import type { ImageUrlOf, ProductImage } from "../products/model.ts";
import { imagesOf } from "../products/rows.ts";
import { newImageId } from "./keys.ts";
import { processImage } from "./process.ts";
import { deleteImageFiles, storeProcessedImage } from "./store-image.ts";
import { checkUpload } from "./validate.ts";

/** As many as a product page can sensibly show; the contract's lists allow no more. */
export const MAX_IMAGES_PER_PRODUCT = 20;

export interface ProductImageDeps {
  db: Db;
  images: FileStorage;
  imageUrlOf: ImageUrlOf;
}

/**
 * Checks, converts and stores an uploaded photo, then records it after the product's others.
 * Files are written before the row, and removed again if the row cannot be written, so a
 * stored row always has its files.
 */
export async function uploadProductImage(
  deps: ProductImageDeps,
  productId: number,
  upload: { bytes: Uint8Array; alt?: string },
): Promise<ProductImage> {
  await requireProduct(deps.db, productId);
  checkUpload(upload.bytes);
  const processed = await processImage(upload.bytes);
  const imageId = newImageId();
  await storeProcessedImage(deps.images, imageId, processed);
  try {
    await deps.db.transaction(async (tx) => {
      // Locks the product row, so two uploads cannot both take the last free position.
      await requireProduct(tx, productId, { forUpdate: true });
      const [stats] = await tx
        .select({ images: count(), last: max(productImages.position) })
        .from(productImages)
        .where(eq(productImages.productId, productId));
      if ((stats?.images ?? 0) >= MAX_IMAGES_PER_PRODUCT) {
        throw new DomainError("unprocessable", `A product has at most ${MAX_IMAGES_PER_PRODUCT} photos`);
      }
      await tx.insert(productImages).values({
        id: imageId,
        productId,
        position: (stats?.last ?? -1) + 1,
        alt: upload.alt ?? "",
        width: processed.width,
        height: processed.height,
      });
      await bumpVersion(tx, productId);
    });
  } catch (error) {
    await deleteImageFiles(deps.images, imageId).catch(() => undefined);
    throw error;
  }
  const image = (await listImages(deps, productId)).find((candidate) => candidate.id === imageId);
  if (!image) throw new Error("unreachable: the image was just stored");
  return image;
}

export async function deleteProductImage(
  deps: ProductImageDeps,
  productId: number,
  imageId: string,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await requireProduct(tx, productId, { forUpdate: true });
    const deleted = await tx
      .delete(productImages)
      .where(and(eq(productImages.id, imageId), eq(productImages.productId, productId)))
      .returning({ id: productImages.id });
    if (deleted.length === 0)
      throw new DomainError("not_found", `Product ${productId} has no photo ${imageId}`);
    await bumpVersion(tx, productId);
  });
  await deleteImageFiles(deps.images, imageId);
}

/** The list must name every photo of the product exactly once; the first becomes the main photo. */
export async function reorderProductImages(
  deps: ProductImageDeps,
  productId: number,
  imageIds: string[],
): Promise<ProductImage[]> {
  await deps.db.transaction(async (tx) => {
    await requireProduct(tx, productId, { forUpdate: true });
    const current = await tx
      .select({ id: productImages.id })
      .from(productImages)
      .where(eq(productImages.productId, productId))
      .orderBy(asc(productImages.position));
    const known = new Set(current.map((row) => row.id));
    if (
      new Set(imageIds).size !== imageIds.length ||
      imageIds.length !== known.size ||
      !imageIds.every((id) => known.has(id))
    ) {
      throw new DomainError("unprocessable", "imageIds must list every photo of the product exactly once", {
        imageIds: [...known],
      });
    }
    for (const [position, id] of imageIds.entries()) {
      await tx.update(productImages).set({ position }).where(eq(productImages.id, id));
    }
    await bumpVersion(tx, productId);
  });
  return listImages(deps, productId);
}

async function listImages(deps: ProductImageDeps, productId: number): Promise<ProductImage[]> {
  return (await imagesOf(deps.db, [productId], deps.imageUrlOf)).get(productId) ?? [];
}

async function requireProduct(
  db: Pick<Db, "select">,
  productId: number,
  options: { forUpdate?: boolean } = {},
) {
  const query = db
    .select({ id: products.id })
    .from(products)
    .where(and(eq(products.id, productId), isNull(products.deletedAt)));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) throw new DomainError("not_found", `No product with id ${productId}`);
}

/** The product's representation lists its photos, so its ETag must change with them. */
async function bumpVersion(db: Pick<Db, "update">, productId: number): Promise<void> {
  await db
    .update(products)
    .set({ version: sql`${products.version} + 1`, updatedAt: sql`now()` })
    .where(eq(products.id, productId));
}

/** One stored size of a photo, by its file name. */
export async function readImageFile(images: FileStorage, file: string) {
  const stored = await images.get(file);
  if (!stored) throw new DomainError("not_found", `No image file ${file}`);
  return stored;
}
