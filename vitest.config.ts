import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts", "openapi/codegen/**/*.test.ts"],
    testTimeout: 30000,
    hookTimeout: 60000,
  },
});
