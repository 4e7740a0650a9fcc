import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from "../src/http/server-timeouts.ts";
import { startServerProcess, type ServerProcess } from "./support/server-process.ts";

/** Opens a raw TCP connection, writes `first`, then one byte a second; resolves with what the server sent and when it closed. */
function trickle(url: string, first: string): Promise<{ answer: string; closedAfterMs: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket: Socket = connect(Number(port), hostname);
    let answer = "";
    const drip = setInterval(() => socket.write("x"), 1_000);
    const giveUp = setTimeout(() => socket.destroy(new Error("the server kept the slow connection open for 60 s")), 60_000);
    socket.on("connect", () => socket.write(first));
    socket.on("data", (chunk: Buffer) => (answer += chunk.toString("utf8")));
    socket.on("error", (error) => {
      clearInterval(drip);
      clearTimeout(giveUp);
      if (error.message.includes("60 s")) reject(error);
      else resolve({ answer, closedAfterMs: Date.now() - started });
    });
    socket.on("close", () => {
      clearInterval(drip);
      clearTimeout(giveUp);
      resolve({ answer, closedAfterMs: Date.now() - started });
    });
  });
}

describe("a client sending its request slowly loses the socket (real server process)", () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess({ DATA_DIR: "memory://" });
  }, 120_000);
  afterAll(() => server?.proc.stop());

  it(`closes a connection whose headers are not complete after HEADERS_TIMEOUT_MS (${HEADERS_TIMEOUT_MS} ms)`, async () => {
    const { answer, closedAfterMs } = await trickle(server.url, "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAfterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 1_000);
    expect(closedAfterMs).toBeLessThan(HEADERS_TIMEOUT_MS + 5_000);
  }, 90_000);

  it(`closes a connection whose body trickles in, after REQUEST_TIMEOUT_MS (${REQUEST_TIMEOUT_MS} ms)`, async () => {
    const head = "POST /api/auth/sign-in/email HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{";
    const { answer, closedAfterMs } = await trickle(server.url, head);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 5_000);
  }, 90_000);
});
