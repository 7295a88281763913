export * from "./auth.ts";
export * from "./categories.ts";
export * from "./outbox.ts";
export * from "./products.ts";
