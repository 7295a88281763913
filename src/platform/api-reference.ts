import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export interface ApiReferenceAssets {
  script: string;
  etag: string;
}

/** Scalar's browser bundle from the installed package, so /docs needs no CDN and works offline. */
export function loadApiReferenceAssets(): ApiReferenceAssets {
  const require = createRequire(import.meta.url);
  const entry = require.resolve("@scalar/api-reference"); // <package>/dist/index.js
  const script = readFileSync(join(dirname(entry), "browser", "standalone.js"), "utf8");
  return { script, etag: `"${createHash("sha256").update(script).digest("base64url").slice(0, 27)}"` };
}

/**
 * The assets, read on the first request for them rather than at start: the script takes about
 * 8 MB of memory that a server whose /docs nobody opens need not hold.
 */
export function lazyApiReferenceAssets(): () => ApiReferenceAssets {
  let assets: ApiReferenceAssets | undefined;
  return () => {
    assets ??= loadApiReferenceAssets();
    return assets;
  };
}
