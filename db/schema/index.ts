export * from "./auth.ts";
export * from "./carts.ts";
export * from "./categories.ts";
export * from "./inventory-ledger.ts";
export * from "./outbox.ts";
export * from "./product-images.ts";
export * from "./products.ts";
export * from "./session-revocations.ts";
