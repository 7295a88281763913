import { and, asc, eq, lte, sql } from "drizzle-orm";
import {
  cartLines,
  carts,
  checkoutLines,
  checkouts,
  products,
  type ShippingAddress,
} from "../../../db/schema/index.ts";
import type { Db, Tx } from "../../platform/db.ts";
import { cartOwnedBy, onSale } from "../cart/cart.ts";
import { type CartOwner, ownerColumns } from "../cart/owner.ts";
import { returnUnits, takeUnits } from "../catalog/stock-moves.ts";
import { DomainError } from "../errors.ts";
import { unguessableId } from "../ids.ts";
import { cancelPendingPayments } from "../payments/pending.ts";
import { type CheckoutView, checkoutView } from "./view.ts";

export interface ShippingMethod {
  id: string;
  name: string;
  priceCents: number;
}

export interface CheckoutDeps {
  db: Db;
  /** The flat rates on offer. */
  shippingMethods: ShippingMethod[];
  /** Tax on goods and shipping, in hundredths of a percent (1900 is 19 %). */
  taxRateBasisPoints: number;
}

export interface CheckoutChanges {
  email?: string;
  shippingAddress?: ShippingAddress;
  shippingMethod?: string;
}

export const nothingToCheckOut = () =>
  new DomainError("cart_empty", "The cart is empty: there is nothing to check out");
export const missingCheckout = () => new DomainError("not_found", "There is no such checkout");

/** How long a checkout holds its stock. */
export const RESERVATION_MINUTES = 15;

/** Not guessable, not countable: 128 random bits. */
const newCheckoutId = () => unguessableId("chk");

const ownedBy = (owner: CartOwner) =>
  owner.kind === "customer"
    ? eq(checkouts.userId, owner.userId)
    : eq(checkouts.guestTokenHash, owner.tokenHash);

/**
 * Starts a checkout from the owner's cart: every line must be on sale, and its units are taken
 * from stock for RESERVATION_MINUTES. An open checkout of the same owner ends first, giving its
 * units back. Stock is taken by conditional decrements in product-id order, quantities of one
 * product summed first, so that concurrent checkouts can neither oversell nor deadlock: the one
 * that finds too few units fails whole (409 `out_of_stock`) and holds nothing.
 */
export async function startCheckout(deps: CheckoutDeps, owner: CartOwner): Promise<CheckoutView> {
  return deps.db.transaction(async (tx) => {
    const cart = await cartToCheck(tx, owner);
    await cancelOpenCheckout(tx, owner);
    const id = newCheckoutId();
    const actorId = owner.kind === "customer" ? owner.userId : null;
    const wanted = summedByProduct(cart);
    for (const [productId, { quantity }] of wanted) await reserve(tx, productId, quantity, id, actorId);
    await tx.insert(checkouts).values({
      id,
      ...ownerColumns(owner),
      expiresAt: sql`now() + make_interval(mins => ${RESERVATION_MINUTES})`,
      taxRateBasisPoints: deps.taxRateBasisPoints,
    });
    await tx.insert(checkoutLines).values(
      [...wanted].map(([productId, { quantity, priceCents }]) => ({
        checkoutId: id,
        productId,
        quantity,
        unitPriceCents: priceCents,
      })),
    );
    return loadCheckout(tx, deps, owner, id);
  });
}

export async function getCheckout(deps: CheckoutDeps, owner: CartOwner, id: string): Promise<CheckoutView> {
  return loadCheckout(deps.db, deps, owner, id);
}

/**
 * Sets the contact address, the shipping address or the shipping method (from the flat rates on
 * offer, at its price of this moment) of an open checkout.
 */
