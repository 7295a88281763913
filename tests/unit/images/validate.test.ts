import { describe, expect, it } from "vitest";
import { checkUpload, MAX_IMAGE_BYTES } from "../../../src/domain/catalog/images/validate";
import { DomainError } from "../../../src/domain/errors";
import { impostors, makeImage, noisyPng } from "./fixtures";

function rejectionOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected the upload to be refused");
}

describe("checkUpload", () => {
  it("accepts a real image and says which type its bytes are", async () => {
    expect(checkUpload(await makeImage("jpeg", 64, 48))).toBe("jpeg");
    expect(checkUpload(await makeImage("avif", 64, 48))).toBe("avif");
  });

  it("refuses a real PNG above 5 MB as payload_too_large", async () => {
    const png = await noisyPng(1400, 1400);
    expect(checkUpload(png, Number.POSITIVE_INFINITY)).toBe("png");
    expect(png.byteLength).toBeGreaterThan(MAX_IMAGE_BYTES);

    const rejection = rejectionOf(() => checkUpload(png));
    expect(rejection.code).toBe("payload_too_large");
    expect(rejection.message).toBe("Images are limited to 5 MB");
    expect(rejection.details).toEqual({ size: png.byteLength, maxBytes: MAX_IMAGE_BYTES });
  });

  it("checks the size before the type, so a large file is never read further", () => {
    const rejection = rejectionOf(() => checkUpload(Buffer.alloc(MAX_IMAGE_BYTES + 1, "a")));
    expect(rejection.code).toBe("payload_too_large");
  });

  it("accepts a file of exactly the limit", async () => {
    const jpeg = await makeImage("jpeg", 64, 48);
    expect(checkUpload(jpeg, jpeg.byteLength)).toBe("jpeg");
  });

  it("refuses text, HTML, PDF, SVG, GIF and HEIC files, whatever their name, as unsupported_media_type", async () => {
    for (const [name, bytes] of Object.entries(await impostors())) {
      const rejection = rejectionOf(() => checkUpload(bytes));
      expect(rejection.code, name).toBe("unsupported_media_type");
      expect(rejection.message).toBe("The file is not a JPEG, PNG, WebP or AVIF image");
    }
  });
});
