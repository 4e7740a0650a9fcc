import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { serverEnv, type ServerEnv } from "@/config/env.ts";
import { upstreamUrl } from "./backend-url.ts";
import { clientAddress, PEER_ADDRESS_HEADER, peerAddressHookInstalled } from "./client-address.ts";
import { errorResponse } from "./error-response.ts";
import { takeSlot } from "./in-flight.ts";
import { clientProto, downstreamResponseHeaders, isNullBodyStatus, upstreamRequestHeaders } from "./proxy-headers.ts";

export interface ProxyOptions {
  /** BACKEND_URL; defaults to the environment as it is now (request time) */
  backend?: URL;
  /** give up connecting after this long (a backend that is down must not hang the browser) */
  connectTimeoutMs?: number;
  /** give up when the backend has not started answering after this long (chat with an LLM is slow) */
  responseTimeoutMs?: number;
  /** the TCP peer's address; defaults to what peer-address-hook.cjs recorded (null without the hook) */
  peer?: string | null;
}

// Connections to the backend are reused: a new TCP handshake per request would dominate the proxy's
// cost. One pair of agents per BACKEND_MAX_SOCKETS value (it is read per request like the rest).
const agents = new Map<number, { "http:": http.Agent; "https:": https.Agent }>();
function agentsFor(maxSockets: number): { "http:": http.Agent; "https:": https.Agent } {
  let pair = agents.get(maxSockets);
  if (!pair) {
    const options = { keepAlive: true, maxSockets, maxFreeSockets: Math.min(64, maxSockets) };
    pair = { "http:": new http.Agent(options), "https:": new https.Agent(options) };
    agents.set(maxSockets, pair);
  }
  return pair;
}

type Phase = "queue" | "connect" | "body" | "response";

/** Why the proxy itself gave up on a request. */
class ProxyTimeout extends Error {
  readonly phase: Phase;
  constructor(phase: Phase, ms: number) {
    super(`${phase} timeout after ${ms} ms`);
    this.phase = phase;
  }
}

const retryLater = (response: Response, seconds: number): Response => {
  response.headers.set("retry-after", String(seconds));
  return response;
};

/**
 * Forwards `request` (an /api/... request reaching Next.js) to the backend and returns its answer:
 * method, path, query, headers and a streamed body go up; status, headers (every set-cookie) and a
 * streamed body come back. Its own answers, all in the API's error shape:
 * - 429 when this client already has MAX_REQUESTS_PER_CLIENT requests open;
 * - 408 when the request body has not fully arrived within REQUEST_BODY_TIMEOUT_MS;
 * - 503 when no connection to the backend is free within BACKEND_QUEUE_TIMEOUT_MS;
 * - 502 when the backend cannot be reached, 504 when it does not answer in time.
 * A client that goes away cancels the upstream request; that is not an error of anyone's.
 */
