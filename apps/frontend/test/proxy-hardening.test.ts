import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import { findPostgresBin, startPostgres, suiteGate, type PostgresServer } from "@todo/testkit";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBalancer, type Balancer } from "./support/balancer.ts";
import { findChromium, launchChromium } from "./support/browser.ts";
import { ensureBackendBuilt, ensureFrontendBuilt } from "./support/builds.ts";
import { startBackend, startFrontend, type Server } from "./support/servers.ts";

const pgBin = findPostgresBin();
const pgGate = suiteGate("frontend hardening (postgres)", pgBin ? undefined : "PostgreSQL not installed; apt-get install postgresql");
const chromiumPath = findChromium();
const browserGate = suiteGate("frontend hardening (chromium)", chromiumPath ? undefined : "chromium not found; apt-get install chromium");

const password = "correct-horse-battery-9";
const BODY_TIMEOUT_MS = 4_000;
/**
 * How long slow uploads get to reach the frontend's handler (and take their slot) before a test counts on them
 * holding it: on a loaded 2-core CI machine 300 ms was not enough. Half the body timeout, so they still hold it.
 */
const SETTLE_MS = BODY_TIMEOUT_MS / 2;

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** A request to a frontend as a script would send it (no browser), with the Origin the app expects. */
async function call(frontend: Server, path: string, init: RequestInit = {}): Promise<Answer> {
  const headers = new Headers(init.headers);
  headers.set("origin", frontend.url);
  if (init.body) headers.set("content-type", "application/json");
  const response = await fetch(`${frontend.url}${path}`, { ...init, headers, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as unknown) : null };
}

/** Signs up through `frontend` claiming `forwardedFor`, and returns the address the backend recorded for the new session. */
async function sessionAddress(frontend: Server, forwardedFor: string): Promise<string | null> {
  const email = `u-${randomBytes(4).toString("hex")}@example.com`;
  const signUp = await call(frontend, "/api/auth/sign-up/email", {
    method: "POST",
    headers: { "x-forwarded-for": forwardedFor },
    body: JSON.stringify({ name: "U", email, password }),
  });
  expect(signUp.status, JSON.stringify(signUp.body)).toBe(200);
  const cookie = signUp.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const sessions = await call(frontend, "/api/auth/list-sessions", { headers: { cookie, "x-forwarded-for": forwardedFor } });
  expect(sessions.status).toBe(200);
  return (sessions.body as { ipAddress: string | null }[])[0]?.ipAddress ?? null;
}

/** True once `raw` holds a whole HTTP answer: its headers and all of its body. */
function complete(raw: string): boolean {
  const end = raw.indexOf("\r\n\r\n");
  if (end < 0) return false;
  const head = raw.slice(0, end).toLowerCase();
  const body = raw.slice(end + 4);
  const length = /\r\ncontent-length: *(\d+)/.exec(head)?.[1];
  if (length !== undefined) return Buffer.byteLength(body) >= Number(length);
  return !/\r\ntransfer-encoding: *chunked/.test(head) || body.endsWith("0\r\n\r\n");
}

/**
 * Starts a POST whose body (Content-Length 1000) arrives one byte every 200 ms, as a slow or hostile
 * client sends it; resolves with the raw answer once the frontend has answered in full or closed.
 */
