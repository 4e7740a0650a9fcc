import { findPostgresBin, startPostgres, type PostgresServer } from "@todo/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresGate } from "./support/backends.ts";
import { createTestApp, ORIGIN, type SignedInUser, type TestApp } from "./support/test-app.ts";

describe.skipIf(!postgresGate.ok)("database down -> 503 -> recovery without a restart (postgres)", () => {
  let pgServer: PostgresServer;
  let t: TestApp;
  let user: SignedInUser;
  beforeAll(async () => {
    // its own cluster: stopping it must not disturb the other test files
    pgServer = await startPostgres(findPostgresBin());
    t = await createTestApp("postgres", {}, await pgServer.createDatabase());
    user = await t.signUp("outage");
    await t.call("POST", `/api/${user.id}/tasks`, { json: { title: "survives" }, headers: user.auth });
  });
  afterAll(async () => {
    await t?.close().catch(() => undefined);
    pgServer?.destroy();
  });

  it("answers 503 in the error shape while the database is down, /ready turns 503, /health stays 200, and both recover", async () => {
    pgServer.stopServer();
    try {
      for (const [method, path, json] of [
        ["GET", `/api/${user.id}/tasks`, undefined],
        ["POST", `/api/${user.id}/tasks`, { title: "lost?" }],
        ["POST", `/api/${user.id}/chat`, { message: "What's pending?" }],
      ] as const) {
        const response = await t.call(method, path, { json, headers: user.auth });
        expect(response.status, `${method} ${path}`).toBe(503);
        expect(await response.json()).toMatchObject({ error: { code: "database_unavailable" } });
      }
      // Better Auth's routes too, in the same shape (they answered 500 with an empty body)
      const origin = { origin: ORIGIN };
      for (const [method, path, json, headers] of [
        ["POST", "/api/auth/sign-in/email", { email: user.email, password: "correct-horse-1" }, origin],
        ["POST", "/api/auth/sign-up/email", { name: "Late", email: `late-${Date.now()}@example.com`, password: "correct-horse-1" }, origin],
        ["GET", "/api/auth/get-session", undefined, user.auth],
        ["POST", "/api/auth/sign-out", undefined, { ...user.auth, ...origin }],
      ] as const) {
        const response = await t.call(method, path, { json, headers });
        expect(response.status, `${method} ${path}`).toBe(503);
        expect(response.headers.get("retry-after"), `${method} ${path}`).toBe("5");
        expect(await response.json(), `${method} ${path}`).toMatchObject({ error: { code: "database_unavailable" } });
      }
      expect((await t.call("GET", "/ready")).status).toBe(503);
      expect((await t.call("GET", "/health")).status).toBe(200);
    } finally {
      pgServer.startServer();
    }

    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await t.call("GET", `/api/${user.id}/tasks`, { headers: user.auth })).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    expect((await t.call("GET", "/ready")).status).toBe(200);
    const tasks = (await (await t.call("GET", `/api/${user.id}/tasks`, { headers: user.auth })).json()) as { title: string }[];
    expect(tasks.map((x) => x.title)).toEqual(["survives"]);
  }, 120_000);
});
