import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { freePort } from "@todo/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureFrontendBuilt } from "./support/builds.ts";
import { startFrontend, type Server } from "./support/servers.ts";

/** A tiny backend that says who it is and echoes what reached it. */
async function namedBackend(name: string): Promise<{ server: HttpServer; url: string }> {
  const server = createServer((req, res) => {
    res.writeHead(200, [
      ["content-type", "application/json"],
      ["set-cookie", `seen_by=${name}; Path=/`],
      ["set-cookie", "second=1; Path=/"],
    ]);
    res.end(JSON.stringify({ backend: name, url: req.url, forwardedHost: req.headers["x-forwarded-host"] ?? null }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("the built standalone frontend", () => {
  const backends: { server: HttpServer; url: string }[] = [];
  const frontends: Server[] = [];

  beforeAll(async () => {
    ensureFrontendBuilt();
    backends.push(await namedBackend("A"), await namedBackend("B"));
  }, 900_000);

  afterAll(async () => {
    await Promise.all(frontends.map((f) => f.process.stop()));
    await Promise.all(backends.map((b) => new Promise<void>((resolve) => b.server.close(() => resolve()))));
  }, 60_000);

  it("reads BACKEND_URL when it runs: one build started twice reaches two different backends", async () => {
    const [a, b] = [await startFrontend(backends[0]!.url), await startFrontend(backends[1]!.url)];
    frontends.push(a, b);
    const fromA = await fetch(`${a.url}/api/who?x=1`);
    const fromB = await fetch(`${b.url}/api/who?x=1`);
    expect(await fromA.json()).toEqual({ backend: "A", url: "/api/who?x=1", forwardedHost: `127.0.0.1:${a.port}` });
    expect(await fromB.json()).toEqual({ backend: "B", url: "/api/who?x=1", forwardedHost: `127.0.0.1:${b.port}` });
    expect(fromA.headers.getSetCookie()).toEqual(["seen_by=A; Path=/", "second=1; Path=/"]);
  }, 120_000);

  it("answers /healthz with the backend down, and /api with a 502 in the error shape instead of hanging", async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const alone = await startFrontend(nowhere);
    frontends.push(alone);
    const health = await fetch(`${alone.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const api = await fetch(`${alone.url}/api/someone/tasks`, { signal: AbortSignal.timeout(20_000) });
    expect(api.status).toBe(502);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("BACKEND_UNAVAILABLE");
    expect((await fetch(`${alone.url}/sign-in`)).status).toBe(200);
  }, 120_000);

  it("stops on SIGTERM by itself, without needing SIGKILL", async () => {
    const server = await startFrontend(backends[0]!.url);
    const result = await server.process.stop("SIGTERM", 15_000);
    expect(result.signal).not.toBe("SIGKILL");
    // Next's server closes its listener, finishes open requests, then exits 128 + 15.
    expect(result.code).toBe(143);
  }, 60_000);
});
