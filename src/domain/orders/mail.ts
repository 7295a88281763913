import type { MailMessage } from "../../platform/mailer";
import type { OrderView } from "./view.ts";

export type OrderMailKind =
  | "confirmation"
  | "payment_received"
  | "shipped"
  | "delivered"
  | "cancelled"
  | "refunded";

const HEADLINES: Record<OrderMailKind, { subject: string; lead: string }> = {
  confirmation: {
    subject: "Your JoxiCrochet order",
    lead: "Thank you for your order! We are getting it ready.",
  },
  payment_received: {
    subject: "Payment received for your JoxiCrochet order",
    lead: "We have received your payment.",
  },
  shipped: { subject: "Your JoxiCrochet order is on its way", lead: "Your order has left our workshop." },
  delivered: { subject: "Your JoxiCrochet order was delivered", lead: "Your order has arrived. Enjoy it!" },
  cancelled: {
    subject: "Your JoxiCrochet order was cancelled",
    lead: "Your order was cancelled. Any payment taken is refunded to you.",
  },
  refunded: { subject: "Your JoxiCrochet order was refunded", lead: "Your payment was refunded to you." },
};

const money = (cents: number) => `${(cents / 100).toFixed(2)} EUR`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** One of an order's mails, in plain text and HTML, with its lines and totals. */
export function orderMail(kind: OrderMailKind, order: OrderView, note?: string | null): MailMessage {
  const { subject, lead } = HEADLINES[kind];
  const totals: [string, number][] = [
    ["Goods", order.subtotal.amount],
    ["Shipping", order.shipping.amount],
    ["Tax", order.tax.amount],
    ["Total", order.total.amount],
  ];
  const text = [
    lead,
    "",
    `Order ${order.id}`,
    ...(note ? [note] : []),
    "",
    ...order.lines.map((line) => `${line.quantity} x ${line.name}  ${money(line.lineTotal.amount)}`),
    "",
    ...totals.map(([label, cents]) => `${label}: ${money(cents)}`),
    "",
    "JoxiCrochet",
    "",
  ].join("\n");
  const rows = order.lines
    .map(
      (line) =>
        `<tr><td>${line.quantity} &times; ${escapeHtml(line.name)}</td><td align="right">${money(line.lineTotal.amount)}</td></tr>`,
    )
    .join("");
  const sums = totals
    .map(([label, cents]) => `<tr><th align="left">${label}</th><td align="right">${money(cents)}</td></tr>`)
    .join("");
  const html = `<!doctype html><html><body><p>${escapeHtml(lead)}</p><p>Order <strong>${order.id}</strong></p>${
    note ? `<p>${escapeHtml(note)}</p>` : ""
  }<table>${rows}${sums}</table><p>JoxiCrochet</p></body></html>`;
  return { to: order.email, subject: `${subject} ${order.id}`, text, html };
}
