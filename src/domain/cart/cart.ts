import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import { cartLines, carts, products } from "../../../db/schema/index.ts";
import type { Db, Tx } from "../../platform/db.ts";
import { DomainError } from "../errors.ts";
import { type CartOwner, ownerColumns } from "./owner.ts";
import { type CartLineRecord, type CartView, cartView, MAX_CART_LINES, MAX_LINE_QUANTITY } from "./view.ts";

export interface LineRequest {
  productId: number;
  quantity: number;
}

/** The owner's cart row. */
export const cartOwnedBy = (owner: CartOwner): SQL =>
  owner.kind === "customer" ? eq(carts.userId, owner.userId) : eq(carts.guestTokenHash, owner.tokenHash);

/**
 * The units the owner can have: the product's stock, plus what the owner's own open checkout holds
 * of it (taken from stock when it started, and theirs until it ends).
 */
const stockFor = (owner: CartOwner): SQL<number> => {
  // Spelt out with table names: inside a single-table select, drizzle leaves columns unqualified.
  const ownerMatch =
    owner.kind === "customer"
      ? sql`"checkouts"."user_id" = ${owner.userId}`
      : sql`"checkouts"."guest_token_hash" = ${owner.tokenHash}`;
  return sql<number>`"products"."stock" + coalesce((
    select sum("checkout_lines"."quantity") from "checkout_lines"
    join "checkouts" on "checkouts"."id" = "checkout_lines"."checkout_id"
    where "checkout_lines"."product_id" = "products"."id" and "checkouts"."status" = 'open'
      and "checkouts"."expires_at" > now() and ${ownerMatch}), 0)::int`;
};

/** A product that can be sold: on sale and not deleted. */
export const onSale = sql<boolean>`${products.status} = 'active' and ${products.deletedAt} is null`;

export async function hasCart(db: Db, owner: CartOwner): Promise<boolean> {
  const [cart] = await db.select({ id: carts.id }).from(carts).where(cartOwnedBy(owner));
  return cart !== undefined;
}

export async function getCart(db: Db | Tx, owner: CartOwner): Promise<CartView> {
  const [cart] = await db.select({ id: carts.id }).from(carts).where(cartOwnedBy(owner));
  return cart ? cartView(await linesOf(db, cart.id, owner)) : cartView([]);
}

/**
 * Adds the product at its current price, or adds to its line's quantity (the line keeps the
 * price it was added at). The cart's row is locked first, so that concurrent additions to one
 * cart cannot pass the line limit together.
 */
export async function addLine(db: Db, owner: CartOwner, request: LineRequest): Promise<CartView> {
  return db.transaction(async (tx) => {
    const product = await productOnSale(tx, owner, request.productId);
    const cartId = await lockedCart(tx, owner, { create: true });
    if (cartId === undefined) throw new Error("a cart that was just created is missing");
    const [line] = await tx
      .select({ quantity: cartLines.quantity })
      .from(cartLines)
      .where(and(eq(cartLines.cartId, cartId), eq(cartLines.productId, product.id)));
    const quantity = (line?.quantity ?? 0) + request.quantity;
    checkQuantity(quantity, product.stock, product.id);
    if (line) {
      await tx
        .update(cartLines)
        .set({ quantity })
        .where(and(eq(cartLines.cartId, cartId), eq(cartLines.productId, product.id)));
    } else {
      await checkRoomFor(tx, cartId);
      await tx.insert(cartLines).values({
        cartId,
        productId: product.id,
        quantity,
        unitPriceCents: product.priceCents,
        currency: product.currency,
      });
    }
    await touch(tx, cartId);
    return cartView(await linesOf(tx, cartId, owner));
  });
}

export async function setQuantity(db: Db, owner: CartOwner, request: LineRequest): Promise<CartView> {
  return db.transaction(async (tx) => {
    const cartId = await lockedCart(tx, owner, { create: false });
    const [line] = cartId
      ? await tx
          .select({ stock: stockFor(owner) })
          .from(cartLines)
          .innerJoin(products, eq(products.id, cartLines.productId))
          .where(and(eq(cartLines.cartId, cartId), eq(cartLines.productId, request.productId)))
      : [];
    if (cartId === undefined || !line) throw missingLine(request.productId);
    checkQuantity(request.quantity, line.stock, request.productId);
    await tx
      .update(cartLines)
      .set({ quantity: request.quantity })
      .where(and(eq(cartLines.cartId, cartId), eq(cartLines.productId, request.productId)));
    await touch(tx, cartId);
    return cartView(await linesOf(tx, cartId, owner));
  });
}

