import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../src/config";

// Docker and Swarm secrets are files under /run/secrets: every secret variable X can be given as
// X_FILE instead, and the database password apart from the URL.
describe("secrets read from files (*_FILE)", () => {
  const folder = mkdtempSync(join(tmpdir(), "jc-secrets-"));
  const secret = (name: string, content: string) => {
    const path = join(folder, name);
    writeFileSync(path, content);
    return path;
  };
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("reads AUTH_SECRET_FILE, dropping the one newline an editor or echo leaves", () => {
    const value = "a-production-secret-of-more-than-32-characters";
    const config = loadConfig({ NODE_ENV: "test", AUTH_SECRET_FILE: secret("auth", `${value}\n`) });
    expect(config.authSecret).toBe(value);
  });

  it("satisfies production's required secrets from files alone", () => {
    const config = loadConfig({
      NODE_ENV: "production",
      PUBLIC_URL: "https://shop.example",
      AUTH_SECRET_FILE: secret("auth-prod", "x".repeat(48)),
      PAYMENT_WEBHOOK_SECRET_FILE: secret("webhook", `whsec_${Buffer.alloc(32, 7).toString("base64")}\n`),
      DATABASE_URL: "postgres://shop@db:5432/shop",
      DATABASE_PASSWORD_FILE: secret("db-password", "p@ss:w/rd%\n"),
    });
    expect(config.authSecret).toBe("x".repeat(48));
    expect(config.payments).toMatchObject({
      provider: "test",
      webhookSecret: expect.stringMatching(/^whsec_/),
    });
    // The password goes into the URL percent-encoded, and decodes back to itself.
    const url = new URL((config.database as { url: string }).url);
    expect(decodeURIComponent(url.password)).toBe("p@ss:w/rd%");
    expect([url.username, url.host, url.pathname]).toEqual(["shop", "db:5432", "/shop"]);
  });

  it("refuses, naming the variable, a file that cannot be read, a value given twice, or a stray password", () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ AUTH_SECRET_FILE: join(folder, "missing") }, /^Invalid AUTH_SECRET_FILE: cannot read /],
      [
        { AUTH_SECRET: "y".repeat(40), AUTH_SECRET_FILE: secret("both", "z".repeat(40)) },
        /^Invalid AUTH_SECRET_FILE: set AUTH_SECRET or AUTH_SECRET_FILE, not both/,
      ],
      [{ DATABASE_PASSWORD: "secret" }, /^Invalid DATABASE_PASSWORD: .*DATABASE_URL, which is unset/],
      [
        { DATABASE_URL: "postgres://shop:old@db/shop", DATABASE_PASSWORD: "new" },
        /^Invalid DATABASE_PASSWORD: DATABASE_URL already holds a password/,
      ],
    ];
    for (const [env, message] of cases) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(message);
    }
  });

  it("never puts a secret's value in the error that refuses it", () => {
    const value = "too-short-but-secret";
    expect(() => loadConfig({ AUTH_SECRET_FILE: secret("short", value) })).toThrow(
      /^Invalid AUTH_SECRET: must be at least 32 characters$/,
    );
    try {
      loadConfig({ AUTH_SECRET_FILE: secret("short2", value) });
    } catch (error) {
      expect(String(error)).not.toContain(value);
    }
  });

  it("migrates on start by default and leaves it to the job when MIGRATE_ON_START=false", () => {
    expect(loadConfig({}).migrateOnStart).toBe(true);
    expect(loadConfig({ MIGRATE_ON_START: "false" }).migrateOnStart).toBe(false);
  });
});
