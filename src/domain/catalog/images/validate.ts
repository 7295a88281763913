import { DomainError } from "../../errors.ts";
import { type ImageType, sniffImageType } from "./sniff.ts";

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/**
 * The cheap checks on an upload, before any decoding: its size, then what its bytes say it is.
 * Returns the sniffed type; throws a `DomainError` otherwise.
 */
export function checkUpload(bytes: Uint8Array, maxBytes = MAX_IMAGE_BYTES): ImageType {
  if (bytes.byteLength > maxBytes) {
    throw new DomainError("payload_too_large", `Images are limited to ${formatMegabytes(maxBytes)}`, {
      size: bytes.byteLength,
      maxBytes,
    });
  }
  const type = sniffImageType(bytes);
  if (type === undefined) {
    throw new DomainError("unsupported_media_type", "The file is not a JPEG, PNG, WebP or AVIF image");
  }
  return type;
}

function formatMegabytes(bytes: number): string {
  return `${Number((bytes / (1024 * 1024)).toFixed(2))} MB`;
}
