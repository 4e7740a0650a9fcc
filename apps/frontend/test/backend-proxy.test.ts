import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { freePort } from "@todo/testkit";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { proxyToBackend } from "../src/server/backend-proxy.ts";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  chunks: number;
}

/** A fake backend that records what reached it and answers according to the path. */
async function fakeBackend(): Promise<{ server: Server; url: URL; seen: Seen[]; closed: string[] }> {
  const seen: Seen[] = [];
  const closed: string[] = [];
  const server = createServer((req, res) => {
    res.once("close", () => closed.push(req.url ?? ""));
    let body = "";
    let chunks = 0;
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
      chunks++;
    });
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, chunks });
      const path = new URL(req.url ?? "/", "http://x").pathname;
      if (path === "/api/auth/sign-in/email") {
        res.writeHead(200, [
          ["content-type", "application/json"],
          ["set-cookie", "better-auth.session_token=abc; Path=/; HttpOnly"],
          ["set-cookie", "better-auth.session_data=xyz; Path=/; HttpOnly"],
          ["set-auth-token", "bearer-token"],
        ]);
        res.end(JSON.stringify({ user: { id: "u1" } }));
      } else if (path.startsWith("/api/status/")) {
        const status = Number(path.split("/").pop());
        if (status === 204 || status === 304) {
          res.writeHead(status);
          res.end();
        } else if (status === 302) {
          res.writeHead(302, { location: "/sign-in" });
          res.end();
        } else {
          res.writeHead(status, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: { code: `E${status}`, message: `status ${status}` } }));
        }
      } else if (path === "/api/slow") {
        // never answers: the proxy's response timeout must end the wait
      } else if (path === "/api/stream") {
        res.writeHead(200, { "content-type": "text/plain" });
        res.write("first ");
        setTimeout(() => res.end("second"), 50);
      } else {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ echo: body }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: new URL(`http://127.0.0.1:${port}`), seen, closed };
}

describe("the /api proxy", () => {
  let backend: Awaited<ReturnType<typeof fakeBackend>>;
  beforeAll(async () => {
    backend = await fakeBackend();
  });
  afterAll(() => new Promise<void>((resolve) => backend.server.close(() => resolve())));

  const call = (path: string, init: RequestInit = {}, options = {}) =>
    proxyToBackend(new Request(`http://localhost:3000${path}`, init), { backend: backend.url, ...options });

  it("forwards method, path, query, cookies, Origin and the forwarded host, and returns every set-cookie", async () => {
    const response = await call("/api/auth/sign-in/email?x=1&y=2", {
      method: "POST",
      headers: { host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000", cookie: "a=1", "content-type": "application/json" },
      body: JSON.stringify({ email: "a@b.c", password: "secret123" }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toHaveLength(2);
    expect(response.headers.get("set-auth-token")).toBe("bearer-token");
    const seen = backend.seen.at(-1)!;
    expect(seen.method).toBe("POST");
    expect(seen.url).toBe("/api/auth/sign-in/email?x=1&y=2");
    expect(seen.headers.origin).toBe("http://127.0.0.1:3000");
    expect(seen.headers.cookie).toBe("a=1");
    expect(seen.headers["x-forwarded-host"]).toBe("127.0.0.1:3000");
    expect(seen.headers["x-forwarded-proto"]).toBe("http");
    expect(seen.headers.host).toBe(backend.url.host);
    expect(JSON.parse(seen.body)).toEqual({ email: "a@b.c", password: "secret123" });
  });

  it("streams a request body that arrives in pieces", async () => {
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode('{"message":'));
        await new Promise((r) => setTimeout(r, 30));
        controller.enqueue(encoder.encode('"hello"}'));
        controller.close();
      },
    });
    const response = await call("/api/u1/chat", { method: "POST", body, duplex: "half" } as RequestInit);
    expect(await response.json()).toEqual({ echo: '{"message":"hello"}' });
    expect(backend.seen.at(-1)!.headers["transfer-encoding"]).toBe("chunked");
  });

  it("streams the answer back as the backend writes it", async () => {
    const response = await call("/api/stream");
    expect(await response.text()).toBe("first second");
  });

  it.each([201, 204, 302, 304, 400, 401, 403, 404, 413, 429, 500, 503])("passes status %i through", async (status) => {
    const response = await call(`/api/status/${status}`);
    expect(response.status).toBe(status);
    if (status === 302) expect(response.headers.get("location")).toBe("/sign-in");
    if (status >= 400) expect((await response.json()) as unknown).toEqual({ error: { code: `E${status}`, message: `status ${status}` } });
  });

  it("answers 502 in the error shape (not a hang) when nothing listens at BACKEND_URL", async () => {
    const port = await freePort();
    const response = await proxyToBackend(new Request("http://localhost:3000/api/u1/tasks"), { backend: new URL(`http://127.0.0.1:${port}`) });
    expect(response.status).toBe(502);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("BACKEND_UNAVAILABLE");
    expect(body.error.message).toMatch(/could not be reached/);
  });

  it("answers 504 in the error shape when the backend accepts but never answers", async () => {
    const response = await call("/api/slow", {}, { responseTimeoutMs: 300 });
    expect(response.status).toBe(504);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("BACKEND_TIMEOUT");
  });

  it("cancels the upstream request when the client goes away, without logging it as a backend failure", async () => {
    const errors = vi.spyOn(console, "error");
    try {
      const client = new AbortController();
      const answer = call("/api/slow?abort=1", { signal: client.signal });
      await expect.poll(() => backend.seen.some((s) => s.url === "/api/slow?abort=1")).toBe(true);
      client.abort();
      expect((await answer).status).toBe(499);
      await expect.poll(() => backend.closed.includes("/api/slow?abort=1")).toBe(true);
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
  });

  it("reads BACKEND_URL from the environment when the request arrives", async () => {
    const previous = process.env.BACKEND_URL;
    try {
      process.env.BACKEND_URL = backend.url.href;
      const response = await proxyToBackend(new Request("http://localhost:3000/api/u1/tasks", { method: "PUT", body: "x" }));
      expect(await response.json()).toEqual({ echo: "x" });
      process.env.BACKEND_URL = "ftp://nope";
      expect((await proxyToBackend(new Request("http://localhost:3000/api/u1/tasks"))).status).toBe(500);
    } finally {
      if (previous === undefined) delete process.env.BACKEND_URL;
      else process.env.BACKEND_URL = previous;
    }
  });
});
