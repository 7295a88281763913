// `npm run worker`: the outbox (mail, deferred jobs, refunds) and the sweepers (expired
// checkouts, old idempotency keys) in a process of their own, for deployments whose API
// replicas run with RUN_WORKER=false. Any number may run: each row is claimed by one of them.
import { ConfigError, loadConfig } from "./config";
import { openPlatform } from "./platform";
import { createLogger } from "./platform/logger";
import { bufferedStdout } from "./platform/stdout-sink";
import { startServices } from "./wiring";

function readConfig() {
  try {
    const config = loadConfig();
    if (!("url" in config.database))
      throw new ConfigError(
        "Invalid DATABASE_URL: the worker process needs PostgreSQL (the embedded database runs its worker inside the API)",
      );
    return { ...config, runWorker: true };
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

const config = readConfig();
const stdout = bufferedStdout();
const logger = createLogger(config.logLevel, stdout);
const platform = await openPlatform(config, logger);
const services = startServices(config, platform.database, platform.redis, logger);
logger.info(
  { database: platform.database.kind, redis: platform.redis !== undefined },
  "JoxiCrochet worker running",
);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "worker stopping: finishing the batch in flight");
  await services.close();
  await platform.close();
  logger.info("worker stopped");
  await stdout.flush();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
// The outbox's poll timer does not hold the process open (see startOutboxWorker): this does.
setInterval(() => {}, 1 << 30);
