import { isIP, type BlockList } from "node:net";

/**
 * Which address a request comes from, for the backend's per-client limits (Better Auth keys its rate
 * limit on X-Forwarded-For) and the proxy's own.
 *
 * The TCP peer's address arrives in PEER_ADDRESS_HEADER, set by peer-address-hook.cjs before Next.js
 * sees the request (a client-sent copy is overwritten there). What the peer claims in
 * X-Forwarded-For is believed only when the peer is one of TRUSTED_PROXIES.
 */
export const PEER_ADDRESS_HEADER = "x-todo-peer-address";

/** True when the standalone entry installed the hook (not under `next dev`, nor in unit tests). */
export const peerAddressHookInstalled = (): boolean => (globalThis as Record<symbol, unknown>)[Symbol.for("todo-chatbot.peer-address-hook")] === true;

/** An address as the backend should see it: no brackets, IPv4-mapped IPv6 as plain IPv4; null if it is none. */
export function normalizeAddress(raw: string): string | null {
  let address = raw.trim();
  if (address.startsWith("[") && address.includes("]")) address = address.slice(1, address.indexOf("]"));
  if (address.toLowerCase().startsWith("::ffff:") && isIP(address.slice(7)) === 4) address = address.slice(7);
  return isIP(address) === 0 ? null : address;
}

const isTrusted = (address: string, trusted: BlockList): boolean => trusted.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");

/**
 * The client's address: the TCP peer, unless the peer is a trusted proxy; then the right-most entry
 * of the X-Forwarded-For it sent that is not itself a trusted proxy (entries left of that are the
 * client's own claims). Null when the peer is unknown.
 */
export function clientAddress(peer: string | null, forwardedFor: string | null, trusted: BlockList): string | null {
  const from = peer === null ? null : normalizeAddress(peer);
  if (from === null || !isTrusted(from, trusted)) return from;
  let client = from;
  const hops = (forwardedFor ?? "").split(",").filter((hop) => hop.trim() !== "");
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i] ?? "");
    if (hop === null) break; // not an address: what lies left of it cannot be trusted either
    client = hop;
    if (!isTrusted(hop, trusted)) break;
  }
  return client;
}
