// The SDK as frontend developers get it: `npm run build:sdk` builds it, Node and Bun import the
// built file, TypeScript reads its declarations through the package's `./sdk` export, and a page
// on another origin (listed in CORS_ORIGINS) loads it in headless Chromium, signs in with the
// session cookie and lists products.
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUN, ROOT, type RunningServer, startServer } from "./support/server.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const BUILT = join(ROOT, "dist/sdk/index.js");
const account = {
  email: `sdk-${Date.now()}@example.com`,
  password: "granny-square-autumn-42",
  name: "Ada Lovelace",
};

/** The page's own origin: its HTML and the built SDK, nothing else. */
async function startPageServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    if (request.url === "/sdk/index.js") {
      response.writeHead(200, { "content-type": "text/javascript" });
      response.end(readFileSync(BUILT));
      return;
    }
    const api = new URL(request.url ?? "/", "http://page").searchParams.get("api") ?? "";
    response.writeHead(200, { "content-type": "text/html" });
    response.end(`<!doctype html><script type="module">
      import { createShop } from "/sdk/index.js";
      const shop = createShop({ baseUrl: ${JSON.stringify(api)} });
      try {
        await shop.signIn({ body: { email: ${JSON.stringify(account.email)}, password: ${JSON.stringify(account.password)} } });
        const me = await shop.getCurrentUser();
        const products = await shop.listProducts({ query: { limit: 5 } });
        window.__result = { email: me.email, products: products.data.length, cookieVisible: document.cookie.includes("session") };
      } catch (error) {
        window.__result = { error: String(error) };
      }
    </script>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe("the SDK package", () => {
  let page: { url: string; server: Server };
  let api: RunningServer;
  let browser: Browser | undefined;
  const scratch = mkdtempSync(join(tmpdir(), "jc-sdk-package-"));

  beforeAll(async () => {
    execFileSync(BUN, ["src/cli/build-sdk.ts"], { cwd: ROOT, stdio: "ignore" });
    page = await startPageServer();
    api = await startServer({ CORS_ORIGINS: page.url, SEED_ON_START: "true" });
    const registered = await fetch(`${api.url}/api/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(account),
    });
    expect(registered.status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    page?.server.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("is one ES module with none of the server inside", () => {
    const source = readFileSync(BUILT, "utf8");
    for (const serverSide of ["drizzle-orm", "ioredis", "better-auth", "@hono/", "node:fs", "pglite"]) {
      expect(source, serverSide).not.toContain(serverSide);
    }
    expect(existsSync(join(ROOT, "dist/sdk/types/src/sdk/index.d.ts"))).toBe(true);
  });

  it("runs in Node and in Bun, against the server", () => {
    const script = `const { createShop } = await import(${JSON.stringify(BUILT)});
      const health = await createShop({ baseUrl: ${JSON.stringify(api.url)} }).getHealth();
      console.log(health.status);`;
    const node = execFileSync("node", ["--input-type=module", "-e", script], { encoding: "utf8" });
    const bun = execFileSync(BUN, ["-e", script], { encoding: "utf8" });
    expect(node.trim()).toBe("ok");
    expect(bun.trim()).toBe("ok");
  });

  it("gives TypeScript its types through the package's ./sdk export", () => {
    const consumer = join(scratch, "consumer");
    mkdirSync(join(consumer, "node_modules"), { recursive: true });
    symlinkSync(ROOT, join(consumer, "node_modules/joxicrochet-api"));
    writeFileSync(
      join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "ESNext",
          moduleResolution: "Bundler",
          target: "ES2022",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          lib: ["ES2023", "DOM"],
          types: [],
        },
        files: ["app.ts"],
      }),
    );
    writeFileSync(
      join(consumer, "app.ts"),
      `import { createShop, type Shop } from "joxicrochet-api/sdk";
       const shop: Shop = createShop({ baseUrl: "" });
       export const names = shop.listProducts({ query: { limit: 5 } }).then((page) => page.data.map((p) => p.name));
       // @ts-expect-error the contract has no such query parameter
       shop.listProducts({ query: { colour: "red" } });\n`,
    );
    expect(() =>
      execFileSync(join(ROOT, "node_modules/.bin/tsc"), ["-p", join(consumer, "tsconfig.json")], {
        encoding: "utf8",
      }),
    ).not.toThrow();
  });

  it("loads in Chromium on another origin, signs in with the session cookie and lists products", async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`Chromium not found at ${CHROMIUM}: run tests/e2e/ensure-chromium.sh`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu"],
    });
    const tab = await browser.newPage();
    await tab.goto(`${page.url}/?api=${encodeURIComponent(api.url)}`);
    await tab.waitForFunction("window.__result !== undefined", undefined, { timeout: 30_000 });
    const result = (await tab.evaluate("window.__result")) as Record<string, unknown>;
    expect(result).toEqual({ email: account.email, products: 5, cookieVisible: false });
  }, 60_000);
});