function trickle(frontend: Server, path: string, headers: Record<string, string> = {}): { socket: Socket; answer: Promise<string> } {
  const socket = connect({ host: "127.0.0.1", port: frontend.port });
  const extra = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${frontend.port}\r\nOrigin: ${frontend.url}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n${extra}\r\n{`);
  const drip = setInterval(() => socket.writable && socket.write(" "), 200);
  const answer = new Promise<string>((resolve) => {
    let text = "";
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      if (complete(text)) resolve(text);
    });
    socket.on("close", () => resolve(text));
    socket.on("error", () => resolve(text));
  });
  void answer.finally(() => clearInterval(drip));
  socket.once("close", () => clearInterval(drip));
  return { socket, answer };
}

const statusOf = (raw: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);

describe.skipIf(!pgGate.ok)("the frontend in front of two backends on one PostgreSQL (production mode)", () => {
  let postgres: PostgresServer;
  const backends: Server[] = [];
  let balancer: Balancer;
  /** no trusted proxy: the TCP peer is the client */
  let direct: Server;
  /** behind a trusted hop (127.0.0.1, the test), with small limits to reach them */
  let behindHop: Server;

  beforeAll(async () => {
    ensureBackendBuilt();
    ensureFrontendBuilt();
    postgres = await startPostgres(pgBin);
    const database = await postgres.createDatabase();
    // one secret for both replicas, as the chart's Secret gives them: a session made by one is valid on the other
    const secret = randomBytes(32).toString("hex");
    for (let i = 0; i < 2; i++) {
      backends.push(await startBackend(database, "http://localhost", { env: { NODE_ENV: "production", BETTER_AUTH_SECRET: secret, LOG_LEVEL: "info" } }));
    }
    balancer = await startBalancer(backends.map((b) => new URL(b.url)));
    direct = await startFrontend(balancer.url);
    behindHop = await startFrontend(balancer.url, {
      env: {
        TRUSTED_PROXIES: "127.0.0.1",
        MAX_REQUESTS_PER_CLIENT: "2",
        BACKEND_MAX_SOCKETS: "4",
        BACKEND_QUEUE_TIMEOUT_MS: "500",
        REQUEST_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
      },
    });
  }, 900_000);

  afterAll(async () => {
    await Promise.all([direct, behindHop].map((f) => f?.process.stop()));
    await balancer?.close();
    await Promise.all(backends.map((b) => b.process.stop()));
    postgres?.destroy();
  }, 60_000);

  it("tells the backend the address it really sees, replacing an X-Forwarded-For the client sent", async () => {
    expect(await sessionAddress(direct, "203.0.113.7")).toBe("127.0.0.1");
    expect(await sessionAddress(direct, "203.0.113.7, 198.51.100.1")).toBe("127.0.0.1");
  }, 60_000);

  it("behind a trusted hop (TRUSTED_PROXIES), passes on the address that hop saw, not what the client claimed to it", async () => {
    // the hop (127.0.0.1) appended 198.51.100.7, the address it saw; 203.0.113.9 is the client's own claim
    expect(await sessionAddress(behindHop, "203.0.113.9, 198.51.100.7")).toBe("198.51.100.7");
  }, 60_000);

  it("answers 408 when a request body does not arrive in time, and the backend never waits for it", async () => {
    const started = Date.now();
    const { socket, answer } = trickle(behindHop, "/api/auth/sign-in/email", { "x-forwarded-for": "198.51.100.20" });
    const raw = await answer;
    socket.destroy();
    expect(statusOf(raw), raw).toBe(408);
    expect(raw).toMatch(/"code":"REQUEST_TIMEOUT"/);
    expect(Date.now() - started).toBeLessThan(BODY_TIMEOUT_MS + 3_000);
  }, 30_000);

  it("caps the requests one client has open (429 with Retry-After) while another client is still served", async () => {
    const slow = [0, 1].map(() => trickle(behindHop, "/api/auth/sign-in/email", { "x-forwarded-for": "198.51.100.30" }));
    try {
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      const third = await call(behindHop, "/api/auth/get-session", { headers: { "x-forwarded-for": "198.51.100.30" } });
      expect(third.status).toBe(429);
      expect(third.headers.get("retry-after")).toBe("1");
      expect((third.body as { error: { code: string } }).error.code).toBe("TOO_MANY_REQUESTS");
      const other = await call(behindHop, "/api/auth/get-session", { headers: { "x-forwarded-for": "198.51.100.31" } });
      expect(other.status).toBe(200);
    } finally {
      slow.forEach((s) => s.socket.destroy());
    }
  }, 30_000);

  it("answers 503 with Retry-After when no connection to the backend frees up in time, instead of queueing without end", async () => {
    // BACKEND_MAX_SOCKETS=4: two clients with two trickling uploads each hold every connection
    const slow = ["198.51.100.40", "198.51.100.41"].flatMap((address) => [0, 1].map(() => trickle(behindHop, "/api/auth/sign-in/email", { "x-forwarded-for": address })));
    try {
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      const started = Date.now();
      const waiting = await call(behindHop, "/api/auth/get-session", { headers: { "x-forwarded-for": "198.51.100.42" } });
      expect(waiting.status).toBe(503);
      expect(waiting.headers.get("retry-after")).toBe("1");
      expect((waiting.body as { error: { code: string } }).error.code).toBe("BACKEND_BUSY");
      expect(Date.now() - started).toBeLessThan(BODY_TIMEOUT_MS);
    } finally {
      slow.forEach((s) => s.socket.destroy());
    }
    // once they are gone (or timed out) the next request is served
    await expect.poll(async () => (await call(behindHop, "/api/auth/get-session", { headers: { "x-forwarded-for": "198.51.100.42" } })).status, { timeout: 5_000 }).toBe(200);
  }, 30_000);

  it("does not log a client that goes away mid-request as a backend failure", async () => {
    const before = direct.process.output().length;
    for (let i = 0; i < 3; i++) {
      const { socket } = trickle(direct, "/api/auth/sign-in/email");
      await new Promise((r) => setTimeout(r, 400));
      socket.destroy();
    }
    await new Promise((r) => setTimeout(r, 1_000));
    expect(direct.process.output().slice(before)).not.toMatch(/\[proxy\]|unreachable|BACKEND_UNAVAILABLE|503|502/);
    // the frontend still serves
    expect((await call(direct, "/api/auth/get-session")).status).toBe(200);
  }, 30_000);

  describe.skipIf(!browserGate.ok)("in Chromium", () => {
    let browser: Browser;
    /** at most two open /api requests per client, bodies may take a minute */
    let capped: Server;
    beforeAll(async () => {
      browser = await launchChromium(chromiumPath!);
      capped = await startFrontend(balancer.url, { env: { MAX_REQUESTS_PER_CLIENT: "2", REQUEST_BODY_TIMEOUT_MS: "60000" } });
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await capped?.process.stop();
    });

    it("treats a 429 from get-session as 'try again' (backoff), never as 'signed out'", async () => {
      const context = await browser.newContext();
      const slow: ReturnType<typeof trickle>[] = [];
      try {
        const page = await context.newPage();
        await page.goto(`${capped.url}/sign-up`);
        await page.getByLabel("Name").fill("Rae");
        await page.getByLabel("Email").fill(`rae-${randomBytes(3).toString("hex")}@example.com`);
        await page.getByLabel("Password").fill(password);
        await page.getByRole("button", { name: "Create account" }).click();
        await page.waitForURL("**/chat");
        await page.getByText("No conversations yet.").waitFor();
        await page.waitForLoadState("networkidle"); // the chat's own requests are done: both slots free

        const sessionChecks: number[] = [];
        page.on("response", (response) => {
          if (new URL(response.url()).pathname === "/api/auth/get-session") sessionChecks.push(response.status());
        });
        const visited: string[] = [];
        page.on("framenavigated", (frame) => {
          if (frame === page.mainFrame()) visited.push(new URL(frame.url()).pathname);
        });
        // Two uploads trickling from the browser's own address (127.0.0.1) take both of its
        // MAX_REQUESTS_PER_CLIENT slots: the session check after the reload gets a real 429 from the
        // proxy, and keeps getting it until they go away.
        slow.push(trickle(capped, "/api/auth/sign-in/email"), trickle(capped, "/api/auth/sign-in/email"));
        await new Promise((r) => setTimeout(r, SETTLE_MS));
        const stillOpen = await Promise.race([...slow.map((t) => t.answer), new Promise((r) => setTimeout(() => r("open"), 100))]);
        expect(stillOpen, "the trickling uploads were answered at once").toBe("open");
        await page.reload();
        await page.getByText(/The server is busy\. Checking your session again/).waitFor();
        await new Promise((r) => setTimeout(r, 1_500)); // at least one retry, still refused
        slow.forEach((s) => s.socket.destroy());
        await page.getByRole("button", { name: "Sign out" }).waitFor({ timeout: 20_000 });
        expect(sessionChecks.slice(0, 2)).toEqual([429, 429]);
        expect(sessionChecks.at(-1)).toBe(200);
        expect(visited).not.toContain("/sign-in");
        expect(new URL(page.url()).pathname).toBe("/chat");
      } finally {
        slow.forEach((s) => s.socket.destroy());
        await context.close();
      }
    }, 60_000);
  });

  // Last: it spends the sign-in budget of 127.0.0.1 for a while.
  it("rotating X-Forwarded-For does not escape the backend's per-address sign-in limit", async () => {
    let status = 0;
    let attempts = 0;
    // each attempt a new (unknown) account, so only the per-address limit can answer 429
    while (status !== 429 && attempts < 150) {
      attempts++;
      const answer = await call(direct, "/api/auth/sign-in/email", {
        method: "POST",
        headers: { "x-forwarded-for": `203.0.${Math.floor(attempts / 250)}.${attempts % 250}` },
        body: JSON.stringify({ email: `nobody-${attempts}-${randomBytes(3).toString("hex")}@example.com`, password: "wrong-password-1" }),
      });
      status = answer.status;
      if (status !== 429) expect(status, JSON.stringify(answer.body)).toBe(401);
    }
    expect(status, `no 429 after ${attempts} sign-ins from rotating addresses`).toBe(429);
  }, 120_000);
});
