import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../src/config";

// What production refuses to start without, each named in the message (the deployment's
// replicas must agree on all three, so none may fall back to a per-process default).
describe("production's required settings", () => {
  const complete = {
    NODE_ENV: "production",
    PUBLIC_URL: "https://shop.example",
    AUTH_SECRET: "s".repeat(48),
    PAYMENT_WEBHOOK_SECRET: `whsec_${Buffer.alloc(32, 3).toString("base64")}`,
  };

  it("starts with all of them", () => {
    const config = loadConfig(complete);
    expect(config.publicUrl).toBe("https://shop.example");
  });

  it("refuses each one missing, naming it", () => {
    for (const name of ["PUBLIC_URL", "AUTH_SECRET", "PAYMENT_WEBHOOK_SECRET"] as const) {
      const { [name]: _missing, ...rest } = complete;
      expect(() => loadConfig(rest)).toThrow(ConfigError);
      expect(() => loadConfig(rest)).toThrow(new RegExp(`^Invalid ${name}: required`));
    }
  });

  it("falls back to the listening address outside production", () => {
    expect(loadConfig({ PORT: "4000" }).publicUrl).toBe("http://127.0.0.1:4000");
  });
});
