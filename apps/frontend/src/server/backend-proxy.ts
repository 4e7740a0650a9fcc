import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { errorResponse } from "./error-response.ts";
import { serverEnv, type ServerEnv } from "@/config/env.ts";
import { upstreamUrl } from "./backend-url.ts";
import { clientProto, downstreamResponseHeaders, isNullBodyStatus, upstreamRequestHeaders } from "./proxy-headers.ts";

export interface ProxyOptions {
  /** BACKEND_URL; defaults to the environment as it is now (request time) */
  backend?: URL;
  /** give up connecting after this long (a backend that is down must not hang the browser) */
  connectTimeoutMs?: number;
  /** give up when the backend has not started answering after this long (chat with an LLM is slow) */
  responseTimeoutMs?: number;
}

// Connections to the backend are reused: a new TCP handshake per request would dominate the proxy's cost.
const agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 }),
};

class UpstreamTimeout extends Error {
  readonly phase: "connect" | "response";
  constructor(phase: "connect" | "response", ms: number) {
    super(`${phase} timeout after ${ms} ms`);
    this.phase = phase;
  }
}

/**
 * Forwards `request` (an /api/... request reaching Next.js) to the backend and returns its answer:
 * method, path, query, headers and a streamed body go up; status, headers (every set-cookie) and a
 * streamed body come back. A backend that cannot be reached gives 502, one that does not answer 504,
 * both in the API's error shape.
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
  const headers = upstreamRequestHeaders(request.headers, {
    host: request.headers.get("host"),
    proto: clientProto(request.headers),
  });
  const isHttps = target.protocol === "https:";
  const hasBody = request.body !== null && request.method !== "GET" && request.method !== "HEAD";

  return new Promise<Response>((resolve) => {
    let settled = false;
    const finish = (response: Response): void => {
      if (settled) return;
      settled = true;
      clearTimeout(responseTimer);
      resolve(response);
    };

    const upstream = (isHttps ? https : http).request({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port || (isHttps ? 443 : 80),
      method: request.method,
      path: `${target.pathname}${target.search}`,
      headers,
      agent: agents[isHttps ? "https:" : "http:"],
    });

    const responseTimer = setTimeout(
      () => upstream.destroy(new UpstreamTimeout("response", responseTimeoutMs)),
      responseTimeoutMs,
    );

    upstream.on("socket", (socket) => {
      // A reused keep-alive socket is already connected; only a new one can hang while connecting.
      if (!socket.connecting) return;
      const timer = setTimeout(() => upstream.destroy(new UpstreamTimeout("connect", connectTimeoutMs)), connectTimeoutMs);
      socket.once(isHttps ? "secureConnect" : "connect", () => clearTimeout(timer));
      socket.once("close", () => clearTimeout(timer));
    });

    let completed = false;
    upstream.on("response", (answer) => {
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

    upstream.on("error", (error: NodeJS.ErrnoException) => {
      if (settled) return; // the body stream carries the error from here on
      const where = `${target.protocol}//${target.host}`;
      if (error instanceof UpstreamTimeout && error.phase === "response") {
        console.error(`[proxy] ${request.method} ${target.pathname}: backend ${where} did not answer within ${responseTimeoutMs} ms`);
        finish(errorResponse(504, "BACKEND_TIMEOUT", "The backend did not answer in time. Please try again."));
        return;
      }
      const reason = error instanceof UpstreamTimeout ? error.message : (error.code ?? error.message);
      console.error(`[proxy] ${request.method} ${target.pathname}: backend ${where} unreachable (${reason}); check BACKEND_URL and that the backend runs`);
      finish(
        errorResponse(502, "BACKEND_UNAVAILABLE", `The backend service could not be reached (${reason}). Please try again in a moment.`),
      );
    });

    // The browser went away: stop the upstream request too.
    // (Only while it runs: a finished request's socket is back in the pool and serves others.)
    request.signal?.addEventListener("abort", () => completed || upstream.destroy(), { once: true });

    if (hasBody && request.body) {
      const body = Readable.fromWeb(request.body as unknown as NodeReadableStream<Uint8Array>);
      body.on("error", (error) => upstream.destroy(error));
      body.pipe(upstream);
    } else {
      upstream.end();
    }
  });
}