export async function updateCheckout(
  deps: CheckoutDeps,
  owner: CartOwner,
  id: string,
  changes: CheckoutChanges,
): Promise<CheckoutView> {
  if (
    changes.email === undefined &&
    changes.shippingAddress === undefined &&
    changes.shippingMethod === undefined
  ) {
    throw new DomainError("unprocessable", "Send an email, a shippingAddress or a shippingMethod", {
      errors: [
        {
          location: "body",
          pointer: "",
          message: "Set at least one of email, shippingAddress, shippingMethod",
        },
      ],
    });
  }
  const method =
    changes.shippingMethod === undefined
      ? undefined
      : deps.shippingMethods.find((offered) => offered.id === changes.shippingMethod);
  if (changes.shippingMethod !== undefined && !method) {
    throw new DomainError("unprocessable", `There is no shipping method '${changes.shippingMethod}'`, {
      errors: [
        {
          location: "body",
          field: "shippingMethod",
          pointer: "/shippingMethod",
          message: `One of: ${deps.shippingMethods.map((offered) => offered.id).join(", ")}`,
        },
      ],
    });
  }
  return deps.db.transaction(async (tx) => {
    const [checkout] = await tx
      .select({ open: sql<boolean>`${checkouts.status} = 'open' and ${checkouts.expiresAt} > now()` })
      .from(checkouts)
      .where(and(eq(checkouts.id, id), ownedBy(owner)))
      .for("update");
    if (!checkout) throw missingCheckout();
    if (!checkout.open)
      throw new DomainError("checkout_closed", "This checkout has ended; start a new one from the cart");
    await tx
      .update(checkouts)
      .set({
        ...(changes.email === undefined ? {} : { email: changes.email }),
        ...(changes.shippingAddress === undefined ? {} : { shippingAddress: changes.shippingAddress }),
        ...(method === undefined ? {} : { shippingMethod: method.id, shippingCents: method.priceCents }),
        updatedAt: sql`now()`,
      })
      .where(eq(checkouts.id, id));
    // A payment created for the old total must not pay for the new one.
    if (method !== undefined) await cancelPendingPayments(tx, id);
    return loadCheckout(tx, deps, owner, id);
  });
}

/**
 * Ends the open checkouts past their time and gives their units back, a batch at a time; the
 * products whose stock came back, so that the catalog's cached answers can be dropped.
 */
export async function releaseExpiredCheckouts(db: Db, batch = 100): Promise<number[]> {
  return db.transaction(async (tx) => {
    const expired = await tx
      .select({ id: checkouts.id })
      .from(checkouts)
      .where(and(eq(checkouts.status, "open"), lte(checkouts.expiresAt, sql`now()`)))
      .orderBy(asc(checkouts.expiresAt))
      .limit(batch)
      .for("update", { skipLocked: true });
    const released = new Set<number>();
    for (const { id } of expired) {
      for (const productId of await giveBack(tx, id, "expired")) released.add(productId);
    }
    return [...released];
  });
}

interface CartLineToCheck {
  productId: number;
  quantity: number;
  priceCents: number;
  onSale: boolean;
}

async function cartToCheck(tx: Tx, owner: CartOwner): Promise<CartLineToCheck[]> {
  const [cart] = await tx.select({ id: carts.id }).from(carts).where(cartOwnedBy(owner)).for("update");
  const lines = cart
    ? await tx
        .select({
          productId: cartLines.productId,
          quantity: cartLines.quantity,
          priceCents: products.priceCents,
          onSale,
        })
        .from(cartLines)
        .innerJoin(products, eq(products.id, cartLines.productId))
        .where(eq(cartLines.cartId, cart.id))
        .orderBy(asc(cartLines.productId))
    : [];
  if (lines.length === 0) throw nothingToCheckOut();
  const unavailable = lines.find((line) => !line.onSale);
  if (unavailable) {
    throw new DomainError("product_unavailable", `Product ${unavailable.productId} is no longer on sale`, {
      productId: unavailable.productId,
    });
  }
  return lines;
}

function summedByProduct(lines: CartLineToCheck[]): Map<number, { quantity: number; priceCents: number }> {
  const sums = new Map<number, { quantity: number; priceCents: number }>();
  for (const line of [...lines].sort((a, b) => a.productId - b.productId)) {
    const quantity = (sums.get(line.productId)?.quantity ?? 0) + line.quantity;
    sums.set(line.productId, { quantity, priceCents: line.priceCents });
  }
  return sums;
}

