import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoAccounts } from "../../db/seed/accounts.ts";
import { HEADER_LIMIT_BYTES, transportLimits } from "../../src/http/transport-limits";
import { assertMatchesContract } from "../support/contract";
import { noisyPng } from "../unit/images/fixtures";
import { type RunningServer, startServer } from "./support/server.ts";

/** What the server is started with: the default JSON limit. */
const JSON_BODY_LIMIT = 1024 * 1024;
/** A seeded product (the embedded default seeds the catalog). */
const PHOTO_PATH = "/api/products/1/images";

/** Status, headers and text of a response, after checking it against the contract. */
async function checked(method: string, path: string, response: Response) {
  const text = await response.text();
  assertMatchesContract(method, path, response, text);
  return { status: response.status, contentType: response.headers.get("content-type"), text };
}

// Limits are enforced by the app under the real Bun server, whose own ceilings answer with an
// empty body: only a real process shows which of the two a client meets.
describe("transport limits of the running server", () => {
  let server: RunningServer;
  let admin: Record<string, string>;

  beforeAll(async () => {
    // The demo admin exists on the embedded default only; the limits do not depend on the database.
    server = await startServer({ DATABASE_URL: undefined, REDIS_URL: undefined });
    const { email, password } = demoAccounts[0];
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    });
    expect(login.status).toBe(200);
    admin = { authorization: `Bearer ${((await login.json()) as { accessToken: string }).accessToken}` };
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  const upload = (photo: Uint8Array) => {
    const form = new FormData();
    form.set("file", new File([photo], "fox.png", { type: "image/png" }));
    return fetch(`${server.url}${PHOTO_PATH}`, { method: "POST", body: form, headers: admin });
  };

  it("accepts a valid 2.8 MB photo, which the contract allows (5 MB) and twice the JSON limit did not", async () => {
    const photo = await noisyPng(1120, 840);
    expect(photo.length).toBeGreaterThan(2.8e6);
    expect(photo.length).toBeGreaterThan(2 * JSON_BODY_LIMIT);
    const response = await checked("POST", PHOTO_PATH, await upload(photo));
    expect(response.status, response.text).toBe(201);
  }, 60_000);

  it("answers a body over the largest limit of the contract with a problem+json 413, unread", async () => {
    const { bodyBytes } = transportLimits(JSON_BODY_LIMIT);
    const response = await checked(
      "POST",
      PHOTO_PATH,
      await fetch(`${server.url}${PHOTO_PATH}`, {
        method: "POST",
        headers: { ...admin, "content-type": "multipart/form-data; boundary=x" },
        body: new Uint8Array(bodyBytes + 1),
      }),
    );
    expect(response.status).toBe(413);
    expect(response.contentType).toBe("application/problem+json");
    expect(JSON.parse(response.text)).toMatchObject({ status: 413, code: "payload_too_large" });
  }, 60_000);

  it("counts a chunked body as it is read, and answers past the operation's limit with a problem+json 413", async () => {
    const { bodyBytes } = transportLimits(JSON_BODY_LIMIT);
    const chunk = new Uint8Array(64 * 1024);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > bodyBytes) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const response = await checked(
      "POST",
      PHOTO_PATH,
      await fetch(`${server.url}${PHOTO_PATH}`, {
        method: "POST",
        headers: { ...admin, "content-type": "multipart/form-data; boundary=x" },
        body,
        duplex: "half",
      } as RequestInit),
    );
    expect(response.status).toBe(413);
    expect(JSON.parse(response.text)).toMatchObject({ status: 413, code: "payload_too_large" });
  }, 60_000);

  it("answers headers over the limit with a problem+json 431 that the contract's Problem schema accepts", async () => {
    const padded = (bytes: number) => ({ "x-padding": "a".repeat(bytes) });
    const fits = await checked(
      "GET",
      "/api/categories",
      await fetch(`${server.url}/api/categories`, { headers: padded(HEADER_LIMIT_BYTES - 1024) }),
    );
    expect(fits.status).toBe(200);

    const tooLarge = await checked(
      "GET",
      "/api/categories",
      await fetch(`${server.url}/api/categories`, { headers: padded(HEADER_LIMIT_BYTES + 1024) }),
    );
    expect(tooLarge.status).toBe(431);
    expect(tooLarge.contentType).toBe("application/problem+json");
    expect(JSON.parse(tooLarge.text)).toMatchObject({ status: 431, code: "request_header_fields_too_large" });

    // The request line counts too, as it does for Bun.
    const longPath = `/api/categories?q=${"a".repeat(HEADER_LIMIT_BYTES)}`;
    const longUrl = await checked("GET", longPath, await fetch(`${server.url}${longPath}`));
    expect(longUrl.status).toBe(431);
  }, 60_000);
});
