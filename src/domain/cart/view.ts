import type { ProductStatus } from "../catalog/products/model.ts";

export const CART_CURRENCY = "EUR" as const;
export const MAX_LINE_QUANTITY = 99;
export const MAX_CART_LINES = 100;

export type CartLineChange = "price_changed" | "insufficient_stock" | "unavailable";

/** A cart line as stored, with its product as it is now. */
export interface CartLineRecord {
  productId: number;
  quantity: number;
  unitPriceCents: number;
  addedAt: Date;
  slug: string;
  name: string;
  priceCents: number;
  stock: number;
  status: ProductStatus;
  deleted: boolean;
}

interface Amount {
  amount: number;
  currency: "EUR";
}

export interface CartLineView {
  productId: number;
  slug: string;
  name: string;
  quantity: number;
  unitPrice: Amount;
  currentPrice: Amount;
  lineTotal: Amount;
  stockLevel: number;
  changes: CartLineChange[];
  addedAt: string;
}

export interface CartView {
  lines: CartLineView[];
  lineCount: number;
  itemCount: number;
  subtotal: Amount;
  hasChanges: boolean;
}

const euros = (amount: number): Amount => ({ amount, currency: CART_CURRENCY });

export function changesOf(line: CartLineRecord): CartLineChange[] {
  const changes: CartLineChange[] = [];
  if (line.priceCents !== line.unitPriceCents) changes.push("price_changed");
  if (line.stock < line.quantity) changes.push("insufficient_stock");
  if (line.deleted || line.status !== "active") changes.push("unavailable");
  return changes;
}

/** Totals at current prices: the price a checkout would charge, never one a client sent. */
export function cartView(records: CartLineRecord[]): CartView {
  const lines = records.map(
    (record): CartLineView => ({
      productId: record.productId,
      slug: record.slug,
      name: record.name,
      quantity: record.quantity,
      unitPrice: euros(record.unitPriceCents),
      currentPrice: euros(record.priceCents),
      lineTotal: euros(record.priceCents * record.quantity),
      stockLevel: Math.max(0, record.stock),
      changes: changesOf(record),
      addedAt: record.addedAt.toISOString(),
    }),
  );
  const onSale = lines.filter((line) => !line.changes.includes("unavailable"));
  return {
    lines,
    lineCount: lines.length,
    itemCount: lines.reduce((sum, line) => sum + line.quantity, 0),
    subtotal: euros(onSale.reduce((sum, line) => sum + line.lineTotal.amount, 0)),
    hasChanges: lines.some((line) => line.changes.length > 0),
  };
}

export const emptyCart = (): CartView => cartView([]);
