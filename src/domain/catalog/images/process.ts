import type { Metadata } from "sharp";
import { DomainError } from "../../errors.ts";
import { IMAGE_SIZE_NAMES, IMAGE_SIZES, type ImageSize } from "./keys.ts";
import { loadSharp } from "./load-sharp.ts";
import { type ImageType, sniffImageType } from "./sniff.ts";

export const DEFAULT_MAX_PIXELS = 40_000_000;

export interface ImageVariant {
  bytes: Uint8Array;
  width: number;
  height: number;
}

export interface ProcessedImage {
  /** Of the original, once turned upright by its EXIF orientation. */
  width: number;
  height: number;
  variants: Record<ImageSize, ImageVariant>;
}

export interface ProcessImageOptions {
  /** Largest width × height accepted; a decompression bomb is refused before it is decoded. */
  maxPixels?: number;
}

// sharp's format name for each sniffed type; AVIF is read by its HEIF loader.
const SHARP_FORMAT: Record<ImageType, Metadata["format"]> = {
  jpeg: "jpeg",
  png: "png",
  webp: "webp",
  avif: "heif",
};

const WEBP_QUALITY = 82;

/**
 * Turns an uploaded photo into the three stored WebP sizes. The original is decoded once, upright
 * and scaled to the largest size; the smaller sizes are made from that. Nothing of the original's
 * metadata survives: the WebP files are encoded from bare sRGB pixels, which carry no EXIF, ICC,
 * XMP or IPTC to copy, and sharp adds none unless asked to.
 */
export async function processImage(
  bytes: Uint8Array,
  options: ProcessImageOptions = {},
): Promise<ProcessedImage> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const header = await readHeader(bytes);
  refuseAboveCap(header, maxPixels);
  const upright = await decodeUpright(bytes, maxPixels);
  const variants = await Promise.all(
    IMAGE_SIZE_NAMES.map(async (size) => [size, await encodeVariant(upright, IMAGE_SIZES[size])] as const),
  );
  return {
    width: header.autoOrient.width,
    height: header.autoOrient.height,
    variants: Object.fromEntries(variants) as Record<ImageSize, ImageVariant>,
  };
}

/**
 * Only the header: no pixel is decoded here, so sharp's own pixel limit is lifted to learn the
 * real dimensions of a bomb and name them in the refusal. The bytes must be one of the four
 * accepted types by their magic numbers, and sharp must read them as that same type, so no other
 * decoder (SVG, GIF, TIFF, PDF…) ever sees an upload.
 */
async function readHeader(bytes: Uint8Array): Promise<Metadata> {
  const type = sniffImageType(bytes);
  if (type === undefined) {
    throw new DomainError("unsupported_media_type", "The file is not a JPEG, PNG, WebP or AVIF image");
  }
  const sharp = await loadSharp();
  const header = await sharp(bytes, { failOn: "error", limitInputPixels: false })
    .metadata()
    .catch((error: unknown) => {
      throw undecodable(error);
    });
  const isExpectedDecoder =
    header.format === SHARP_FORMAT[type] && (type !== "avif" || header.compression === "av1");
  if (!isExpectedDecoder || !(header.width > 0 && header.height > 0)) throw undecodable();
  return header;
}

function refuseAboveCap(header: Metadata, maxPixels: number): void {
  if (header.width * header.height <= maxPixels) return;
  throw new DomainError(
    "image_too_large",
    `The image has ${header.width}×${header.height} pixels; at most ${formatMegapixels(maxPixels)} are accepted`,
    { width: header.width, height: header.height, maxPixels },
  );
}

interface RawImage {
  pixels: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/**
 * Decodes, applies the EXIF orientation (before the tag is dropped with the rest of the
 * metadata) and scales to the largest size, as 8-bit sRGB pixels. sharp's pixel limit is set
 * again so that a file whose pixel data disagrees with its header still cannot get through;
 * `failOn: "error"` refuses truncated or corrupt data while tolerating the harmless warnings
 * many cameras' JPEGs raise.
 */
async function decodeUpright(bytes: Uint8Array, maxPixels: number): Promise<RawImage> {
  const longestEdge = IMAGE_SIZES.full;
  const sharp = await loadSharp();
  try {
    const { data, info } = await sharp(bytes, {
      failOn: "error",
      limitInputPixels: maxPixels,
      autoOrient: true,
    })
      .resize({ width: longestEdge, height: longestEdge, fit: "inside", withoutEnlargement: true })
      .toColourspace("srgb")
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
    return { pixels: data, width: info.width, height: info.height, channels: info.channels };
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message)) {
      throw new DomainError(
        "image_too_large",
        `The image has more pixels than the ${formatMegapixels(maxPixels)} accepted`,
        { maxPixels },
        { cause: error },
      );
    }
    throw undecodable(error);
  }
}

async function encodeVariant(image: RawImage, longestEdge: number): Promise<ImageVariant> {
  const { width, height, channels } = image;
  const sharp = await loadSharp();
  const { data, info } = await sharp(image.pixels, { raw: { width, height, channels } })
    .resize({ width: longestEdge, height: longestEdge, fit: "inside", withoutEnlargement: true })
    .webp({ quality: WEBP_QUALITY })
    .toBuffer({ resolveWithObject: true });
  return { bytes: data, width: info.width, height: info.height };
}

function undecodable(cause?: unknown): DomainError {
  return new DomainError("invalid_image", "The image could not be decoded", undefined, { cause });
}

function formatMegapixels(pixels: number): string {
  return `${Number((pixels / 1_000_000).toFixed(2))} megapixels`;
}