export async function proxyToBackend(request: Request, options: ProxyOptions = {}): Promise<Response> {
  let env: ServerEnv;
  try {
    env = serverEnv();
  } catch (error) {
    console.error(`[proxy] ${(error as Error).message}`);
    return errorResponse(500, "BAD_CONFIG", (error as Error).message);
  }
  const base = options.backend ?? env.BACKEND_URL;
  const connectTimeoutMs = options.connectTimeoutMs ?? env.BACKEND_CONNECT_TIMEOUT_MS;
  const responseTimeoutMs = options.responseTimeoutMs ?? env.BACKEND_RESPONSE_TIMEOUT_MS;
  const incoming = new URL(request.url);
  const target = upstreamUrl(base, incoming.pathname, incoming.search);
  const where = `${target.protocol}//${target.host}`;
  const label = `${request.method} ${target.pathname}`;

  const peer = options.peer !== undefined ? options.peer : peerAddressHookInstalled() ? request.headers.get(PEER_ADDRESS_HEADER) : null;
  const client = clientAddress(peer, request.headers.get("x-forwarded-for"), env.TRUSTED_PROXIES.list);
  const release = takeSlot(client ?? "unknown", env.MAX_REQUESTS_PER_CLIENT);
  if (!release) {
    return retryLater(
      errorResponse(429, "TOO_MANY_REQUESTS", `Too many requests at once from your address (at most ${env.MAX_REQUESTS_PER_CLIENT}). Wait for them to finish and try again.`),
      1,
    );
  }

  const headers = upstreamRequestHeaders(request.headers, { host: request.headers.get("host"), proto: clientProto(request.headers), client });
  const isHttps = target.protocol === "https:";
  const hasBody = request.body !== null && request.method !== "GET" && request.method !== "HEAD";

  return new Promise<Response>((resolve) => {
    let settled = false;
    const timers = new Set<NodeJS.Timeout>();
    const after = (ms: number, run: () => void): NodeJS.Timeout => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        run();
      }, ms);
      timers.add(timer);
      return timer;
    };
    const cancel = (timer: NodeJS.Timeout): void => {
      clearTimeout(timer);
      timers.delete(timer);
    };
    const finish = (response: Response): void => {
      if (settled) return;
      settled = true;
      resolve(response);
    };

    const upstream = (isHttps ? https : http).request({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port || (isHttps ? 443 : 80),
      method: request.method,
      path: `${target.pathname}${target.search}`,
      headers,
      agent: agentsFor(env.BACKEND_MAX_SOCKETS)[isHttps ? "https:" : "http:"],
    });
    // Every way a request ends (answer read, error, timeout, client gone) closes it: the slot and
    // the timers go with it.
    upstream.once("close", () => {
      release();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    });

    const responseTimer = after(responseTimeoutMs, () => upstream.destroy(new ProxyTimeout("response", responseTimeoutMs)));

    // All connections to the backend busy: wait for one only so long.
    const queueTimer = after(env.BACKEND_QUEUE_TIMEOUT_MS, () => upstream.destroy(new ProxyTimeout("queue", env.BACKEND_QUEUE_TIMEOUT_MS)));
    upstream.on("socket", (socket) => {
      cancel(queueTimer);
      // A reused keep-alive socket is already connected; only a new one can hang while connecting.
      if (!socket.connecting) return;
      const timer = after(connectTimeoutMs, () => upstream.destroy(new ProxyTimeout("connect", connectTimeoutMs)));
      socket.once(isHttps ? "secureConnect" : "connect", () => cancel(timer));
    });

    let completed = false;
    upstream.on("response", (answer) => {
      cancel(responseTimer);
      answer.once("end", () => (completed = true));
      const status = answer.statusCode ?? 502;
      const responseHeaders = downstreamResponseHeaders(answer.rawHeaders);
      if (isNullBodyStatus(status) || request.method === "HEAD") {
        answer.resume();
        finish(new Response(null, { status, statusText: answer.statusMessage, headers: responseHeaders }));
        return;
      }
      const body = Readable.toWeb(answer) as unknown as ReadableStream<Uint8Array>;
      finish(new Response(body, { status, statusText: answer.statusMessage, headers: responseHeaders }));
    });

    // The browser went away (closed the tab, aborted the fetch, dropped the upload): nobody waits for
    // an answer and nothing failed on our side or the backend's, so the upstream request is
    // cancelled without a log line, and 499 (client closed request) goes nowhere.
    let clientGone = false;
    const leave = (): void => {
      if (completed || clientGone) return;
      clientGone = true;
      upstream.destroy();
      finish(new Response(null, { status: 499 }));
    };

    upstream.on("error", (error: NodeJS.ErrnoException) => {
      if (settled || clientGone) return; // after the answer started, its body stream carries the error
      if (error instanceof ProxyTimeout) {
        switch (error.phase) {
          case "body":
            console.error(`[proxy] ${label}: the request body did not arrive within ${env.REQUEST_BODY_TIMEOUT_MS} ms (client ${client ?? "unknown"})`);
            return finish(errorResponse(408, "REQUEST_TIMEOUT", `The request took too long to arrive (over ${env.REQUEST_BODY_TIMEOUT_MS / 1000} s). Please try again.`));
          case "queue":
            console.error(`[proxy] ${label}: no connection to the backend ${where} free within ${env.BACKEND_QUEUE_TIMEOUT_MS} ms (BACKEND_MAX_SOCKETS ${env.BACKEND_MAX_SOCKETS} all busy)`);
            return finish(retryLater(errorResponse(503, "BACKEND_BUSY", "The service is busy right now. Please try again in a moment."), 1));
          case "response":
            console.error(`[proxy] ${label}: backend ${where} did not answer within ${responseTimeoutMs} ms`);
            return finish(errorResponse(504, "BACKEND_TIMEOUT", "The backend did not answer in time. Please try again."));
          case "connect":
            break;
        }
      }
      const reason = error instanceof ProxyTimeout ? error.message : (error.code ?? error.message);
      console.error(`[proxy] ${label}: backend ${where} unreachable (${reason}); check BACKEND_URL and that the backend runs`);
      finish(errorResponse(502, "BACKEND_UNAVAILABLE", `The backend service could not be reached (${reason}). Please try again in a moment.`));
    });

    // (Only while the request runs: a finished request's socket is back in the pool and serves others.)
    request.signal?.addEventListener("abort", leave, { once: true });

    if (hasBody && request.body) {
      const body = Readable.fromWeb(request.body as unknown as NodeReadableStream<Uint8Array>);
      // A client trickling its body would hold a connection to the backend for as long as it likes.
      const bodyTimer = after(env.REQUEST_BODY_TIMEOUT_MS, () => {
        body.destroy();
        upstream.destroy(new ProxyTimeout("body", env.REQUEST_BODY_TIMEOUT_MS));
      });
      body.once("end", () => cancel(bodyTimer));
      // Reading the request body fails only when the client's side of it broke off.
      body.on("error", leave);
      body.pipe(upstream);
    } else {
      upstream.end();
    }
  });
}
