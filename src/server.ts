import { readFileSync } from "node:fs";
import { buildApp } from "./app";
import { type Config, ConfigError, loadConfig } from "./config";
import { loadApiReferenceAssets } from "./platform/api-reference";
import { createLogger } from "./platform/logger";
import { createMetrics } from "./platform/metrics";
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
const logger = createLogger(config.logLevel);
const shop = await startShop(config, logger);
const document = JSON.parse(readFileSync(new URL("../generated/openapi.json", import.meta.url), "utf8"));
const app = buildApp({
  config,
  platform: shop,
  logger,
  metrics: createMetrics(),
  document,
  reference: loadApiReferenceAssets(),
  startedAt,
});

const server = Bun.serve({
  port: config.port,
  hostname: config.host,
  fetch: app.fetch,
  // Bun refuses larger bodies before the app sees them; the app's own limit answers with a problem.
  maxRequestBodySize: config.bodyLimitBytes * 2,
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
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
