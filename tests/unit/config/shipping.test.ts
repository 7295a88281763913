import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../src/config";

describe("shipping and tax settings", () => {
  it("offers standard and express delivery, tax included, when nothing is configured", () => {
    const config = loadConfig({});
    expect(config.shippingMethods.map((method) => [method.id, method.priceCents])).toEqual([
      ["standard", 495],
      ["express", 995],
    ]);
    expect(config.taxRatePercent).toBe(0);
  });

  it("reads SHIPPING_METHODS as JSON and TAX_RATE_PERCENT as a number", () => {
    const config = loadConfig({
      SHIPPING_METHODS: '[{"id":"pickup","name":"Pick up in the shop","priceCents":0}]',
      TAX_RATE_PERCENT: "7.5",
    });
    expect(config.shippingMethods).toEqual([{ id: "pickup", name: "Pick up in the shop", priceCents: 0 }]);
    expect(config.taxRatePercent).toBe(7.5);
  });

  it("refuses at start what a checkout could not use, naming the variable", () => {
    for (const [name, value] of <[string, string][]>[
      ["SHIPPING_METHODS", "standard:495"],
      ["SHIPPING_METHODS", "[]"],
      ["SHIPPING_METHODS", '[{"id":"Standard Delivery","name":"x","priceCents":495}]'],
      ["SHIPPING_METHODS", '[{"id":"standard","name":"x","priceCents":-1}]'],
      ["SHIPPING_METHODS", '[{"id":"standard","name":"x","priceCents":495,"free":true}]'],
      ["TAX_RATE_PERCENT", "101"],
      ["TAX_RATE_PERCENT", "lots"],
    ]) {
      expect(() => loadConfig({ [name]: value }), value).toThrow(ConfigError);
      expect(() => loadConfig({ [name]: value }), value).toThrow(new RegExp(`Invalid ${name}`));
    }
  });
});
