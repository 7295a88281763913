import { Scalar } from "@scalar/hono-api-reference";
import type { Handlers } from "../../generated/server";
import type { AppEnv } from "../http/env";
import type { ApiReferenceAssets } from "../platform/api-reference";
import type { Metrics } from "../platform/metrics";

export interface MetaDependencies {
  document: object;
  /** Read when first asked for. */
  reference: () => ApiReferenceAssets;
  metrics: Metrics;
}

// The page runs Scalar's script (served by this API) and an inline configuration; nothing else.
const REFERENCE_PAGE_POLICY =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

export function metaHandlers(
  deps: MetaDependencies,
): Pick<Handlers<AppEnv>, "getOpenApiDocument" | "getApiReference" | "getApiReferenceScript" | "getMetrics"> {
  const referencePage = Scalar({
    url: "/openapi.json",
    cdn: "/docs/scalar.js",
    pageTitle: "JoxiCrochet API reference",
    withDefaultFonts: false,
    telemetry: false,
  });
  let referenceHtml: string | undefined;
  return {
    getOpenApiDocument: (c) => c.json(deps.document, 200, { "Cache-Control": "public, max-age=300" }),
    getApiReference: async (c) => {
      // The page depends on nothing per request, so Scalar renders it once.
      const page = referenceHtml ?? (await (await referencePage(c as never, async () => {}))?.text()) ?? "";
      referenceHtml = page;
      return c.text(page, 200, {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Security-Policy": REFERENCE_PAGE_POLICY,
      });
    },
    getApiReferenceScript: (c) => {
      const { script, etag } = deps.reference();
      return c.text(script, 200, {
        "Content-Type": "application/javascript; charset=utf-8",
        "Cache-Control": "public, max-age=86400",
        ETag: etag,
      });
    },
    getMetrics: async (c) =>
      c.text(await deps.metrics.registry.metrics(), 200, {
        "Content-Type": deps.metrics.registry.contentType,
        "Cache-Control": "no-store",
      }),
  };
}
