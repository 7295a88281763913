import type { CheckoutStatus } from "../../../db/schema/index.ts";
import { CART_CURRENCY } from "../cart/view.ts";

interface Amount {
  amount: number;
  currency: "EUR";
}

export interface CheckoutLineView {
  productId: number;
  slug: string;
  name: string;
  quantity: number;
  unitPrice: Amount;
  lineTotal: Amount;
}

export interface CheckoutView {
  id: string;
  status: CheckoutStatus;
  expiresAt: string;
  lines: CheckoutLineView[];
  itemCount: number;
  subtotal: Amount;
  createdAt: string;
}

const euros = (amount: number): Amount => ({ amount, currency: CART_CURRENCY });

export function checkoutView(
  checkout: { id: string; status: CheckoutStatus; expiresAt: Date; createdAt: Date },
  records: { productId: number; quantity: number; unitPriceCents: number; slug: string; name: string }[],
): CheckoutView {
  const lines = records.map((line) => ({
    productId: line.productId,
    slug: line.slug,
    name: line.name,
    quantity: line.quantity,
    unitPrice: euros(line.unitPriceCents),
    lineTotal: euros(line.unitPriceCents * line.quantity),
  }));
  return {
    id: checkout.id,
    status: checkout.status,
    expiresAt: checkout.expiresAt.toISOString(),
    lines,
    itemCount: lines.reduce((sum, line) => sum + line.quantity, 0),
    subtotal: euros(lines.reduce((sum, line) => sum + line.lineTotal.amount, 0)),
    createdAt: checkout.createdAt.toISOString(),
  };
}
