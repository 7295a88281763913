import { createHash } from "node:crypto";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { renderPlaceholder } from "../../../src/domain/catalog/images/placeholder";
import { processImage } from "../../../src/domain/catalog/images/process";
import { checkUpload } from "../../../src/domain/catalog/images/validate";

const digest = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("renderPlaceholder", () => {
  it("draws a 1600×1200 picture that passes the same checks as an upload", async () => {
    const placeholder = await renderPlaceholder("Amigurumi bunny", 1);
    const metadata = await sharp(placeholder).metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual(["png", 1600, 1200]);
    expect(checkUpload(placeholder)).toBe("png");

    const processed = await processImage(placeholder);
    expect(processed.variants.thumbnail).toMatchObject({ width: 200, height: 150 });
    expect(processed.variants.card).toMatchObject({ width: 600, height: 450 });
    expect(processed.variants.full).toMatchObject({ width: 1600, height: 1200 });
  });

  it("gives the same bytes for the same label and seed", async () => {
    const [first, again] = await Promise.all([
      renderPlaceholder("Granny square blanket", 7),
      renderPlaceholder("Granny square blanket", 7),
    ]);
    expect(digest(first)).toBe(digest(again));
  });

  it("gives another background for another seed", async () => {
    const corner = async (seed: number) => {
      const { data } = await sharp(await renderPlaceholder("Beanie", seed))
        .extract({ left: 0, top: 0, width: 1, height: 1 })
        .raw()
        .toBuffer({ resolveWithObject: true });
      return [...data];
    };
    expect(await corner(1)).not.toEqual(await corner(2));
    expect(digest(await renderPlaceholder("Beanie", 1))).not.toBe(
      digest(await renderPlaceholder("Beanie", 2)),
    );
  });

  it("treats the label as text, even when it looks like markup", async () => {
    const hostile =
      '</text><image href="file:///etc/passwd"/><text>&amp; "quotes" \u0007 and a very long name indeed';
    const placeholder = await renderPlaceholder(hostile, 3);
    expect((await sharp(placeholder).metadata()).width).toBe(1600);
  });
});
