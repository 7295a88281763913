import { and, eq, sql } from "drizzle-orm";
import { inventoryLedger, type LedgerReason, products } from "../../../db/schema/index.ts";
import type { Tx } from "../../platform/db.ts";

interface Move {
  productId: number;
  quantity: number;
  reason: LedgerReason;
  note: string;
  actorId?: string | null;
}

/**
 * Takes units from stock if that many are left, with its ledger line; the stock left, or
 * undefined when too few were (and nothing changed). The condition is in the UPDATE itself, so
 * concurrent takers can never drive stock below zero whatever their interleaving.
 */
export async function takeUnits(tx: Tx, move: Move): Promise<number | undefined> {
  const [taken] = await tx
    .update(products)
    .set({
      stock: sql`${products.stock} - ${move.quantity}`,
      version: sql`${products.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(products.id, move.productId), sql`${products.stock} >= ${move.quantity}`))
    .returning({ stock: products.stock });
  if (!taken) return undefined;
  await record(tx, { ...move, delta: -move.quantity, stockAfter: taken.stock });
  return taken.stock;
}

/** Puts units back in stock, with its ledger line. */
export async function returnUnits(tx: Tx, move: Move): Promise<void> {
  const [returned] = await tx
    .update(products)
    .set({
      stock: sql`${products.stock} + ${move.quantity}`,
      version: sql`${products.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(products.id, move.productId))
    .returning({ stock: products.stock });
  await record(tx, { ...move, delta: move.quantity, stockAfter: returned?.stock ?? 0 });
}

async function record(tx: Tx, line: Move & { delta: number; stockAfter: number }): Promise<void> {
  await tx.insert(inventoryLedger).values({
    productId: line.productId,
    delta: line.delta,
    reason: line.reason,
    stockAfter: line.stockAfter,
    note: line.note,
    actorId: line.actorId ?? null,
  });
}
