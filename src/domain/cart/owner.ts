import { createHash, randomBytes } from "node:crypto";

/** Whose cart: a customer's account, or a guest known by the token in their cart cookie. */
export type CartOwner = { kind: "customer"; userId: string } | { kind: "guest"; tokenHash: string };

/** 256 random bits, URL-safe: the guest's cart cookie. */
export function newGuestToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Only the hash is stored, so that the database never holds a cookie anyone could replay. */
export function guestTokenHash(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

export function guestOwner(token: string): CartOwner {
  return { kind: "guest", tokenHash: guestTokenHash(token) };
}

/** The columns that name an owner, for a cart or checkout row. */
export function ownerColumns(owner: CartOwner): { userId: string } | { guestTokenHash: string } {
  return owner.kind === "customer" ? { userId: owner.userId } : { guestTokenHash: owner.tokenHash };
}
