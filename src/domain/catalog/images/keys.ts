import { randomBytes } from "node:crypto";

/** The longest edge of each stored size, in pixels. */
export const IMAGE_SIZES = { thumbnail: 200, card: 600, full: 1600 } as const;

export type ImageSize = keyof typeof IMAGE_SIZES;

export const IMAGE_SIZE_NAMES = Object.keys(IMAGE_SIZES) as ImageSize[];

// RFC 4648 base32 in lower case: 32 symbols, so each random byte maps to one without bias.
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
const ID_LENGTH = 20;
// The contract's ImageId pattern: wider than what newImageId makes, so any id it allows is read.
const IMAGE_ID = /^img_[a-z0-9]{20}$/;

/** `img_` and 100 random bits: cannot be guessed or counted, and safe as part of a file name. */
export function newImageId(): string {
  let id = "img_";
  for (const byte of randomBytes(ID_LENGTH)) id += BASE32.charAt(byte & 31);
  return id;
}

export function isImageId(value: string): boolean {
  return IMAGE_ID.test(value);
}

export function imageFileKey(imageId: string, size: ImageSize): string {
  return `${imageId}-${size}.webp`;
}
