import { randomBytes } from "node:crypto";
import { crc32, deflateSync } from "node:zlib";
import sharp, { type Sharp } from "sharp";

export type Format = "jpeg" | "png" | "webp" | "avif";

/** A real photo-like file: two coloured halves, so orientation and scaling can be checked. */
export async function makeImage(format: Format, width: number, height: number): Promise<Buffer> {
  const left = Math.ceil(width / 2);
  const image = sharp({ create: { width, height, channels: 3, background: "#d03030" } }).composite([
    {
      input: { create: { width: width - left, height, channels: 3, background: "#3040d0" } },
      left,
      top: 0,
    },
  ]);
  return encode(image, format);
}

export function encode(image: Sharp, format: Format): Promise<Buffer> {
  switch (format) {
    case "jpeg":
      return image.jpeg().toBuffer();
    case "png":
      return image.png().toBuffer();
    case "webp":
      return image.webp().toBuffer();
    case "avif":
      // The fastest effort keeps the test quick; the file is as real as any other AVIF.
      return image.avif({ effort: 0 }).toBuffer();
  }
}

/** A PNG of random pixels: incompressible, so its size is about 3 bytes per pixel. */
export function noisyPng(width: number, height: number): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

/**
 * A valid 1-bit greyscale PNG of the given size, all black. Written by hand because its rows of
 * zeros compress about a thousand to one: a 20000×20000 bomb is some 50 KB on disk and 400
 * megapixels once decoded, and encoding that many pixels with sharp would take seconds.
 */
export function blackPng(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, adaptive filter, no interlace
  // Each row is a filter-type byte (0: none) and the packed pixels, all zero.
  const rows = Buffer.alloc((1 + Math.ceil(width / 8)) * height);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(rows, { level: 9 })),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, checksum]);
}

/** Files that claim to be photos by their name only. */
export async function impostors(): Promise<Record<string, Uint8Array>> {
  const gif = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#abcdef" } })
    .gif()
    .toBuffer();
  return {
    "notes.jpg (plain text)": Buffer.from("just some text, not a photo\n"),
    "page.jpg (HTML)": Buffer.from("<!doctype html><html><body><script>alert(1)</script></body></html>"),
    "invoice.jpg (PDF)": Buffer.from("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"),
    "drawing.png (SVG)": Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
    ),
    "animation.webp (GIF)": gif,
    "phone.avif (HEIC brand)": heicHeader(),
    "empty.jpg": new Uint8Array(0),
  };
}

/** The opening `ftyp` box of a HEIC file: the same container as AVIF, but not an AVIF brand. */
function heicHeader(): Buffer {
  const box = Buffer.alloc(24);
  box.writeUInt32BE(24, 0);
  box.write("ftypheic", 4, "latin1");
  box.write("mif1heic", 16, "latin1");
  return Buffer.concat([box, Buffer.alloc(64)]);
}
