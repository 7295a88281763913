import { describe, expect, it } from "vitest";
import { IMAGE_SIZES, imageFileKey, isImageId, newImageId } from "../../../src/domain/catalog/images/keys";
import { isStorageKey } from "../../../src/platform/storage";

describe("image ids and file keys", () => {
  it("makes ids of img_ and 20 base32 characters that do not repeat", () => {
    const ids = Array.from({ length: 1000 }, newImageId);
    for (const id of ids) expect(id).toMatch(/^img_[a-z2-7]{20}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every(isImageId)).toBe(true);
  });

  it("reads any id the contract's ImageId pattern allows", () => {
    expect(isImageId("img_k3v9q2m7x1p4z8r6t0wb")).toBe(true);
  });

  it("tells an image id from anything else", () => {
    for (const value of [
      "img_",
      "img_abc",
      "IMG_AAAAAAAAAAAAAAAAAAAA",
      "img_aaaaaaaaaaaaaaaaaaa-",
      "img_aaaaaaaaaaaaaaaaaaaaa",
      "../img_aaaaaaaaaaaaaaaaaaaa",
    ]) {
      expect(isImageId(value), value).toBe(false);
    }
  });

  it("names one WebP file per size, each a valid storage key", () => {
    const id = newImageId();
    expect(imageFileKey(id, "thumbnail")).toBe(`${id}-thumbnail.webp`);
    for (const size of Object.keys(IMAGE_SIZES) as (keyof typeof IMAGE_SIZES)[]) {
      expect(isStorageKey(imageFileKey(id, size))).toBe(true);
    }
  });

  it("keeps the sizes the shop shows", () => {
    expect(IMAGE_SIZES).toEqual({ thumbnail: 200, card: 600, full: 1600 });
  });
});
