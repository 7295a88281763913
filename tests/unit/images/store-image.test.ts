import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { imageFileKey, newImageId } from "../../../src/domain/catalog/images/keys";
import { processImage } from "../../../src/domain/catalog/images/process";
import { deleteImageFiles, storeProcessedImage } from "../../../src/domain/catalog/images/store-image";
import { type FileStorage, folderStorage } from "../../../src/platform/storage";
import { makeImage } from "./fixtures";

describe("storing the sizes of an image", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "joxi-images-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes the three WebP files under the image's id, and deletes them again", async () => {
    const storage = folderStorage(dir);
    const imageId = newImageId();
    const processed = await processImage(await makeImage("jpeg", 1200, 900));

    await storeProcessedImage(storage, imageId, processed);

    expect((await readdir(dir)).sort()).toEqual(
      [`${imageId}-card.webp`, `${imageId}-full.webp`, `${imageId}-thumbnail.webp`].sort(),
    );
    const card = await storage.get(imageFileKey(imageId, "card"));
    expect(card?.contentType).toBe("image/webp");
    const metadata = await sharp(card?.body).metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual(["webp", 600, 450]);

    await deleteImageFiles(storage, imageId);
    expect(await readdir(dir)).toEqual([]);
  });

  it("stores nothing when one of the writes fails", async () => {
    const folder = folderStorage(dir);
    const failingCard: FileStorage = {
      ...folder,
      put: (key, bytes, contentType) =>
        key.endsWith("-card.webp")
          ? Promise.reject(new Error("disk full"))
          : folder.put(key, bytes, contentType),
    };
    const processed = await processImage(await makeImage("png", 300, 200));

    await expect(storeProcessedImage(failingCard, newImageId(), processed)).rejects.toThrow("disk full");
    expect(await readdir(dir)).toEqual([]);
  });
});
