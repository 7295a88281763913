import { releaseExpiredCheckouts } from "../domain/checkout/checkout";
import type { ResponseCache } from "../platform/cache";
import type { Db } from "../platform/db";
import type { Logger } from "../platform/logger";
import { type PeriodicTask, startPeriodic } from "../platform/periodic";

/** What a checkout's stock returning makes stale: as the contract's stock adjustments declare. */
const STOCK_TAGS = ["products", "categories", "inventory"];

/**
 * Gives back the stock of checkouts past their time, every `everyMs`, and drops the catalog's
 * cached answers that showed it taken. A checkout's own answers say `expired` from the moment its
 * time runs out; the sweeper only makes the units sellable again.
 */
export function startReservationSweeper(
  db: Db,
  cache: ResponseCache,
  logger: Logger,
  everyMs = 30_000,
): PeriodicTask {
  return startPeriodic(
    "reservation sweeper",
    everyMs,
    async () => {
      for (;;) {
        const products = await releaseExpiredCheckouts(db);
        if (products.length === 0) return;
        await cache.invalidate(STOCK_TAGS);
        logger.info({ products }, "stock of expired checkouts returned");
      }
    },
    logger,
  );
}
