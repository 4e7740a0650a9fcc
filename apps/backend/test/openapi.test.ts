import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "./support/backends.ts";
import { createTestApp, ORIGIN, type TestApp } from "./support/test-app.ts";

interface Schema {
  type?: string | string[];
  required?: string[];
  properties?: Record<string, Schema>;
  $ref?: string;
}
interface Doc {
  paths: Record<string, Record<string, { summary?: string; security?: unknown[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
  components: { schemas: Record<string, Schema> };
}

/** /openapi.json also describes the routes Better Auth and the MCP SDK serve; checked here against them. */
describe.each(backends)("/openapi.json describes the whole API (%s)", (backend) => {
  let t: TestApp;
  let doc: Doc;
  const schema = (name: string): Schema => {
    const found = doc.components.schemas[name];
    if (!found) throw new Error(`no components.schemas.${name} in /openapi.json`);
    return found;
  };

  beforeAll(async () => {
    t = await createTestApp(backend);
    doc = (await (await t.call("GET", "/openapi.json")).json()) as Doc;
  });
  afterAll(() => t?.close());

  it("lists the auth routes the app uses and POST /mcp, each with a summary; /mcp needs a bearer token", () => {
    for (const [path, method] of [
      ["/api/auth/sign-up/email", "post"],
      ["/api/auth/sign-in/email", "post"],
      ["/api/auth/sign-out", "post"],
      ["/api/auth/get-session", "get"],
      ["/mcp", "post"],
    ] as const) {
      expect(doc.paths[path]?.[method]?.summary, `${method.toUpperCase()} ${path}`).toEqual(expect.any(String));
    }
    expect(doc.paths["/mcp"]?.post?.security).toEqual([{ bearerAuth: [] }]);
  });

  it("sign-up works with exactly the documented required fields and answers with the documented shape", async () => {
    const required = schema("SignUpEmail").required ?? [];
    expect(required.sort()).toEqual(["email", "name", "password"]);
    const body = { name: "Doc Reader", email: `doc-${Date.now()}@example.com`, password: "correct-horse-1" };
    const missing = await t.call("POST", "/api/auth/sign-up/email", { json: { ...body, password: undefined }, headers: { origin: ORIGIN } });
    expect(missing.status).toBeGreaterThanOrEqual(400);

    const response = await t.call("POST", "/api/auth/sign-up/email", { json: body, headers: { origin: ORIGIN } });
    expect(response.status).toBe(200);
    expect(response.headers.get("set-auth-token")).toEqual(expect.any(String));
    const signedUp = (await response.json()) as Record<string, Record<string, unknown>>;
    expect(Object.keys(signedUp)).toEqual(expect.arrayContaining(schema("SignedIn").required ?? []));
    expect(Object.keys(signedUp.user ?? {})).toEqual(expect.arrayContaining(schema("AuthUser").required ?? []));

    const signIn = await t.call("POST", "/api/auth/sign-in/email", { json: { email: body.email, password: body.password }, headers: { origin: ORIGIN } });
    expect(signIn.status).toBe(200);
    expect(Object.keys((await signIn.json()) as object)).toEqual(expect.arrayContaining(schema("SignedIn").required ?? []));
  });

  it("documents the conversation title the server returns", () => {
    expect(schema("Conversation").required).toEqual(expect.arrayContaining(["id", "title", "created_at", "updated_at"]));
    expect(schema("Conversation").properties?.title?.type).toBe("string");
  });

  it("POST /mcp answers JSON-RPC as documented, and 401 in the error shape without a token", async () => {
    const user = await t.signUp("mcp-doc");
    const headers = { ...user.auth, accept: "application/json, text/event-stream" };
    const list = await t.call("POST", "/mcp", { json: { jsonrpc: "2.0", id: 1, method: "tools/list" }, headers });
    expect(list.status).toBe(200);
    const reply = (await list.json()) as { jsonrpc: string; id: number; result: { tools: { name: string }[] } };
    expect(reply).toMatchObject({ jsonrpc: "2.0", id: 1 });
    expect(reply.result.tools.map((tool) => tool.name).sort()).toEqual(["add_task", "complete_task", "delete_task", "list_tasks", "update_task"]);
    const anonymous = await t.call("POST", "/mcp", { json: { jsonrpc: "2.0", id: 2, method: "tools/list" }, headers: { accept: headers.accept } });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: expect.any(String) } });
  });
});
