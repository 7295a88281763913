import type { Context } from "hono";
import { normalizeIp, type TrustedProxies } from "../net/ip";

/** What Bun.serve passes as the second argument of fetch (Hono's `c.env`), and what tests inject. */
export interface SocketAddressSource {
  requestIP(request: Request): { address: string; family?: string; port?: number } | null;
}

/** The peer address of the connection, when the runtime tells it (Bun.serve does; `app.request` does not). */
export function socketAddressOf(request: Request, env: unknown): string | undefined {
  if (env === null || typeof env !== "object") return undefined;
  // hono/bun's getBunServer: either the server itself or `{ server }`.
  const server: unknown = "server" in env ? (env as { server: unknown }).server : env;
  if (server === null || typeof server !== "object" || !("requestIP" in server)) return undefined;
  const requestIP = (server as Partial<SocketAddressSource>).requestIP;
  if (typeof requestIP !== "function") return undefined;
  try {
    return normalizedPeer(requestIP.call(server, request)?.address);
  } catch {
    return undefined;
  }
}

/**
 * Peer addresses in canonical form, remembered: a connection's address is read on every request,
 * and parsing it costs more than the lookup. Bounded, and emptied when full.
 */
const normalizedPeers = new Map<string, string | undefined>();
const MAX_REMEMBERED_PEERS = 10_000;

function normalizedPeer(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  if (normalizedPeers.has(address)) return normalizedPeers.get(address);
  const normalized = normalizeIp(address);
  if (normalizedPeers.size >= MAX_REMEMBERED_PEERS) normalizedPeers.clear();
  normalizedPeers.set(address, normalized);
  return normalized;
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
export function clientIp(c: Context, proxies: TrustedProxies): string | undefined {
  return clientIpOf(c.req.raw, c.env, proxies);
}

/** The same, from the request and what the runtime passed along with it. */
export function clientIpOf(request: Request, env: unknown, proxies: TrustedProxies): string | undefined {
  const peer = socketAddressOf(request, env);
  if (peer === undefined || proxies.size === 0 || !proxies.has(peer)) return peer;
  const header = request.headers.get("x-forwarded-for");
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
