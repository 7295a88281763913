import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { clientIp, type SocketAddressSource } from "../../../src/http/client-ip";
import { normalizeIp, rateLimitSubject, trustedProxies } from "../../../src/net/ip";

/** What Bun.serve hands the app as `c.env`, with the peer address the test chooses. */
function peer(address: string | null): SocketAddressSource {
  return { requestIP: () => (address === null ? null : { address, family: "IPv4", port: 50_000 }) };
}

async function resolve(
  trusted: readonly string[],
  socket: string | null | undefined,
  forwardedFor?: string | string[],
): Promise<string | undefined> {
  const app = new Hono();
  let seen: string | undefined = "(not called)";
  app.get("/", (c) => {
    seen = clientIp(c, trustedProxies(trusted));
    return c.body(null, 204);
  });
  const headers = new Headers();
  for (const value of [forwardedFor ?? []].flat()) headers.append("X-Forwarded-For", value);
  await app.request("/", { headers }, socket === undefined ? undefined : peer(socket));
  return seen;
}

describe("trusted proxies", () => {
  const proxies = trustedProxies(["10.0.0.0/8", "127.0.0.1", "::1", "fd00::/8", "192.168.1.0/24"]);

  it.each([
    ["10.1.2.3", true],
    ["10.255.255.255", true],
    ["11.0.0.1", false],
    ["127.0.0.1", true],
    ["127.0.0.2", false],
    ["::1", true],
    ["0:0:0:0:0:0:0:1", true],
    ["::2", false],
    ["fd12:3456::1", true],
    ["fe80::1", false],
    ["192.168.1.77", true],
    ["192.168.2.1", false],
    ["::ffff:10.9.8.7", true], // IPv4-mapped, as a dual-stack socket reports IPv4 peers
    ["::ffff:127.0.0.1", true],
    ["not-an-ip", false],
    ["10.1.2.3 ", false],
    ["", false],
  ])("%s → %s", (address, expected) => {
    expect(proxies.has(address)).toBe(expected);
  });

  it("accepts /0 and full-length prefixes, and IPv4-mapped ranges", () => {
    expect(trustedProxies(["0.0.0.0/0"]).has("8.8.8.8")).toBe(true);
    expect(trustedProxies(["0.0.0.0/0"]).has("2001:db8::1")).toBe(false);
    expect(trustedProxies(["203.0.113.9/32"]).has("203.0.113.9")).toBe(true);
    expect(trustedProxies(["::ffff:10.0.0.0/104"]).has("10.20.30.40")).toBe(true);
  });

  it.each([
    "10.0.0.0/33",
    "::1/129",
    "10.0.0.0/x",
    "10.0.0/8",
    "proxy.internal",
    "10.0.0.1/8/8",
    "",
    "1.2.3.4:80",
  ])("refuses the configuration entry '%s'", (entry) => {
    expect(() => trustedProxies([entry])).toThrow(/Invalid trusted proxy/);
  });
});

