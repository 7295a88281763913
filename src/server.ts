import { readFileSync } from "node:fs";
import http from "node:http";
import { buildApp } from "./app";
import { type Config, ConfigError, loadConfig } from "./config";
import { nativeCeilings, transportLimits } from "./http/transport-limits";
import { lazyApiReferenceAssets } from "./platform/api-reference";
import { createLogger } from "./platform/logger";
import { createMetrics } from "./platform/metrics";
import { bufferedStdout } from "./platform/stdout-sink";
import { startShop } from "./startup";

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

const startedAt = performance.now();
const config = readConfig();
const stdout = bufferedStdout();
const logger = createLogger(config.logLevel, stdout);
const shop = await startShop(config, logger);
const document = JSON.parse(readFileSync(new URL("../generated/openapi.json", import.meta.url), "utf8"));
const app = buildApp({
  config,
  platform: shop,
  logger,
  metrics: createMetrics(),
  document,
  reference: lazyApiReferenceAssets(),
  startedAt,
});

// Bun answers past these ceilings itself, with an empty body and before the app is called; they
// sit well above the limits the app enforces, so that a client meets the app's problem+json.
const ceilings = nativeCeilings(transportLimits(config.bodyLimitBytes));
// Bun reads its header ceiling from here (the --max-http-header-size flag sets the same value).
(http as { maxHeaderSize: number }).maxHeaderSize = ceilings.headerBytes;
const server = Bun.serve({
  port: config.port,
  hostname: config.host,
  fetch: app.fetch,
  maxRequestBodySize: ceilings.bodyBytes,
});

logger.info(
  {
    url: server.url.href,
    docs: new URL("/docs", server.url).href,
    database: shop.database.kind,
    cache: shop.cache.kind,
  },
  `JoxiCrochet API listening on ${server.url.href}`,
);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "stopping: no new connections, finishing requests in flight");
  // stop(false) stops accepting and resolves once every in-flight request has been answered.
  await server.stop(false);
  await shop.close();
  logger.info("stopped");
  await stdout.flush();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
