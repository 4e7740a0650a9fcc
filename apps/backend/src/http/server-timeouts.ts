import type { ServerOptions } from "node:http";

/**
 * How long the backend waits for a client to send a request. Bodies are at most BODY_LIMIT_BYTES
 * (64 KiB), so an honest client needs well under a second; a client trickling a body byte by byte
 * loses its socket after REQUEST_TIMEOUT_MS instead of holding it for Node's default five minutes.
 * Both sit well below the frontend proxy's own bounds, so the proxy sees the backend give up first.
 * Answering is not bounded here: a chat turn with the language model may take longer.
 */
export const HEADERS_TIMEOUT_MS = 5_000;
export const REQUEST_TIMEOUT_MS = 10_000;

export const serverTimeouts: ServerOptions = {
  headersTimeout: HEADERS_TIMEOUT_MS,
  requestTimeout: REQUEST_TIMEOUT_MS,
  // how often Node checks those timeouts (default 30 s, which would let a slow client stay 40 s)
  connectionsCheckingInterval: 1_000,
};
