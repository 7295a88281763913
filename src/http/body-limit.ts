import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "./env";
import { HttpProblem } from "./problem";

/**
 * Per operation rather than app-wide, so a photo upload can take megabytes while a JSON body
 * stays small; requests that match no operation never have their body read at all.
 */
export function limitBody(maxBytes: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new HttpProblem({
        status: 413,
        code: "payload_too_large",
        title: "Payload too large",
        detail: `Request bodies are limited to ${maxBytes} bytes here`,
      });
    },
  });
}
