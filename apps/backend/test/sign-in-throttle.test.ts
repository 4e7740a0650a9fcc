import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIGN_IN_MAX_ATTEMPTS } from "../src/auth/sign-in-throttle.ts";
import { backends, createPostgresDatabase, postgresGate } from "./support/backends.ts";
import { createTestApp, ORIGIN, type SignedInUser, type TestApp } from "./support/test-app.ts";

const signIn = (t: TestApp, email: string, password: string, headers: Record<string, string> = {}) =>
  t.call("POST", "/api/auth/sign-in/email", { json: { email, password }, headers: { origin: ORIGIN, ...headers } });

let addresses = 0;
/** A different client address for every call: what an attacker rotating X-Forwarded-For sends. */
const rotatedAddress = () => ({ "x-forwarded-for": `203.0.113.${++addresses % 250}` });

describe.each(backends)("per-account sign-in throttle (%s)", (backend) => {
  let t: TestApp;
  let victim: SignedInUser;
  let bystander: SignedInUser;
  beforeAll(async () => {
    // development: the mode in which nothing was limited before
    t = await createTestApp(backend, { NODE_ENV: "development" });
    victim = await t.signUp("victim");
    bystander = await t.signUp("bystander");
  });
  afterAll(() => t?.close());

  it(`refuses the account after ${SIGN_IN_MAX_ATTEMPTS} attempts with 429 and Retry-After, the right password too, whatever X-Forwarded-For says`, async () => {
    for (let i = 0; i < SIGN_IN_MAX_ATTEMPTS; i++) {
      expect((await signIn(t, victim.email, `wrong-password-${i}`, rotatedAddress())).status).toBe(401);
    }
    const refused = await signIn(t, victim.email, "wrong-password-x", rotatedAddress());
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: { code: "too_many_attempts", message: expect.stringMatching(/try again in \d+ s/) } });
    // the email's spelling does not open a new count
    expect((await signIn(t, `  ${victim.email.toUpperCase()} `, "correct-horse-1", rotatedAddress())).status).toBe(429);

    // meanwhile another account, from the same address as the attacker, signs in normally
    expect((await signIn(t, bystander.email, "correct-horse-1", { "x-forwarded-for": "203.0.113.1" })).status).toBe(200);

    // once the window has passed the account signs in again
    await t.database.db.execute(sql`update sign_in_attempts set window_started_at = now() - interval '1 hour'`);
    expect((await signIn(t, victim.email, "correct-horse-1")).status).toBe(200);
  });

  it("a successful sign-in clears the count", async () => {
    const user = await t.signUp("forgetful");
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < SIGN_IN_MAX_ATTEMPTS - 1; i++) expect((await signIn(t, user.email, "wrong-password")).status).toBe(401);
      expect((await signIn(t, user.email, "correct-horse-1")).status).toBe(200);
    }
  });

  it("anonymous session checks do not use up a signed-in user's session checks", async () => {
    const user = await t.signUp("checker");
    for (let i = 0; i < 120; i++) {
      const anonymous = await t.call("GET", "/api/auth/get-session", { headers: { "x-forwarded-for": "203.0.113.200" } });
      expect(anonymous.status).toBe(200);
    }
    const mine = await t.call("GET", "/api/auth/get-session", { headers: { ...user.auth, "x-forwarded-for": "203.0.113.200" } });
    expect(mine.status).toBe(200);
    expect(await mine.json()).toMatchObject({ user: { id: user.id } });
  });
});

describe.skipIf(!postgresGate.ok)("two replicas on one PostgreSQL share the limits (postgres)", () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const url = await createPostgresDatabase();
    a = await createTestApp("postgres", { NODE_ENV: "production", DATABASE_URL: url }, url);
    b = await createTestApp("postgres", { NODE_ENV: "production", DATABASE_URL: url }, url);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it("counts an account's sign-in attempts on both replicas together", async () => {
    const user = await a.signUp("replicated");
    for (let i = 0; i < SIGN_IN_MAX_ATTEMPTS; i++) {
      expect((await signIn(i % 2 === 0 ? a : b, user.email, "wrong-password", rotatedAddress())).status).toBe(401);
    }
    expect((await signIn(b, user.email, "correct-horse-1", rotatedAddress())).status).toBe(429);
    expect((await signIn(a, user.email, "correct-horse-1", rotatedAddress())).status).toBe(429);
  });

  it("counts Better Auth's per-address sign-up limit on both replicas together, and answers 429 with Retry-After", async () => {
    const signUp = (t: TestApp, i: number) =>
      t.call("POST", "/api/auth/sign-up/email", {
        json: { name: "Spray", email: `spray-${i}-${Date.now()}@example.com`, password: "correct-horse-1" },
        headers: { origin: ORIGIN, "x-forwarded-for": "198.51.100.7" },
      });
    for (let i = 0; i < 10; i++) expect((await signUp(i % 2 === 0 ? a : b, i)).status).toBe(200);
    const limited = await signUp(b, 10);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // another address is not affected
    expect((await a.call("POST", "/api/auth/sign-up/email", {
      json: { name: "Other", email: `other-${Date.now()}@example.com`, password: "correct-horse-1" },
      headers: { origin: ORIGIN, "x-forwarded-for": "198.51.100.8" },
    })).status).toBe(200);
  });
});
