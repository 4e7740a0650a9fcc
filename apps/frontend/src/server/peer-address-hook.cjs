"use strict";
/**
 * Loaded first by the standalone entry (server.js, written by scripts/copy-static.mjs), before Next.js
 * starts its HTTP server. Next.js passes a client-sent X-Forwarded-For through and only fills it from
 * the socket when it is absent, and a route handler cannot see the socket: so every request the
 * server receives gets its TCP peer's address in PEER_ADDRESS_HEADER here, overwriting a client-sent
 * copy, before any Next.js code runs. src/server/client-address.ts reads it.
 *
 * (A `request` listener added in front of Next's own; `next dev` runs without it, and the proxy then
 * sends no X-Forwarded-For at all.)
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS: node loads it before Next.js, outside any bundle
const http = require("node:http");

const PEER_ADDRESS_HEADER = "x-todo-peer-address";
const INSTALLED = Symbol.for("todo-chatbot.peer-address-hook");

if (!globalThis[INSTALLED]) {
  globalThis[INSTALLED] = true;
  const createServer = http.createServer;
  http.createServer = function createServerRecordingPeer(...args) {
    const server = createServer.apply(this, args);
    server.prependListener("request", (request) => {
      const address = request.socket.remoteAddress;
      if (address) request.headers[PEER_ADDRESS_HEADER] = address;
      else delete request.headers[PEER_ADDRESS_HEADER];
    });
    return server;
  };
}
