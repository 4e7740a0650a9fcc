import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "./support/backends.ts";
import { createTestApp, type SignedInUser, type TestApp } from "./support/test-app.ts";

interface Case {
  name: string;
  method: string;
  path: (base: string) => string;
  body?: string;
  /** the field the 400 message must name */
  field: string;
}

const json = (value: unknown) => JSON.stringify(value);

const cases: Case[] = [
  { name: "empty title", method: "POST", path: (b) => `${b}/tasks`, body: json({ title: "" }), field: "title" },
  { name: "blank title", method: "POST", path: (b) => `${b}/tasks`, body: json({ title: "   " }), field: "title" },
  { name: "missing title", method: "POST", path: (b) => `${b}/tasks`, body: json({ description: "x" }), field: "title" },
  { name: "oversized title", method: "POST", path: (b) => `${b}/tasks`, body: json({ title: "x".repeat(201) }), field: "title" },
  { name: "oversized description", method: "POST", path: (b) => `${b}/tasks`, body: json({ title: "ok", description: "x".repeat(2001) }), field: "description" },
  { name: "NUL byte in a title", method: "POST", path: (b) => `${b}/tasks`, body: json({ title: "bad\u0000title" }), field: "title" },
  { name: "NUL byte in a description", method: "POST", path: (b) => `${b}/tasks`, body: json({ title: "ok", description: "a\u0000b" }), field: "description" },
  { name: "NUL byte in an updated title", method: "PUT", path: (b) => `${b}/tasks/1`, body: json({ title: "\u0000" }), field: "title" },
  { name: "NUL byte in a chat message", method: "POST", path: (b) => `${b}/chat`, body: json({ message: "Add a task to buy \u0000 milk" }), field: "message" },
  { name: "title of the wrong type", method: "POST", path: (b) => `${b}/tasks`, body: json({ title: 42 }), field: "title" },
  { name: "unknown field", method: "POST", path: (b) => `${b}/tasks`, body: json({ title: "ok", priority: "high" }), field: "priority" },
  { name: "malformed JSON", method: "POST", path: (b) => `${b}/tasks`, body: '{"title": "unterminated', field: "body" },
  { name: "non-numeric task id", method: "GET", path: (b) => `${b}/tasks/abc`, field: "id" },
  { name: "negative task id", method: "DELETE", path: (b) => `${b}/tasks/-3`, field: "id" },
  { name: "fractional task id", method: "PATCH", path: (b) => `${b}/tasks/1.5/complete`, field: "id" },
  { name: "completed of the wrong type", method: "PUT", path: (b) => `${b}/tasks/1`, body: json({ completed: "yes" }), field: "completed" },
  { name: "empty update", method: "PUT", path: (b) => `${b}/tasks/1`, body: json({}), field: "body" },
  { name: "unknown status filter", method: "GET", path: (b) => `${b}/tasks?status=someday`, field: "status" },
  { name: "empty chat message", method: "POST", path: (b) => `${b}/chat`, body: json({ message: "" }), field: "message" },
  { name: "chat message of the wrong type", method: "POST", path: (b) => `${b}/chat`, body: json({ message: ["hi"] }), field: "message" },
  { name: "non-numeric conversation id", method: "POST", path: (b) => `${b}/chat`, body: json({ message: "hi", conversation_id: "one" }), field: "conversation_id" },
  { name: "unknown chat field", method: "POST", path: (b) => `${b}/chat`, body: json({ message: "hi", user_id: "someone" }), field: "user_id" },
  { name: "non-numeric conversation in path", method: "GET", path: (b) => `${b}/conversations/x/messages`, field: "id" },
];

describe.each(backends)("bad input answers 400 naming the field (%s)", (backend) => {
  let t: TestApp;
  let user: SignedInUser;
  beforeAll(async () => {
    t = await createTestApp(backend, { BODY_LIMIT_BYTES: "4096" });
    user = await t.signUp("validator");
    await t.call("POST", `/api/${user.id}/tasks`, { json: { title: "exists" }, headers: user.auth });
  });
  afterAll(() => t?.close());

  it.each(cases)("$name -> 400 naming $field", async ({ method, path, body, field }) => {
    const response = await t.call(method, path(`/api/${user.id}`), {
      body,
      headers: { ...user.auth, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    });
    expect(response.status).toBe(400);
    const payload = (await response.json()) as { error: { code: string; message: string } };
    expect(payload.error.message).toMatch(new RegExp(`(^|; )${field}: `));
  });

  it("answers 413 for a body over the limit, and nothing is stored", async () => {
    const response = await t.call("POST", `/api/${user.id}/tasks`, { json: { title: "big", description: "x".repeat(5000) }, headers: user.auth });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: "payload_too_large" } });
    const list = (await (await t.call("GET", `/api/${user.id}/tasks`, { headers: user.auth })).json()) as { title: string }[];
    expect(list.map((x) => x.title)).toEqual(["exists"]);
  });
});
