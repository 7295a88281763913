// The baseline of the throughput scenarios: a bare Bun.serve on 127.0.0.1 answering every
// request with the same bytes as the server's cached product list (its header fields, as one
// response carried them, and its body), and nothing else (no middleware, no logging). What the
// runtime itself can do on this machine; every scenario's figure is also reported as a ratio of
// this one, measured in the same run.
//   PORT  BASELINE_BODY_FILE  BASELINE_HEADERS (JSON pairs)   (set by bench/throughput.ts)

import { readFileSync } from "node:fs";

const body = readFileSync(process.env.BASELINE_BODY_FILE ?? "");
const headers: [string, string][] = JSON.parse(
  process.env.BASELINE_HEADERS ?? '[["content-type","application/json"]]',
);

Bun.serve({
  hostname: "127.0.0.1",
  port: Number(process.env.PORT),
  fetch: () => new Response(body, { headers }),
});
