import type { CheckoutStatus, ShippingAddress } from "../../../db/schema/index.ts";
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

interface ShippingOptionView {
  id: string;
  name: string;
  price: Amount;
}

export interface CheckoutView {
  id: string;
  status: CheckoutStatus;
  expiresAt: string;
  lines: CheckoutLineView[];
  itemCount: number;
  email: string | null;
  shippingAddress?: ShippingAddress;
  shippingMethod: ShippingOptionView | null;
  shippingOptions: ShippingOptionView[];
  subtotal: Amount;
  shipping: Amount | null;
  tax: Amount;
  total: Amount;
  readyForPayment: boolean;
  createdAt: string;
}

interface CheckoutRecord {
  id: string;
  status: CheckoutStatus;
  expiresAt: Date;
  createdAt: Date;
  email: string | null;
  shippingAddress: ShippingAddress | null;
  shippingMethod: string | null;
  shippingCents: number | null;
  taxRateBasisPoints: number;
}

interface CheckoutLineRecord {
  productId: number;
  quantity: number;
  unitPriceCents: number;
  slug: string;
  name: string;
}

const euros = (amount: number): Amount => ({ amount, currency: CART_CURRENCY });

/**
 * Totals from the prices the checkout holds: goods, shipping once chosen, tax at the rate of the
 * moment it started (rounded half up to the cent), never a figure a client sent.
 */
export function checkoutView(
  checkout: CheckoutRecord,
  records: CheckoutLineRecord[],
  offered: { id: string; name: string; priceCents: number }[],
): CheckoutView {
  const lines = records.map((line) => ({
    productId: line.productId,
    slug: line.slug,
    name: line.name,
    quantity: line.quantity,
    unitPrice: euros(line.unitPriceCents),
    lineTotal: euros(line.unitPriceCents * line.quantity),
  }));
  const subtotal = lines.reduce((sum, line) => sum + line.lineTotal.amount, 0);
  const shipping = checkout.shippingCents;
  const tax = Math.round(((subtotal + (shipping ?? 0)) * checkout.taxRateBasisPoints) / 10_000);
  const chosen = offered.find((method) => method.id === checkout.shippingMethod);
  return {
    id: checkout.id,
    status: checkout.status,
    expiresAt: checkout.expiresAt.toISOString(),
    lines,
    itemCount: lines.reduce((sum, line) => sum + line.quantity, 0),
    email: checkout.email,
    ...(checkout.shippingAddress === null ? {} : { shippingAddress: checkout.shippingAddress }),
    shippingMethod:
      checkout.shippingMethod === null
        ? null
        : {
            id: checkout.shippingMethod,
            name: chosen?.name ?? checkout.shippingMethod,
            price: euros(shipping ?? 0),
          },
    shippingOptions: offered.map((method) => ({
      id: method.id,
      name: method.name,
      price: euros(method.priceCents),
    })),
    subtotal: euros(subtotal),
    shipping: shipping === null ? null : euros(shipping),
    tax: euros(tax),
    total: euros(subtotal + (shipping ?? 0) + tax),
    readyForPayment:
      checkout.status === "open" &&
      checkout.email !== null &&
      checkout.shippingAddress !== null &&
      checkout.shippingMethod !== null,
    createdAt: checkout.createdAt.toISOString(),
  };
}