async function reserve(
  tx: Tx,
  productId: number,
  quantity: number,
  checkoutId: string,
  actorId: string | null,
) {
  const note = `checkout ${checkoutId}`;
  const left = await takeUnits(tx, { productId, quantity, reason: "reserved", note, actorId });
  if (left !== undefined) return;
  const [product] = await tx
    .select({ stock: products.stock })
    .from(products)
    .where(eq(products.id, productId));
  throw new DomainError("out_of_stock", `Only ${product?.stock ?? 0} of product ${productId} left`, {
    productId,
    available: product?.stock ?? 0,
  });
}

async function cancelOpenCheckout(tx: Tx, owner: CartOwner): Promise<void> {
  const [open] = await tx
    .select({ id: checkouts.id })
    .from(checkouts)
    .where(and(ownedBy(owner), eq(checkouts.status, "open")))
    .for("update");
  if (open) await giveBack(tx, open.id, "cancelled");
}

/** Ends an open checkout and returns its units to stock, a ledger line each; the products touched. */
async function giveBack(tx: Tx, checkoutId: string, status: "expired" | "cancelled"): Promise<number[]> {
  const lines = await tx
    .select({ productId: checkoutLines.productId, quantity: checkoutLines.quantity })
    .from(checkoutLines)
    .where(eq(checkoutLines.checkoutId, checkoutId))
    .orderBy(asc(checkoutLines.productId));
  for (const line of lines) {
    await returnUnits(tx, { ...line, reason: "released", note: `checkout ${checkoutId} ${status}` });
  }
  await tx.update(checkouts).set({ status, updatedAt: sql`now()` }).where(eq(checkouts.id, checkoutId));
  await cancelPendingPayments(tx, checkoutId);
  return lines.map((line) => line.productId);
}

/** What a checkout's view is made of. */
const checkoutColumns = {
  id: checkouts.id,
  status: checkouts.status,
  expiresAt: checkouts.expiresAt,
  createdAt: checkouts.createdAt,
  email: checkouts.email,
  shippingAddress: checkouts.shippingAddress,
  shippingMethod: checkouts.shippingMethod,
  shippingCents: checkouts.shippingCents,
  taxRateBasisPoints: checkouts.taxRateBasisPoints,
};

/** A checkout's lines with their products' names, in product order. */
export async function checkoutLinesOf(db: Db | Tx, id: string) {
  return db
    .select({
      productId: checkoutLines.productId,
      quantity: checkoutLines.quantity,
      unitPriceCents: checkoutLines.unitPriceCents,
      slug: products.slug,
      name: products.name,
    })
    .from(checkoutLines)
    .innerJoin(products, eq(products.id, checkoutLines.productId))
    .where(eq(checkoutLines.checkoutId, id))
    .orderBy(asc(checkoutLines.productId));
}

/**
 * A checkout as a payment sees it, its row locked for the caller's transaction: whether it can
 * still be paid for (open and in time), and its total.
 */
export async function checkoutForPayment(
  tx: Tx,
  id: string,
): Promise<{ payable: boolean; ready: boolean; totalCents: number } | undefined> {
  const [checkout] = await tx
    .select({ ...checkoutColumns, inTime: sql<boolean>`${checkouts.expiresAt} > now()` })
    .from(checkouts)
    .where(eq(checkouts.id, id))
    .for("update");
  if (!checkout) return undefined;
  const view = checkoutView(checkout, await checkoutLinesOf(tx, id), []);
  return {
    payable: checkout.status === "open" && checkout.inTime,
    ready: view.readyForPayment,
    totalCents: view.total.amount,
  };
}

async function loadCheckout(
  db: Db | Tx,
  deps: CheckoutDeps,
  owner: CartOwner,
  id: string,
): Promise<CheckoutView> {
  const [checkout] = await db
    .select({ ...checkoutColumns, pastItsTime: sql<boolean>`${checkouts.expiresAt} <= now()` })
    .from(checkouts)
    .where(and(eq(checkouts.id, id), ownedBy(owner)));
  if (!checkout) throw missingCheckout();
  const lines = await checkoutLinesOf(db, id);
  // Past its time it no longer holds anything, whether or not the sweeper has come by yet.
  const status = checkout.status === "open" && checkout.pastItsTime ? "expired" : checkout.status;
  return checkoutView({ ...checkout, status }, lines, deps.shippingMethods);
}
