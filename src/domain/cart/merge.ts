import { and, eq, sql } from "drizzle-orm";
import { cartLines, carts, products } from "../../../db/schema/index.ts";
import type { Db } from "../../platform/db.ts";
import { onSale } from "./cart.ts";
import { guestTokenHash } from "./owner.ts";
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from "./view.ts";

/**
 * At sign-in, the guest's cart joins the customer's: quantities of the same product are summed,
 * each capped by the stock and the line limit; products no longer on sale, and lines past the
 * cart's limit, stay behind. A line new to the customer keeps the price the guest saw, so the
 * cart still reports a change since. The guest cart is gone afterwards.
 *
 * Both carts are locked, the guest's first, so that two sign-ins racing with one cookie merge it once.
 */
export async function mergeGuestCart(db: Db, guestToken: string, userId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [guest] = await tx
      .select({ id: carts.id })
      .from(carts)
      .where(eq(carts.guestTokenHash, guestTokenHash(guestToken)))
      .for("update");
    if (!guest) return;
    await tx.insert(carts).values({ userId }).onConflictDoNothing();
    const [customer] = await tx
      .select({ id: carts.id })
      .from(carts)
      .where(eq(carts.userId, userId))
      .for("update");
    if (!customer) throw new Error("a cart that was just created is missing");

    const theirs = await tx
      .select({ productId: cartLines.productId, quantity: cartLines.quantity })
      .from(cartLines)
      .where(eq(cartLines.cartId, customer.id));
    const held = new Map(theirs.map((line) => [line.productId, line.quantity]));
    let lineCount = theirs.length;

    const incoming = await tx
      .select({
        productId: cartLines.productId,
        quantity: cartLines.quantity,
        unitPriceCents: cartLines.unitPriceCents,
        currency: cartLines.currency,
        addedAt: cartLines.addedAt,
        stock: products.stock,
        onSale,
      })
      .from(cartLines)
      .innerJoin(products, eq(products.id, cartLines.productId))
      .where(eq(cartLines.cartId, guest.id))
      .orderBy(cartLines.addedAt, cartLines.productId);

    for (const line of incoming) {
      if (!line.onSale) continue;
      const existing = held.get(line.productId);
      const merged = Math.min((existing ?? 0) + line.quantity, line.stock, MAX_LINE_QUANTITY);
      if (existing !== undefined) {
        if (merged > existing) {
          await tx
            .update(cartLines)
            .set({ quantity: merged })
            .where(and(eq(cartLines.cartId, customer.id), eq(cartLines.productId, line.productId)));
        }
        continue;
      }
      if (merged < 1 || lineCount >= MAX_CART_LINES) continue;
      await tx.insert(cartLines).values({
        cartId: customer.id,
        productId: line.productId,
        quantity: merged,
        unitPriceCents: line.unitPriceCents,
        currency: line.currency,
        addedAt: line.addedAt,
      });
      lineCount += 1;
    }
    await tx.delete(carts).where(eq(carts.id, guest.id));
    await tx.update(carts).set({ updatedAt: sql`now()` }).where(eq(carts.id, customer.id));
  });
}
