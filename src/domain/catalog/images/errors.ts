/**
 * Why an uploaded image was refused, by stable code. The HTTP layer maps the codes to statuses
 * (415, 413, 422); the message is written for the person who chose the file.
 */
export type ImageRejectionCode =
  | "unsupported_media_type"
  | "payload_too_large"
  | "image_too_large"
  | "invalid_image";

export class ImageRejected extends Error {
  override name = "ImageRejected";

  constructor(
    readonly code: ImageRejectionCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
