import { isIP } from "node:net";
import type { Context } from "hono";
import {
  convertIPv4MappedIPv6ToIPv4,
  convertIPv4ToBinary,
  convertIPv6BinaryToString,
  convertIPv6ToBinary,
  isIPv4MappedIPv6,
} from "hono/utils/ipaddr";

/** An address in canonical form: IPv4 dotted quad, IPv6 compressed lower case. */
interface Address {
  family: 4 | 6;
  value: bigint;
  text: string;
}

/**
 * The trusted proxies (`TRUSTED_PROXIES`): exact addresses and CIDR ranges, IPv4 and IPv6.
 * An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) counts as the IPv4 address it carries.
 */
export interface TrustedProxies {
  has(address: string): boolean;
  readonly size: number;
}

interface Range {
  family: 4 | 6;
  network: bigint;
  prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

/** Reads the configured list once; an entry that is not an address or a range stops the start. */
export function trustedProxies(entries: readonly string[]): TrustedProxies {
  const ranges = entries.map(parseRange);
  const matches = (address: Address) =>
    ranges.some(
      (range) =>
        range.family === address.family &&
        address.value >> BigInt(BITS[range.family] - range.prefix) ===
          range.network >> BigInt(BITS[range.family] - range.prefix),
    );
  return {
    size: ranges.length,
    has(text) {
      const address = parseAddress(text);
      return address !== undefined && matches(address);
    },
  };
}

function parseRange(entry: string): Range {
  const [host = "", prefixText, ...rest] = entry.trim().split("/");
  const address = parseAddress(host);
  const invalid = (why: string) => new Error(`Invalid trusted proxy '${entry}': ${why}`);
  if (!address || rest.length > 0) throw invalid("expected an IP address or a CIDR range such as 10.0.0.0/8");
  const bits = BITS[address.family];
  let prefix: number = bits;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText)) throw invalid("the prefix length must be a number");
    prefix = Number(prefixText);
    // An IPv4-mapped range (::ffff:10.0.0.0/104) has been read as IPv4: take the mapped bits off.
    if (address.family === 4 && isIP(host) === 6) prefix -= 96;
    if (prefix < 0 || prefix > bits) throw invalid(`the prefix length must be between 0 and ${bits}`);
  }
  return { family: address.family, network: address.value, prefix };
}

/**
 * An address in canonical form, or undefined when the text is not exactly an IP address (no
 * ports, brackets, zones or spaces). IPv4-mapped IPv6 addresses become IPv4.
 */
export function parseAddress(text: string): Address | undefined {
  if (text.length === 0 || text.length > 45 || !/^[0-9A-Fa-f.:]+$/.test(text)) return undefined;
  const family = isIP(text);
  if (family === 4) return { family: 4, value: convertIPv4ToBinary(text), text };
  if (family !== 6) return undefined;
  let value: bigint;
  try {
    value = convertIPv6ToBinary(text);
  } catch {
    return undefined;
  }
  if (isIPv4MappedIPv6(value)) {
    const v4 = convertIPv4MappedIPv6ToIPv4(value);
    return { family: 4, value: v4, text: ipv4Text(v4) };
  }
  return { family: 6, value, text: convertIPv6BinaryToString(value) };
}

function ipv4Text(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join(".");
}

/** The canonical form of an address, or undefined when it is not one. */
export function normalizeIp(text: string | undefined): string | undefined {
  return text === undefined ? undefined : parseAddress(text)?.text;
}

/**
 * The key a client address is counted under. An IPv6 client usually holds a whole /64 (and can
 * pick any address in it), so IPv6 addresses count per /64; IPv4 addresses count each.
 */
export function rateLimitSubject(ip: string): string {
  const address = parseAddress(ip);
  if (!address) return ip;
  if (address.family === 4) return address.text;
  return `${convertIPv6BinaryToString((address.value >> 64n) << 64n)}/64`;
}

/** What Bun.serve passes as the second argument of fetch (Hono's `c.env`), and what tests inject. */
export interface SocketAddressSource {
  requestIP(request: Request): { address: string; family?: string; port?: number } | null;
}

/** The peer address of the connection, when the runtime tells it (Bun.serve does; `app.request` does not). */
export function socketAddress(c: Context): string | undefined {
  const env: unknown = c.env;
  if (env === null || typeof env !== "object") return undefined;
  // hono/bun's getBunServer: either the server itself or `{ server }`.
  const server: unknown = "server" in env ? (env as { server: unknown }).server : env;
  if (server === null || typeof server !== "object" || !("requestIP" in server)) return undefined;
  const requestIP = (server as Partial<SocketAddressSource>).requestIP;
  if (typeof requestIP !== "function") return undefined;
  try {
    return normalizeIp(requestIP.call(server, c.req.raw)?.address);
  } catch {
    return undefined;
  }
}

/** Hops of X-Forwarded-For read at most: past this many trusted proxies, the last one is the client. */
const MAX_FORWARDED_HOPS = 16;

/**
 * The client's address. X-Forwarded-For is read only when the connection comes from a trusted
 * proxy, and then from the right: each hop was appended by the proxy before it, so the first
 * address from the right that is not a trusted proxy is the client; anything left of it was
 * written by the client and may be forged. A malformed hop ends the walk at the last address
 * known to be good (a client cannot make the walk skip over what the proxy wrote).
 *
 * Undefined when the runtime does not tell the peer address (under `app.request()` without an env).
 */
export function clientIp(c: Context, trusted: TrustedProxies | readonly string[]): string | undefined {
  const proxies = isTrustedProxies(trusted) ? trusted : cachedTrustedProxies(trusted);
  const peer = socketAddress(c);
  if (peer === undefined || proxies.size === 0 || !proxies.has(peer)) return peer;
  const header = c.req.raw.headers.get("x-forwarded-for");
  if (!header) return peer;
  const hops = header.split(",");
  let client = peer;
  for (let i = hops.length - 1, seen = 0; i >= 0 && seen < MAX_FORWARDED_HOPS; i--, seen++) {
    const hop = parseForwardedHop(hops[i] ?? "");
    if (hop === undefined) break;
    client = hop;
    if (!proxies.has(hop)) break;
  }
  return client;
}

/** One X-Forwarded-For entry: an address, optionally with a port (`1.2.3.4:80`, `[2001:db8::1]:80`). */
function parseForwardedHop(raw: string): string | undefined {
  const hop = raw.trim();
  if (hop.length === 0 || hop.length > 64) return undefined;
  const bracketed = /^\[([0-9A-Fa-f:.]+)\](?::\d{1,5})?$/.exec(hop);
  if (bracketed) return normalizeIp(bracketed[1]);
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(hop);
  if (v4WithPort) return normalizeIp(v4WithPort[1]);
  return normalizeIp(hop);
}

function isTrustedProxies(value: TrustedProxies | readonly string[]): value is TrustedProxies {
  return !Array.isArray(value);
}

const compiled = new WeakMap<readonly string[], TrustedProxies>();
function cachedTrustedProxies(entries: readonly string[]): TrustedProxies {
  let proxies = compiled.get(entries);
  if (!proxies) {
    proxies = trustedProxies(entries);
    compiled.set(entries, proxies);
  }
  return proxies;
}
