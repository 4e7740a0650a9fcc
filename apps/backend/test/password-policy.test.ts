import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "./support/backends.ts";
import { createTestApp, ORIGIN, type TestApp } from "./support/test-app.ts";

let n = 0;
describe.each(backends)("sign-up refuses trivial passwords, saying why; auth bodies refuse NUL (%s)", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(backend);
  });
  afterAll(() => t?.close());

  const signUp = (password: string, email = `pw-${backend}-${++n}-${Date.now()}@example.com`, name = "Pat") =>
    t.call("POST", "/api/auth/sign-up/email", { json: { name, email, password }, headers: { origin: ORIGIN, "x-forwarded-for": `192.0.2.${n % 250}` } });

  it.each([
    ["12345678", /most common passwords/],
    ["password", /most common passwords/],
    ["Password1", /most common passwords/],
    ["        ", /only spaces/],
    ["\t \t \t \t ", /only spaces/],
    ["aaaaaaaaaa", /repeats one character/],
  ])("refuses %j with 400 PASSWORD_TOO_WEAK and the reason", async (password, reason) => {
    const response = await signUp(password);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string; message: string };
    expect(body.code).toBe("PASSWORD_TOO_WEAK");
    expect(body.message).toMatch(/^password: /);
    expect(body.message).toMatch(reason);
  });

  it("refuses the email address as the password, and accepts a reasonable one", async () => {
    const email = `ada.lovelace-${backend}-${Date.now()}@example.com`;
    const own = await signUp(email.split("@")[0] ?? "", email);
    expect(own.status).toBe(400);
    expect(((await own.json()) as { message: string }).message).toMatch(/must not be your email/);
    expect((await signUp("correct-horse-1", email)).status).toBe(200);
  });

  it("answers 400 naming the field for a NUL character in sign-up and sign-in bodies (not 500)", async () => {
    const name = await signUp("correct-horse-1", undefined, "Pat\u0000");
    expect(name.status).toBe(400);
    expect(((await name.json()) as { message: string }).message).toBe("name: must not contain a NUL character (\\u0000)");
    const signIn = await t.call("POST", "/api/auth/sign-in/email", { json: { email: "x\u0000@example.com", password: "whatever-1" }, headers: { origin: ORIGIN } });
    expect(signIn.status).toBe(400);
    expect(((await signIn.json()) as { message: string }).message).toMatch(/^email: must not contain a NUL/);
  });
});
