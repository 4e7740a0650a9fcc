import { describe, expect, it } from "vitest";
import { upstreamUrl } from "../src/server/backend-url.ts";
import { clientProto, downstreamResponseHeaders, isNullBodyStatus, upstreamRequestHeaders } from "../src/server/proxy-headers.ts";

describe("request headers sent to the backend", () => {
  const browser = new Headers({
    host: "192.168.49.2:31080",
    origin: "http://192.168.49.2:31080",
    cookie: "better-auth.session_token=abc; theme=dark",
    authorization: "Bearer t0k3n",
    "content-type": "application/json",
    "content-length": "42",
    connection: "keep-alive, x-secret-hop",
    "x-secret-hop": "drop me",
    "keep-alive": "timeout=5",
    "transfer-encoding": "chunked",
    "accept-encoding": "gzip, br",
    "x-forwarded-host": "evil.example",
    "x-forwarded-for": "6.6.6.6",
    "x-todo-peer-address": "7.7.7.7",
    forwarded: "for=8.8.8.8",
    "x-real-ip": "9.9.9.9",
    "x-middleware-subrequest": "middleware",
    rsc: "1",
    "next-router-state-tree": "x",
    "x-request-id": "req-1",
  });
  const sent = upstreamRequestHeaders(browser, { host: browser.get("host"), proto: "http", client: "192.168.49.1" });

  it("passes cookies, Origin, Authorization and ordinary headers through unchanged", () => {
    expect(sent.cookie).toBe("better-auth.session_token=abc; theme=dark");
    expect(sent.origin).toBe("http://192.168.49.2:31080");
    expect(sent.authorization).toBe("Bearer t0k3n");
    expect(sent["content-type"]).toBe("application/json");
    expect(sent["x-request-id"]).toBe("req-1");
  });

  it("tells the backend which address the browser used, ignoring a client's own claim", () => {
    expect(sent["x-forwarded-host"]).toBe("192.168.49.2:31080");
    expect(sent["x-forwarded-proto"]).toBe("http");
    expect(sent.host).toBeUndefined();
  });

  it("sends the client's address as the proxy determined it, never an address the client claimed", () => {
    expect(sent["x-forwarded-for"]).toBe("192.168.49.1");
    expect(sent["x-todo-peer-address"]).toBeUndefined();
    expect(sent.forwarded).toBeUndefined();
    expect(sent["x-real-ip"]).toBeUndefined();
    expect(upstreamRequestHeaders(browser, { host: null, proto: "http", client: null })["x-forwarded-for"]).toBeUndefined();
  });

  it("drops hop-by-hop headers, those named in Connection, and Next.js internals", () => {
    for (const name of ["connection", "keep-alive", "transfer-encoding", "x-secret-hop", "x-middleware-subrequest", "rsc", "next-router-state-tree", "content-length"]) {
      expect(sent[name], name).toBeUndefined();
    }
    expect(sent["accept-encoding"]).toBe("identity");
  });

  it("keeps https from a TLS terminator in front, and falls back to http for nonsense", () => {
    expect(clientProto(new Headers({ "x-forwarded-proto": "https, http" }))).toBe("https");
    expect(clientProto(new Headers({ "x-forwarded-proto": "gopher" }))).toBe("http");
    expect(clientProto(new Headers())).toBe("http");
  });
});

describe("response headers sent back to the browser", () => {
  it("keeps every set-cookie as its own header and drops hop-by-hop ones", () => {
    const headers = downstreamResponseHeaders([
      "Set-Cookie", "better-auth.session_token=abc; Path=/; HttpOnly; SameSite=Lax",
      "Set-Cookie", "better-auth.session_data=xyz; Path=/; HttpOnly",
      "Content-Type", "application/json",
      "set-auth-token", "tok",
      "Connection", "keep-alive, x-hop",
      "Keep-Alive", "timeout=5",
      "X-Hop", "1",
      "Transfer-Encoding", "chunked",
      "Location", "/sign-in",
    ]);
    expect(headers.getSetCookie()).toEqual([
      "better-auth.session_token=abc; Path=/; HttpOnly; SameSite=Lax",
      "better-auth.session_data=xyz; Path=/; HttpOnly",
    ]);
    expect(headers.get("content-type")).toBe("application/json");
    expect(headers.get("set-auth-token")).toBe("tok");
    expect(headers.get("location")).toBe("/sign-in");
    expect(headers.has("connection")).toBe(false);
    expect(headers.has("keep-alive")).toBe(false);
    expect(headers.has("x-hop")).toBe(false);
    expect(headers.has("transfer-encoding")).toBe(false);
  });

  it("knows which statuses cannot carry a body", () => {
    expect([204, 304].every(isNullBodyStatus)).toBe(true);
    expect([200, 201, 400, 404, 500].some(isNullBodyStatus)).toBe(false);
  });
});

describe("BACKEND_URL", () => {
  it("keeps the path and query of the /api request and a path prefix of the base", () => {
    expect(upstreamUrl(new URL("http://backend:8000"), "/api/u1/tasks", "?status=pending").href).toBe(
      "http://backend:8000/api/u1/tasks?status=pending",
    );
    expect(upstreamUrl(new URL("http://gw/prefix/"), "/api/auth/sign-in/email", "").href).toBe("http://gw/prefix/api/auth/sign-in/email");
  });
});
