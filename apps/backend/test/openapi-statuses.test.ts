import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, ORIGIN, type SignedInUser, type TestApp } from "./support/test-app.ts";

type Operation = { responses: Record<string, unknown>; requestBody?: { content: Record<string, unknown> } };
interface Doc {
  paths: Record<string, Record<string, Operation>>;
}

interface Probe {
  /** the request, as it goes over the wire */
  method: string;
  path: (u: SignedInUser, other: SignedInUser) => string;
  /** the documented path template */
  doc: string;
  body?: string;
  headers?: (u: SignedInUser) => Record<string, string>;
  status: number;
}

const json = (value: unknown) => JSON.stringify(value);
const auth = (u: SignedInUser) => ({ ...u.auth, "content-type": "application/json" });
const mcpHeaders = (u: SignedInUser) => ({ ...u.auth, "content-type": "application/json", accept: "application/json, text/event-stream" });
const rpc = json({ jsonrpc: "2.0", id: 1, method: "tools/list" });
let emails = 0;
const fresh = () => `doc-status-${Date.now()}-${++emails}@example.com`;
const origin = () => ({ origin: ORIGIN, "content-type": "application/json", "x-forwarded-for": `198.51.100.${++emails % 250}` });

/** One real request per status a route answers; each status must be listed for that operation in /openapi.json. */
const probes: Probe[] = [
  { method: "GET", path: (u) => `/api/${u.id}/tasks`, doc: "/api/{user_id}/tasks", headers: auth, status: 200 },
  { method: "GET", path: (u) => `/api/${u.id}/tasks?limit=0`, doc: "/api/{user_id}/tasks", headers: auth, status: 400 },
  { method: "GET", path: (u) => `/api/${u.id}/tasks`, doc: "/api/{user_id}/tasks", status: 401 },
  { method: "GET", path: (_, o) => `/api/${o.id}/tasks`, doc: "/api/{user_id}/tasks", headers: auth, status: 403 },
  { method: "POST", path: (u) => `/api/${u.id}/tasks`, doc: "/api/{user_id}/tasks", body: json({ title: "x" }), headers: auth, status: 201 },
  { method: "POST", path: (u) => `/api/${u.id}/tasks`, doc: "/api/{user_id}/tasks", body: json({ title: "" }), headers: auth, status: 400 },
  { method: "POST", path: (u) => `/api/${u.id}/tasks`, doc: "/api/{user_id}/tasks", body: json({ title: "x".repeat(70_000) }), headers: auth, status: 413 },
  { method: "GET", path: (u) => `/api/${u.id}/tasks/1`, doc: "/api/{user_id}/tasks/{id}", headers: auth, status: 200 },
  { method: "GET", path: (u) => `/api/${u.id}/tasks/999999`, doc: "/api/{user_id}/tasks/{id}", headers: auth, status: 404 },
  { method: "PUT", path: (u) => `/api/${u.id}/tasks/1`, doc: "/api/{user_id}/tasks/{id}", body: json({ title: "y" }), headers: auth, status: 200 },
  { method: "PUT", path: (u) => `/api/${u.id}/tasks/1`, doc: "/api/{user_id}/tasks/{id}", body: json({}), headers: auth, status: 400 },
  { method: "PATCH", path: (u) => `/api/${u.id}/tasks/1/complete`, doc: "/api/{user_id}/tasks/{id}/complete", headers: auth, status: 200 },
  { method: "PATCH", path: (u) => `/api/${u.id}/tasks/999999/complete`, doc: "/api/{user_id}/tasks/{id}/complete", headers: auth, status: 404 },
  { method: "DELETE", path: (u) => `/api/${u.id}/tasks/999999`, doc: "/api/{user_id}/tasks/{id}", headers: auth, status: 404 },
  { method: "DELETE", path: (u) => `/api/${u.id}/tasks/1`, doc: "/api/{user_id}/tasks/{id}", headers: auth, status: 204 },
  { method: "POST", path: (u) => `/api/${u.id}/chat`, doc: "/api/{user_id}/chat", body: json({ message: "What's pending?" }), headers: auth, status: 200 },
  { method: "POST", path: (u) => `/api/${u.id}/chat`, doc: "/api/{user_id}/chat", body: json({ message: "hi", conversation_id: 999999 }), headers: auth, status: 404 },
  { method: "POST", path: (u) => `/api/${u.id}/chat`, doc: "/api/{user_id}/chat", body: json({ message: "" }), headers: auth, status: 400 },
  { method: "GET", path: (u) => `/api/${u.id}/conversations`, doc: "/api/{user_id}/conversations", headers: auth, status: 200 },
  { method: "GET", path: (u) => `/api/${u.id}/conversations/999999/messages`, doc: "/api/{user_id}/conversations/{id}/messages", headers: auth, status: 404 },
  { method: "GET", path: (u) => `/api/${u.id}/conversations/x/messages`, doc: "/api/{user_id}/conversations/{id}/messages", headers: auth, status: 400 },
  { method: "POST", path: () => "/mcp", doc: "/mcp", body: rpc, headers: mcpHeaders, status: 200 },
  { method: "POST", path: () => "/mcp", doc: "/mcp", body: json({ jsonrpc: "2.0", method: "notifications/initialized" }), headers: mcpHeaders, status: 202 },
  { method: "POST", path: () => "/mcp", doc: "/mcp", body: "{", headers: mcpHeaders, status: 400 },
  { method: "POST", path: () => "/mcp", doc: "/mcp", body: rpc, headers: (u) => ({ ...u.auth, "content-type": "application/json" }), status: 406 },
  { method: "POST", path: () => "/mcp", doc: "/mcp", body: rpc, headers: (u) => ({ ...mcpHeaders(u), "content-type": "text/plain" }), status: 415 },
  { method: "POST", path: () => "/mcp", doc: "/mcp", body: rpc, headers: () => ({ "content-type": "application/json", accept: "application/json, text/event-stream" }), status: 401 },
  { method: "GET", path: () => "/mcp", doc: "/mcp", status: 405 },
  { method: "DELETE", path: () => "/mcp", doc: "/mcp", status: 405 },
  { method: "POST", path: () => "/api/auth/sign-up/email", doc: "/api/auth/sign-up/email", body: json({ name: "D", email: fresh(), password: "correct-horse-1" }), headers: origin, status: 200 },
  { method: "POST", path: () => "/api/auth/sign-up/email", doc: "/api/auth/sign-up/email", body: json({ name: "D", email: fresh(), password: "password" }), headers: origin, status: 400 },
  { method: "POST", path: () => "/api/auth/sign-up/email", doc: "/api/auth/sign-up/email", body: json({ name: "D", email: fresh(), password: "correct-horse-1" }), headers: () => ({ origin: "https://evil.example", cookie: "better-auth.session_token=x", "content-type": "application/json" }), status: 403 },
  { method: "POST", path: () => "/api/auth/sign-up/email", doc: "/api/auth/sign-up/email", body: "x", headers: () => ({ origin: ORIGIN, "content-type": "text/plain" }), status: 415 },
  { method: "POST", path: () => "/api/auth/sign-up/email", doc: "/api/auth/sign-up/email", body: json({ name: "D", email: "taken@example.com", password: "correct-horse-1" }), headers: origin, status: 422 },
  { method: "POST", path: () => "/api/auth/sign-in/email", doc: "/api/auth/sign-in/email", body: json({ email: "taken@example.com", password: "correct-horse-1" }), headers: origin, status: 200 },
  { method: "POST", path: () => "/api/auth/sign-in/email", doc: "/api/auth/sign-in/email", body: json({ email: "taken@example.com", password: "wrong-password" }), headers: origin, status: 401 },
  { method: "POST", path: () => "/api/auth/sign-in/email", doc: "/api/auth/sign-in/email", body: json({ email: "not-an-email", password: "x" }), headers: origin, status: 400 },
  { method: "GET", path: () => "/api/auth/get-session", doc: "/api/auth/get-session", headers: (u) => u.auth, status: 200 },
  { method: "POST", path: () => "/api/auth/sign-out", doc: "/api/auth/sign-out", headers: () => ({ origin: ORIGIN }), status: 200 },
];

