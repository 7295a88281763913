import type sharpFunction from "sharp";

let loading: Promise<typeof sharpFunction> | undefined;

/**
 * sharp, loaded with the first image rather than at start: libvips adds about 30 MB to every
 * process, and most of the shop's processes serve reads that never touch an image.
 */
export function loadSharp(): Promise<typeof sharpFunction> {
  loading ??= import("sharp").then((module) => module.default);
  return loading;
}
