// Addresses and ranges, with no HTTP in sight: configuration reads the trusted proxies with them
// once at start, and the HTTP layer finds the client's address with what it reads.
import { isIP } from "node:net";
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