describe("/openapi.json lists every status the API answers (pglite)", () => {
  let t: TestApp;
  let user: SignedInUser;
  let other: SignedInUser;
  let doc: Doc;
  beforeAll(async () => {
    t = await createTestApp("pglite");
    [user, other] = [await t.signUp("doc-status"), await t.signUp("doc-other")];
    await t.call("POST", `/api/${user.id}/tasks`, { json: { title: "first" }, headers: user.auth });
    await t.call("POST", "/api/auth/sign-up/email", { json: { name: "Taken", email: "taken@example.com", password: "correct-horse-1" }, headers: { origin: ORIGIN } });
    doc = (await (await t.call("GET", "/openapi.json")).json()) as Doc;
  });
  afterAll(() => t?.close());

  it.each(probes)("$method $doc answers $status, and documents it", async (probe) => {
    const response = await t.call(probe.method, probe.path(user, other), { body: probe.body, headers: probe.headers?.(user) ?? {} });
    expect(response.status, await response.clone().text()).toBe(probe.status);
    const operation = doc.paths[probe.doc]?.[probe.method.toLowerCase()];
    expect(operation, `${probe.method} ${probe.doc} is not in /openapi.json`).toBeDefined();
    expect(Object.keys(operation?.responses ?? {}), `${probe.method} ${probe.doc}`).toContain(String(probe.status));
  });

  it("every operation lists its statuses explicitly (no `default`), and every /api and /mcp operation lists 500", () => {
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(Object.keys(operation.responses), `${method} ${path}`).not.toContain("default");
        if (path.startsWith("/api") || path === "/mcp") expect(Object.keys(operation.responses), `${method} ${path}`).toContain("500");
      }
    }
    // statuses proven in other files: 409 (limits), 429 (throttles, chat limit), 502 (llm-chat), 503 (db-outage)
    expect(Object.keys(doc.paths["/api/{user_id}/tasks"]?.post?.responses ?? {})).toContain("409");
    expect(Object.keys(doc.paths["/api/{user_id}/chat"]?.post?.responses ?? {})).toEqual(expect.arrayContaining(["429", "502", "503"]));
    expect(Object.keys(doc.paths["/api/auth/sign-in/email"]?.post?.responses ?? {})).toEqual(expect.arrayContaining(["429", "503"]));
    expect(Object.keys(doc.paths["/api/auth/get-session"]?.get?.responses ?? {})).toContain("503");
  });

  it("the auth routes accept what their documented schemas say: JSON and form bodies, a non-empty name", async () => {
    for (const path of ["/api/auth/sign-up/email", "/api/auth/sign-in/email"]) {
      expect(Object.keys(doc.paths[path]?.post?.requestBody?.content ?? {}).sort()).toEqual(["application/json", "application/x-www-form-urlencoded"]);
    }
    const form = await t.call("POST", "/api/auth/sign-in/email", {
      body: new URLSearchParams({ email: "taken@example.com", password: "correct-horse-1" }).toString(),
      headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(200);
    const blank = await t.call("POST", "/api/auth/sign-up/email", { json: { name: "  ", email: fresh(), password: "correct-horse-1" }, headers: origin() });
    expect(blank.status).toBe(400);
    expect(((await blank.json()) as { message: string }).message).toBe("name: must not be empty");
  });
});
