import { describe, expect, it } from "vitest";
import { sniffImageType } from "../../../src/domain/catalog/images/sniff";
import { type Format, impostors, makeImage } from "./fixtures";

describe("sniffImageType", () => {
  it.each<Format>(["jpeg", "png", "webp", "avif"])(
    "recognises a real %s file by its bytes",
    async (format) => {
      expect(sniffImageType(await makeImage(format, 32, 24))).toBe(format);
    },
  );

  it("recognises an AVIF whose avif brand is only among the compatible brands", () => {
    const box = Buffer.alloc(24);
    box.writeUInt32BE(24, 0);
    box.write("ftypmif1", 4, "latin1");
    box.write("miafavif", 16, "latin1");
    expect(sniffImageType(box)).toBe("avif");
  });

  it("ignores an avif brand written past the end of the ftyp box", () => {
    const bytes = Buffer.alloc(32);
    bytes.writeUInt32BE(16, 0);
    bytes.write("ftypmif1", 4, "latin1");
    bytes.write("avif", 16, "latin1");
    expect(sniffImageType(bytes)).toBeUndefined();
  });

  it("knows nothing of files that only claim to be images", async () => {
    for (const [name, bytes] of Object.entries(await impostors())) {
      expect(sniffImageType(bytes), name).toBeUndefined();
    }
  });

  it("reads a Uint8Array that is a window into a larger buffer", async () => {
    const png = await makeImage("png", 8, 8);
    const padded = new Uint8Array(png.length + 10);
    padded.set(png, 10);
    expect(sniffImageType(padded.subarray(10))).toBe("png");
  });
});