export async function removeLine(db: Db, owner: CartOwner, productId: number): Promise<CartView> {
  return db.transaction(async (tx) => {
    const cartId = await lockedCart(tx, owner, { create: false });
    const removed = cartId
      ? await tx
          .delete(cartLines)
          .where(and(eq(cartLines.cartId, cartId), eq(cartLines.productId, productId)))
          .returning({ productId: cartLines.productId })
      : [];
    if (cartId === undefined || removed.length === 0) throw missingLine(productId);
    await touch(tx, cartId);
    return cartView(await linesOf(tx, cartId, owner));
  });
}

export async function clearCart(db: Db, owner: CartOwner): Promise<void> {
  const [cart] = await db.select({ id: carts.id }).from(carts).where(cartOwnedBy(owner));
  if (cart) await db.delete(cartLines).where(eq(cartLines.cartId, cart.id));
}

async function productOnSale(tx: Tx, owner: CartOwner, productId: number) {
  const [product] = await tx
    .select({
      id: products.id,
      priceCents: products.priceCents,
      currency: products.currency,
      stock: stockFor(owner),
      status: products.status,
      deletedAt: products.deletedAt,
    })
    .from(products)
    .where(eq(products.id, productId));
  if (!product) throw new DomainError("not_found", `There is no product ${productId}`);
  if (product.deletedAt !== null || product.status !== "active") {
    throw new DomainError("product_unavailable", `Product ${productId} is not on sale`, { productId });
  }
  return product;
}

/** The owner's cart, locked for this transaction; created first when asked to. */
async function lockedCart(tx: Tx, owner: CartOwner, { create }: { create: boolean }) {
  if (create) {
    await tx.insert(carts).values(ownerColumns(owner)).onConflictDoNothing();
  }
  const [cart] = await tx.select({ id: carts.id }).from(carts).where(cartOwnedBy(owner)).for("update");
  return cart?.id;
}

function checkQuantity(quantity: number, stock: number, productId: number): void {
  if (quantity > MAX_LINE_QUANTITY) {
    throw new DomainError("quantity_limit", `A line holds at most ${MAX_LINE_QUANTITY} of a product`, {
      productId,
      maxQuantity: MAX_LINE_QUANTITY,
    });
  }
  if (quantity > stock) {
    throw new DomainError("insufficient_stock", `Only ${Math.max(0, stock)} of product ${productId} left`, {
      productId,
      available: Math.max(0, stock),
    });
  }
}

async function checkRoomFor(tx: Tx, cartId: string): Promise<void> {
  const [{ lines } = { lines: 0 }] = await tx
    .select({ lines: sql<number>`count(*)::int` })
    .from(cartLines)
    .where(eq(cartLines.cartId, cartId));
  if (lines >= MAX_CART_LINES) {
    throw new DomainError("cart_full", `A cart holds at most ${MAX_CART_LINES} lines`, {
      maxLines: MAX_CART_LINES,
    });
  }
}

async function touch(tx: Tx, cartId: string): Promise<void> {
  await tx.update(carts).set({ updatedAt: sql`now()` }).where(eq(carts.id, cartId));
}

export function missingLine(productId: number): DomainError {
  return new DomainError("not_found", `The cart has no line for product ${productId}`);
}

async function linesOf(db: Db | Tx, cartId: string, owner: CartOwner): Promise<CartLineRecord[]> {
  const rows = await db
    .select({
      productId: cartLines.productId,
      quantity: cartLines.quantity,
      unitPriceCents: cartLines.unitPriceCents,
      addedAt: cartLines.addedAt,
      slug: products.slug,
      name: products.name,
      priceCents: products.priceCents,
      stock: stockFor(owner),
      status: products.status,
      deletedAt: products.deletedAt,
    })
    .from(cartLines)
    .innerJoin(products, eq(products.id, cartLines.productId))
    .where(eq(cartLines.cartId, cartId))
    .orderBy(asc(cartLines.addedAt), asc(cartLines.productId));
  return rows.map(({ deletedAt, ...row }) => ({ ...row, deleted: deletedAt !== null }));
}