describe("clientIp", () => {
  const trusted = ["10.0.0.0/8", "::1"];

  it("is the socket address when no proxy is trusted, whatever the headers say", async () => {
    expect(await resolve([], "198.51.100.7", "1.1.1.1")).toBe("198.51.100.7");
  });

  it("ignores X-Forwarded-For from an untrusted peer (spoofing)", async () => {
    expect(await resolve(trusted, "198.51.100.7", "10.0.0.5")).toBe("198.51.100.7");
    expect(await resolve(trusted, "198.51.100.7", "203.0.113.1, 10.0.0.5")).toBe("198.51.100.7");
  });

  it("reads the hop the trusted proxy appended, not what the client put in front of it", async () => {
    // The client sent `X-Forwarded-For: 1.2.3.4`; the proxy appended the real peer.
    expect(await resolve(trusted, "10.0.0.2", "1.2.3.4, 198.51.100.7")).toBe("198.51.100.7");
  });

  it("walks from the right past every trusted hop", async () => {
    expect(await resolve(trusted, "10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.9, 10.1.1.1")).toBe(
      "198.51.100.7",
    );
  });

  it("reads repeated X-Forwarded-For fields as one list", async () => {
    expect(await resolve(trusted, "10.0.0.2", ["6.6.6.6", "198.51.100.7"])).toBe("198.51.100.7");
  });

  it("is the last trusted hop when every hop is trusted", async () => {
    expect(await resolve(trusted, "10.0.0.2", "10.0.0.3")).toBe("10.0.0.3");
    expect(await resolve(trusted, "10.0.0.2", undefined)).toBe("10.0.0.2");
    expect(await resolve(trusted, "10.0.0.2", "")).toBe("10.0.0.2");
  });

  it("stops at a malformed hop instead of skipping to what the client wrote", async () => {
    expect(await resolve(trusted, "10.0.0.2", "6.6.6.6, unknown")).toBe("10.0.0.2");
    expect(await resolve(trusted, "10.0.0.2", "6.6.6.6, garbage, 10.0.0.3")).toBe("10.0.0.3");
    expect(await resolve(trusted, "10.0.0.2", "6.6.6.6,")).toBe("10.0.0.2");
    expect(await resolve(trusted, "10.0.0.2", "6.6.6.6, 999.1.1.1")).toBe("10.0.0.2");
    expect(await resolve(trusted, "10.0.0.2", "6.6.6.6, 01.2.3.4")).toBe("10.0.0.2");
    expect(await resolve(trusted, "10.0.0.2", "6.6.6.6, fe80::1%eth0")).toBe("10.0.0.2");
    expect(await resolve(trusted, "10.0.0.2", `6.6.6.6, ${"1".repeat(5_000)}`)).toBe("10.0.0.2");
  });

  it("accepts hops with ports and bracketed IPv6, and canonicalises them", async () => {
    expect(await resolve(trusted, "10.0.0.2", "198.51.100.7:4711")).toBe("198.51.100.7");
    expect(await resolve(trusted, "10.0.0.2", "[2001:DB8:0:0::7]:443")).toBe("2001:db8::7");
    expect(await resolve(trusted, "10.0.0.2", "2001:db8::7")).toBe("2001:db8::7");
    expect(await resolve(trusted, "::1", "::ffff:198.51.100.7")).toBe("198.51.100.7");
  });

  it("trusts an IPv4-mapped socket address as its IPv4 address", async () => {
    expect(await resolve(trusted, "::ffff:10.0.0.2", "198.51.100.7")).toBe("198.51.100.7");
    expect(await resolve([], "::ffff:198.51.100.7")).toBe("198.51.100.7");
  });

  it("does not read more than 16 trusted hops", async () => {
    const hops = Array.from({ length: 40 }, (_, i) => `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`);
    expect(await resolve(trusted, "10.0.0.2", ["198.51.100.7", ...hops].join(", "))).toBe(hops[24]);
  });

  it("is undefined when the runtime does not tell the peer (app.request without env)", async () => {
    expect(await resolve(trusted, undefined, "198.51.100.7")).toBeUndefined();
    expect(await resolve(trusted, null, "198.51.100.7")).toBeUndefined();
  });

  it("finds Bun's server under `server` too (as hono/bun does)", async () => {
    const app = new Hono();
    app.get("/", (c) => c.text(clientIp(c, trustedProxies([])) ?? "none"));
    const response = await app.request("/", {}, { server: peer("203.0.113.4") });
    expect(await response.text()).toBe("203.0.113.4");
  });
});

describe("rate-limit subjects", () => {
  it("counts IPv4 per address and IPv6 per /64", () => {
    expect(rateLimitSubject("203.0.113.4")).toBe("203.0.113.4");
    expect(rateLimitSubject("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(rateLimitSubject("2001:db8:1:2:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(rateLimitSubject("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
  });

  it("normalises addresses", () => {
    expect(normalizeIp("2001:0DB8:0000::0001")).toBe("2001:db8::1");
    expect(normalizeIp("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(normalizeIp("192.0.2.1")).toBe("192.0.2.1");
    expect(normalizeIp("192.0.2")).toBeUndefined();
  });
});
