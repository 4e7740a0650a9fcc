/**
 * Header handling of the /api proxy, kept free of I/O so it can be tested on its own.
 *
 * Request side: everything the browser sent (cookies, Origin, Authorization, content type ...) goes
 * to the backend, except hop-by-hop headers, Host (the backend gets its own) and headers that only
 * mean something inside Next.js. X-Forwarded-Host/-Proto describe the address the browser used, so
 * the backend can trust an Origin that matches it (Better Auth) and build absolute URLs.
 * X-Forwarded-For is one address, the client's as this proxy determined it (client-address.ts),
 * never what the client claimed: the backend's rate limits are keyed on it.
 *
 * Response side: every header of the backend's answer, each set-cookie separately, minus hop-by-hop.
 */
import { PEER_ADDRESS_HEADER } from "./client-address.ts";

/** Hop-by-hop headers (RFC 9110 7.6.1) and others a proxy must not copy verbatim. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** Headers Next.js adds for its own routing; the backend has no use for them. */
function isNextInternal(name: string): boolean {
  return (
    name.startsWith("x-middleware-") ||
    name.startsWith("x-invoke-") ||
    name.startsWith("x-nextjs-") ||
    name.startsWith("next-") ||
    name === "rsc" ||
    name === "x-next-cache-tags"
  );
}

/** Names listed in a Connection header are hop-by-hop too. */
function connectionTokens(value: string | null): Set<string> {
  if (!value) return new Set();
  return new Set(
    value
      .split(",")
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
}

export interface ForwardedFor {
  /** the Host header the browser sent (e.g. "192.168.49.2:31234" or "localhost:3000") */
  host: string | null;
  /** "http" or "https", as the client (or a TLS terminator in front of us) saw it */
  proto: string;
  /** the client's address (client-address.ts); null when unknown (then no X-Forwarded-For is sent) */
  client: string | null;
}

/** Headers that claim a client address; the proxy sends its own X-Forwarded-For instead. */
const ADDRESS_CLAIMS = new Set(["x-forwarded-for", PEER_ADDRESS_HEADER, "forwarded", "x-real-ip"]);

/** The protocol the client used: a valid X-Forwarded-Proto from a proxy in front of us, else `fallback`. */
export function clientProto(headers: Headers, fallback: "http" | "https" = "http"): "http" | "https" {
  const first = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return first === "https" || first === "http" ? first : fallback;
}

/**
 * The headers to send to the backend, as a plain object for node:http (multiple values joined per
 * RFC 9110, cookies with "; ").
 */
export function upstreamRequestHeaders(incoming: Headers, forwarded: ForwardedFor): Record<string, string> {
  const drop = connectionTokens(incoming.get("connection"));
  const out: Record<string, string> = {};
  for (const [rawName, value] of incoming) {
    const name = rawName.toLowerCase();
    if (HOP_BY_HOP.has(name) || drop.has(name) || isNextInternal(name)) continue;
    // The backend gets its own Host; the browser's goes in X-Forwarded-Host below.
    if (name === "host") continue;
    // Set below from the incoming request, never taken from what the client claims.
    if (name === "x-forwarded-host" || name === "x-forwarded-proto" || name === "x-forwarded-port" || ADDRESS_CLAIMS.has(name)) continue;
    // The body is streamed through as it arrives; node:http decides on chunked vs length itself.
    if (name === "content-length") continue;
    // Ask for an uncompressed answer: loopback/cluster traffic gains nothing from compression and
    // Next compresses what it sends to the browser.
    if (name === "accept-encoding") continue;
    out[name] = value;
  }
  if (forwarded.host) out["x-forwarded-host"] = forwarded.host;
  out["x-forwarded-proto"] = forwarded.proto;
  if (forwarded.client !== null) out["x-forwarded-for"] = forwarded.client;
  out["accept-encoding"] = "identity";
  return out;
}

/**
 * The headers of the answer to the browser, built from node:http's rawHeaders ([name, value, ...]),
 * which keeps every set-cookie as its own header.
 */
export function downstreamResponseHeaders(rawHeaders: readonly string[]): Headers {
  const connection = new Set<string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() === "connection") {
      for (const token of connectionTokens(rawHeaders[i + 1] ?? null)) connection.add(token);
    }
  }
  const headers = new Headers();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? "").toLowerCase();
    const value = rawHeaders[i + 1] ?? "";
    if (!name || HOP_BY_HOP.has(name) || connection.has(name)) continue;
    headers.append(name, value);
  }
  return headers;
}

/** Statuses whose response must not carry a body (Response() throws when given one). */
export function isNullBodyStatus(status: number): boolean {
  return status === 101 || status === 103 || status === 204 || status === 205 || status === 304;
}
