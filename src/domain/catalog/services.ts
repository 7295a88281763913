import type { FileStorage } from "../../platform/storage";
import type { CursorCodec } from "../pagination/signed-cursor.ts";
import type { ImageUrlOf } from "./products/model.ts";

/** What the catalog needs besides the database; the app wires it onto the platform's adapters. */
export interface CatalogServices {
  cursors: CursorCodec;
  /** Product photos: a folder by default, a volume in containers. */
  images: FileStorage;
  imageUrlOf: ImageUrlOf;
  /** Removes the files of photos whose rows are already gone; never fails the caller. */
  deleteImageFiles(imageIds: string[]): Promise<void>;
}
