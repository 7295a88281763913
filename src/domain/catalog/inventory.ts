import { and, desc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { z } from "zod";
import {
  type InventoryEntryRow,
  inventoryLedger,
  products,
  type StockReason,
  stockReasons,
} from "../../../db/schema/index.ts";
import type { Db } from "../../platform/db.ts";
import { DomainError } from "../errors.ts";
import type { CursorCodec } from "../pagination/signed-cursor.ts";

export interface InventoryDeps {
  db: Db;
  cursors: CursorCodec;
}

export interface StockAdjustment {
  delta: number;
  reason: StockReason;
  note?: string;
}

export interface InventoryEntry {
  id: number;
  productId: number;
  delta: number;
  reason: StockReason;
  note: string | null;
  stockAfter: number;
  actorId: string | null;
  createdAt: string;
}

/**
 * Changes stock and writes the ledger line in one transaction. The decrement is conditional
 * (`stock + delta >= 0` in the UPDATE itself), so concurrent adjustments can never take stock
 * below zero, whatever their interleaving; the CHECK constraint backs it up.
 */
export async function adjustStock(
  deps: InventoryDeps,
  productId: number,
  adjustment: StockAdjustment,
  actorId: string,
): Promise<InventoryEntry> {
  if (adjustment.reason === "initial") {
    throw new DomainError("unprocessable", "'initial' is recorded by the API when a product is created");
  }
  if (adjustment.delta === 0) {
    throw new DomainError("unprocessable", "A stock adjustment must add or remove at least one unit", {
      errors: [{ location: "body", field: "delta", pointer: "/delta", message: "Must not be zero" }],
    });
  }
  const entry = await deps.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(products)
      .set({
        stock: sql`${products.stock} + ${adjustment.delta}`,
        version: sql`${products.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(
        and(
          eq(products.id, productId),
          isNull(products.deletedAt),
          sql`${products.stock} + ${adjustment.delta} >= 0`,
        ),
      )
      .returning({ stock: products.stock });
    if (!updated) {
      const [product] = await tx
        .select({ stock: products.stock })
        .from(products)
        .where(and(eq(products.id, productId), isNull(products.deletedAt)));
      if (!product) throw new DomainError("not_found", `No product with id ${productId}`);
      throw new DomainError(
        "insufficient_stock",
        `Only ${product.stock} in stock; cannot remove ${-adjustment.delta}`,
        { stockLevel: product.stock },
      );
    }
    const [row] = await tx
      .insert(inventoryLedger)
      .values({
        productId,
        delta: adjustment.delta,
        reason: adjustment.reason,
        note: adjustment.note ?? null,
        stockAfter: updated.stock,
        actorId,
      })
      .returning();
    if (!row) throw new Error("unreachable: insert returned no row");
    return toEntry(row);
  });
  return entry;
}

const Position = z.strictObject({ productId: z.int(), id: z.int() });

/** A product's ledger, newest first; deleted products keep theirs, for the record. */
export async function listStockAdjustments(
  deps: InventoryDeps,
  productId: number,
  page: { limit: number; cursor?: string },
): Promise<{ data: InventoryEntry[]; nextCursor: string | null }> {
  const after = page.cursor ? deps.cursors.decode(page.cursor, Position) : undefined;
  if (after && after.productId !== productId)
    throw new DomainError("invalid_cursor", "The cursor belongs to another product's ledger");
  const [product] = await deps.db
    .select({ id: products.id })
    .from(products)
    .where(eq(products.id, productId));
  if (!product) throw new DomainError("not_found", `No product with id ${productId}`);
  const rows = await deps.db
    .select()
    .from(inventoryLedger)
    .where(
      and(
        eq(inventoryLedger.productId, productId),
        // Staff's adjustments; the movements of checkouts are in the ledger too, not in this list.
        inArray(inventoryLedger.reason, [...stockReasons]),
        after ? lt(inventoryLedger.id, after.id) : undefined,
      ),
    )
    .orderBy(desc(inventoryLedger.id))
    .limit(page.limit + 1);
  const data = rows.slice(0, page.limit).map(toEntry);
  const last = data.at(-1);
  return {
    data,
    nextCursor: rows.length > page.limit && last ? deps.cursors.encode({ productId, id: last.id }) : null,
  };
}

const isAdjustment = (reason: string): reason is StockReason =>
  (stockReasons as readonly string[]).includes(reason);

function toEntry(row: InventoryEntryRow): InventoryEntry {
  const { reason } = row;
  if (!isAdjustment(reason))
    throw new Error(`ledger line ${row.id} is a checkout's movement, not an adjustment`);
  return {
    id: row.id,
    productId: row.productId,
    delta: row.delta,
    reason,
    note: row.note,
    stockAfter: row.stockAfter,
    actorId: row.actorId,
    createdAt: row.createdAt.toISOString(),
  };
}
