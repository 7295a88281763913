import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, type RunningServer, startServer } from "./support/server.ts";

// Debian's chromium (tests/e2e/ensure-chromium.sh installs it); CHROMIUM_PATH points elsewhere.
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);
const SCREENSHOTS = join(tmpdir(), "joxicrochet-e2e");

interface Operation {
  method: string;
  path: string;
  tag: string | undefined;
  /** What Scalar shows for the operation: its summary, or its path when it has none. */
  label: string;
}

const HTTP_METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

/** Every operation of the contract, read from the generated document (never hard-coded). */
function contractOperations(): { title: string; tags: string[]; operations: Operation[] } {
  const document = JSON.parse(readFileSync(join(ROOT, "generated/openapi.json"), "utf8")) as {
    info: { title: string };
    tags?: { name: string }[];
    paths: Record<string, Record<string, { summary?: string; tags?: string[] }>>;
  };
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      operations.push({ method, path, tag: operation.tags?.[0], label: operation.summary ?? path });
    }
  }
  const tags = [...new Set([...(document.tags ?? []).map((t) => t.name), ...operations.map((o) => o.tag)])];
  return { title: document.info.title, tags: tags.filter((t): t is string => !!t), operations };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// Sidebar links read "<summary> HTTP Method: GET"; anchoring the start keeps "The API reference
// page" from also matching "The API reference page's script".
const startsWithLabel = (label: string) => new RegExp(`^${escapeRegExp(label)}(\\s|$)`);

describe("/docs in a real browser", () => {
  const contract = contractOperations();
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const externalRequests: string[] = [];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const failedRequests: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}: run tests/e2e/ensure-chromium.sh (as root it installs Debian's chromium package), or set CHROMIUM_PATH.`,
      );
    }
    server = await startServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    // Service workers blocked so that every request of the page goes through the routes below.
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, serviceWorkers: "block" });
    // Anything not addressed to this machine is recorded and aborted: the page must not need it.
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (LOCAL_HOSTS.has(url.hostname)) return route.continue();
      externalRequests.push(`${route.request().method()} ${route.request().url()}`);
      return route.abort("blockedbyclient");
    });
    await context.routeWebSocket(/.*/, (ws) => {
      const url = new URL(ws.url());
      if (LOCAL_HOSTS.has(url.hostname)) return ws.connectToServer();
      externalRequests.push(`WEBSOCKET ${ws.url()}`);
      return ws.close();
    });
    // The page's CSP blocks most outside requests before they reach the routes above (a
    // blocked attempt is still an attempt), so violations are recorded too.
    // (A string, not a function: this project's TypeScript has no DOM types.)
    await context.addInitScript({
      content: `
        globalThis.__cspViolations = [];
        document.addEventListener("securitypolicyviolation", (event) => {
          globalThis.__cspViolations.push(
            event.effectiveDirective + " blocked " + event.blockedURI +
              " at " + event.sourceFile + ":" + event.lineNumber + ":" + event.columnNumber,
          );
        });
      `,
    });
    page = await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(`${message.text()} (${message.location().url})`);
    });
    page.on("pageerror", (error) => pageErrors.push(error.stack ?? error.message));
    page.on("requestfailed", (request) =>
      failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`),
    );
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  }, 60_000);

  it("renders the Scalar reference with every operation of the contract, offline", async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const scriptResponse = page.waitForResponse((r) => new URL(r.url()).pathname === "/docs/scalar.js");
    const documentResponse = page.waitForResponse((r) => new URL(r.url()).pathname === "/openapi.json");
    const response = await page.goto(`${server.url}/docs`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-type"]).toMatch(/^text\/html/);
    // The script is the API's own copy of @scalar/api-reference, and it fetched the contract.
    expect((await scriptResponse).status()).toBe(200);
    expect((await documentResponse).status()).toBe(200);

    const main = page.locator("main");
    const sidebar = page.locator("aside");
    await expect
      .poll(() => main.getByRole("heading", { level: 1, name: contract.title }).count(), { timeout: 30_000 })
      .toBe(1);
    expect(await page.evaluate(() => typeof (globalThis as { Scalar?: unknown }).Scalar)).toBe("object");
    await page.screenshot({ path: join(SCREENSHOTS, "docs.png") });

    // Scalar renders collapsed tags lazily: open every tag group in the sidebar, then follow each
    // operation's link so that its section is rendered in the content.
    for (const tag of contract.tags) {
      const open = sidebar.getByRole("button", { name: `Open Group - ${tag}`, exact: true });
      if ((await open.count()) > 0) await open.click();
    }
    const missing: string[] = [];
    for (const operation of contract.operations) {
      const where = `${operation.method.toUpperCase()} ${operation.path} "${operation.label}"`;
      const link = sidebar.getByRole("link", { name: startsWithLabel(operation.label) });
      if ((await link.count()) !== 1) {
        missing.push(`${where}: ${await link.count()} sidebar links`);
        continue;
      }
      await link.click();
      const heading = main.getByRole("heading", { level: 3, name: operation.label, exact: true });
      try {
        await heading.waitFor({ state: "visible", timeout: 10_000 });
      } catch {
        missing.push(`${where}: no visible heading in the content`);
      }
    }
    await page.screenshot({ path: join(SCREENSHOTS, "docs-last-operation.png") });
    expect(missing, `operations not rendered:\n${missing.join("\n")}`).toEqual([]);

    // Every label is on the page at once (the sidebar and the rendered sections).
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text, as a reader sees it
    const text = await page.locator("body").innerText();
    for (const operation of contract.operations) expect(text).toContain(operation.label);
    expect(contract.operations.length).toBeGreaterThan(0);
    // The contract's examples are on the page: a request body's (a staff note on an order's new
    // status) and a response's (the client secret of a new payment), each found nowhere else.
    expect(text).toContain("Parcel handed to DHL, tracking 00340434161094042557");
    expect(text).toContain("pi_3QXa1b2C3d4E5f6G_secret_Zk8Lm2Nq");

    // No CDN, fonts service or telemetry: nothing left this machine, nothing local failed.
    expect(externalRequests, "requests to other hosts").toEqual([]);
    // The one expected violation: zod 4 (bundled in Scalar) probes `Function("")` in a try/catch
    // to decide whether it may JIT its validators; the CSP has no 'unsafe-eval' on purpose and
    // zod falls back to its interpreter. Any use of eval that matters shows up as a page error.
    const cspViolations = await page.evaluate(
      () => (globalThis as { __cspViolations?: string[] }).__cspViolations,
    );
    const unexpectedViolations = (cspViolations ?? []).filter(
      (v) => !v.startsWith("script-src blocked eval "),
    );
    expect(unexpectedViolations, "Content-Security-Policy violations").toEqual([]);
    expect(failedRequests, "failed requests").toEqual([]);
    const scriptErrors = consoleErrors.filter((e) =>
      /script|\.m?js\b|chunk|module|import|Content Security Policy|Refused to|Failed to load|net::ERR/i.test(
        e,
      ),
    );
    expect(scriptErrors, "console errors about loading scripts").toEqual([]);
    // Other console errors do not fail the test but are shown, so that they get noticed.
    const otherErrors = consoleErrors.filter((e) => !scriptErrors.includes(e));
    if (otherErrors.length > 0) console.warn(`console errors on /docs:\n${otherErrors.join("\n")}`);
    expect(pageErrors, "uncaught errors in the page").toEqual([]);
  }, 120_000);
});
