// The baseline of the throughput scenarios: a bare Bun.serve on 127.0.0.1 answering every
// request with the same bytes and the same content-type and ETag as the server's cached product
// list, and nothing else (no middleware, no logging). What the runtime itself can do on this
// machine; every scenario's figure is also reported as a ratio of this one, measured in the same run.
//   PORT  BASELINE_BODY_FILE  BASELINE_CONTENT_TYPE  BASELINE_ETAG   (set by bench/throughput.ts)

import { readFileSync } from "node:fs";

const body = readFileSync(process.env.BASELINE_BODY_FILE ?? "");
const headers = {
  "content-type": process.env.BASELINE_CONTENT_TYPE ?? "application/json",
  etag: process.env.BASELINE_ETAG ?? '"baseline"',
};

Bun.serve({
  hostname: "127.0.0.1",
  port: Number(process.env.PORT),
  fetch: () => new Response(body, { headers }),
});
