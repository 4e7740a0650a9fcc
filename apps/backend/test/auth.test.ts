import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "./support/backends.ts";
import { createTestApp, ORIGIN, type TestApp } from "./support/test-app.ts";

describe.each(backends)("auth (%s)", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(backend, { TRUSTED_ORIGINS: "https://extra.example" });
  });
  afterAll(() => t?.close());

  const credentials = { name: "Ada", email: `ada-${backend}@example.com`, password: "correct-horse-1" };

  it("signs up, then the bearer token and the session cookie both reach the tasks", async () => {
    const up = await t.call("POST", "/api/auth/sign-up/email", { json: credentials, headers: { origin: ORIGIN } });
    expect(up.status).toBe(200);
    const token = up.headers.get("set-auth-token");
    const cookie = up.headers.get("set-cookie")?.split(";")[0];
    const { user } = (await up.json()) as { user: { id: string } };
    expect(token).toBeTruthy();
    expect(cookie).toMatch(/session_token=/);

    const byBearer = await t.call("GET", `/api/${user.id}/tasks`, { headers: { authorization: `Bearer ${token}` } });
    expect(byBearer.status).toBe(200);
    const byCookie = await t.call("GET", `/api/${user.id}/tasks`, { headers: { cookie: cookie ?? "" } });
    expect(byCookie.status).toBe(200);
  });

  it("signs in with the right password only, and a signed-out token stops working", async () => {
    const wrong = await t.call("POST", "/api/auth/sign-in/email", {
      json: { email: credentials.email, password: "not-the-password" },
      headers: { origin: ORIGIN },
    });
    expect(wrong.status).toBe(401);

    const signIn = await t.call("POST", "/api/auth/sign-in/email", {
      json: { email: credentials.email, password: credentials.password },
      headers: { origin: ORIGIN },
    });
    expect(signIn.status).toBe(200);
    const token = signIn.headers.get("set-auth-token") ?? "";
    const { user } = (await signIn.json()) as { user: { id: string } };
    const auth = { authorization: `Bearer ${token}` };
    expect((await t.call("GET", `/api/${user.id}/tasks`, { headers: auth })).status).toBe(200);

    const out = await t.call("POST", "/api/auth/sign-out", { headers: { ...auth, origin: ORIGIN } });
    expect(out.status).toBe(200);
    expect((await t.call("GET", `/api/${user.id}/tasks`, { headers: auth })).status).toBe(401);
  });

  it("sign-out through one spelling of the credential ends every spelling at once (session cache keyed by session)", async () => {
    // a long cache life, so only the sign-out can explain a 401 below
    const cached = await createTestApp(backend, { SESSION_CACHE_TTL_MS: "60000" });
    try {
      const user = await cached.signUp("spellings");
      const up = await cached.call("POST", "/api/auth/sign-in/email", { json: { email: user.email, password: "correct-horse-1" }, headers: { origin: ORIGIN } });
      const token = up.headers.get("set-auth-token") ?? "";
      const cookie = up.headers.get("set-cookie")?.split(";")[0] ?? "";
      const spellings: Record<string, string>[] = [
        { authorization: `Bearer ${token}` },
        { authorization: `bearer ${token}` },
        { authorization: `Bearer ${token.split(".")[0] ?? ""}` }, // the raw token, unsigned
        { cookie },
      ];
      for (const headers of spellings) expect((await cached.call("GET", `/api/${user.id}/tasks`, { headers })).status, JSON.stringify(headers)).toBe(200);

      const out = await cached.call("POST", "/api/auth/sign-out", { headers: { authorization: `Bearer ${token}`, origin: ORIGIN } });
      expect(out.status).toBe(200);
      for (const headers of spellings) expect((await cached.call("GET", `/api/${user.id}/tasks`, { headers })).status, JSON.stringify(headers)).toBe(401);
      // the account's other session (from sign-up) is not affected
      expect((await cached.call("GET", `/api/${user.id}/tasks`, { headers: user.auth })).status).toBe(200);
    } finally {
      await cached.close();
    }
  });

  it("sign-in answers an unknown email exactly like a wrong password; sign-up says an email is taken (README: existing emails)", async () => {
    const signIn = (email: string) =>
      t.call("POST", "/api/auth/sign-in/email", { json: { email, password: "not-the-password" }, headers: { origin: ORIGIN, "x-forwarded-for": "192.0.2.77" } });
    const unknown = await signIn(`nobody-${backend}-${Date.now()}@example.com`);
    const wrong = await signIn(credentials.email);
    expect([unknown.status, await unknown.json()]).toEqual([wrong.status, await wrong.json()]);
    const taken = await t.call("POST", "/api/auth/sign-up/email", { json: credentials, headers: { origin: ORIGIN } });
    expect(taken.status).toBe(422);
    expect(await taken.json()).toMatchObject({ code: "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL" });
  });

  it("answers 401 without credentials and with a forged token", async () => {
    const none = await t.call("GET", "/api/someone/tasks");
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { code: "unauthorized" } });
    const forged = await t.call("GET", "/api/someone/tasks", { headers: { authorization: "Bearer not-a-real-token" } });
    expect(forged.status).toBe(401);
  });

  it("trusts PUBLIC_URL, TRUSTED_ORIGINS and an Origin matching the forwarded host; refuses a foreign Origin", async () => {
    const attempt = (email: string, headers: Record<string, string>) =>
      t.call("POST", "/api/auth/sign-up/email", { json: { name: "X", email, password: "correct-horse-1" }, headers });

    expect((await attempt(`o1-${backend}@example.com`, { origin: "https://extra.example" })).status).toBe(200);
    // the browser reached the frontend at a NodePort address nobody knew at deploy time
    const viaProxy = await attempt(`o2-${backend}@example.com`, {
      origin: "http://192.168.49.2:31234",
      "x-forwarded-host": "192.168.49.2:31234",
      host: "todo-backend:8000",
    });
    expect(viaProxy.status).toBe(200);

    const foreign = await attempt(`o3-${backend}@example.com`, { origin: "https://evil.example", "x-forwarded-host": "192.168.49.2:31234" });
    expect(foreign.status).toBe(403);
    const noOrigin = await t.call("POST", "/api/auth/sign-in/email", {
      json: { email: credentials.email, password: credentials.password },
      headers: { cookie: "better-auth.session_token=x" },
    });
    expect(noOrigin.status).toBe(403);
  });
});
