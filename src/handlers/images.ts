import type { Handlers } from "../../generated/server";
import * as productImages from "../domain/catalog/images/product-images";
import type { AppEnv } from "../http/env";
import { ifNoneMatchSatisfied } from "../http/etag";
import type { CatalogDeps } from "./catalog-deps";

// A file name is never reused for other bytes (a new upload gets a new id), so caches may keep it.
const IMMUTABLE = "public, max-age=31536000, immutable";

type ImageHandlers = Pick<
  Handlers<AppEnv>,
  "uploadProductImage" | "deleteProductImage" | "reorderProductImages" | "getImage"
>;

export function imageHandlers(deps: CatalogDeps): ImageHandlers {
  return {
    uploadProductImage: async (c) => {
      const { file, alt } = c.req.valid("form");
      const bytes = new Uint8Array(await file.arrayBuffer());
      return c.json(
        await productImages.uploadProductImage(deps, c.req.valid("param").id, { bytes, alt }),
        201,
      );
    },
    deleteProductImage: async (c) => {
      const { id, imageId } = c.req.valid("param");
      await productImages.deleteProductImage(deps, id, imageId);
      return c.body(null, 204);
    },
    reorderProductImages: async (c) => {
      const images = await productImages.reorderProductImages(
        deps,
        c.req.valid("param").id,
        c.req.valid("json").imageIds,
      );
      return c.json({ data: images }, 200);
    },
    getImage: async (c) => {
      const { file } = c.req.valid("param");
      const etag = `"${file}"`;
      if (!ifNoneMatchSatisfied(c.req.header("if-none-match"), etag)) {
        return c.body(null, 304, { ETag: etag, "Cache-Control": IMMUTABLE });
      }
      const stored = await productImages.readImageFile(deps.images, file);
      return c.body(new Uint8Array(stored.body), 200, {
        "Content-Type": stored.contentType,
        "Cache-Control": IMMUTABLE,
        ETag: etag,
      });
    },
  };
}
