import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { user } from "../src/db/schema/auth.ts";
import { backends } from "./support/backends.ts";
import { createTestApp, ORIGIN, type TestApp } from "./support/test-app.ts";

describe.each(backends)("a sign-up that fails half-way leaves nothing behind (%s)", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(backend);
    await t.database.db.execute(sql.raw(`CREATE FUNCTION refuse_account() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'account insert refused'; END $$`));
  });
  afterAll(() => t?.close());

  const signUp = (email: string) =>
    t.call("POST", "/api/auth/sign-up/email", { json: { name: "Half", email, password: "correct-horse-1" }, headers: { origin: ORIGIN } });

  it("the user row is rolled back with the failed password insert, so the same email can sign up afterwards", async () => {
    const email = `half-${backend}-${Date.now()}@example.com`;
    // the user row goes in, then storing the password (the account row) fails
    await t.database.db.execute(sql.raw(`CREATE TRIGGER refuse_account BEFORE INSERT ON account FOR EACH ROW EXECUTE FUNCTION refuse_account()`));
    try {
      expect((await signUp(email)).status).toBe(500);
    } finally {
      await t.database.db.execute(sql.raw(`DROP TRIGGER refuse_account ON account`));
    }
    expect(await t.database.db.select({ id: user.id }).from(user).where(eq(user.email, email))).toEqual([]);

    const again = await signUp(email);
    expect(again.status, await again.clone().text()).toBe(200);
    const signIn = await t.call("POST", "/api/auth/sign-in/email", { json: { email, password: "correct-horse-1" }, headers: { origin: ORIGIN } });
    expect(signIn.status).toBe(200);
  });
});
