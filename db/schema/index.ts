export * from "./categories.ts";
export * from "./products.ts";
