import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "./support/backends.ts";
import { createTestApp, type SignedInUser, type TestApp } from "./support/test-app.ts";

interface TaskJson {
  id: number;
  title: string;
  description: string;
  completed: boolean;
  created_at: string;
  updated_at: string;
}

describe.each(backends)("tasks REST API (%s)", (backend) => {
  let t: TestApp;
  let ada: SignedInUser;
  beforeAll(async () => {
    t = await createTestApp(backend);
    ada = await t.signUp("ada");
  });
  afterAll(() => t?.close());

  const tasksOf = (u: SignedInUser) => `/api/${u.id}/tasks`;

  it("routes with hono's RegExpRouter, and /api/auth/* goes to Better Auth even where it looks like a task path", async () => {
    const asAuth = await t.call("GET", "/api/auth/tasks", { headers: ada.auth });
    expect(asAuth.status).toBe(404); // Better Auth's own: no such auth endpoint, not the task list of a user "auth"
    expect(await asAuth.text()).not.toContain("unauthorized");
    // SmartRouter keeps the first router that accepts every route; an ambiguous pattern drops it to TrieRouter
    const router = t.app.router as unknown as { activeRouter: { name: string } };
    expect(router.activeRouter.name).toBe("RegExpRouter");
  });

  it("creates (201), reads, lists with each filter, updates, toggles and deletes (204) a task", async () => {
    const created = await t.call("POST", tasksOf(ada), { json: { title: "  Buy groceries ", description: "milk" }, headers: ada.auth });
    expect(created.status).toBe(201);
    const task = (await created.json()) as TaskJson;
    expect(task).toMatchObject({ title: "Buy groceries", description: "milk", completed: false });
    await t.call("POST", tasksOf(ada), { json: { title: "Pay bills" }, headers: ada.auth });

    const read = await t.call("GET", `${tasksOf(ada)}/${task.id}`, { headers: ada.auth });
    expect(read.status).toBe(200);
    expect(((await read.json()) as TaskJson).title).toBe("Buy groceries");

    const toggled = await t.call("PATCH", `${tasksOf(ada)}/${task.id}/complete`, { headers: ada.auth });
    expect(toggled.status).toBe(200);
    expect(((await toggled.json()) as TaskJson).completed).toBe(true);

    const titles = async (status: string) =>
      ((await (await t.call("GET", `${tasksOf(ada)}?status=${status}`, { headers: ada.auth })).json()) as TaskJson[]).map((x) => x.title);
    expect(await titles("all")).toEqual(["Buy groceries", "Pay bills"]);
    expect(await titles("completed")).toEqual(["Buy groceries"]);
    expect(await titles("pending")).toEqual(["Pay bills"]);

    const untoggled = await t.call("PATCH", `${tasksOf(ada)}/${task.id}/complete`, { headers: ada.auth });
    expect(((await untoggled.json()) as TaskJson).completed).toBe(false);

    const updated = await t.call("PUT", `${tasksOf(ada)}/${task.id}`, { json: { title: "Buy bread", completed: true }, headers: ada.auth });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ title: "Buy bread", description: "milk", completed: true });

    const deleted = await t.call("DELETE", `${tasksOf(ada)}/${task.id}`, { headers: ada.auth });
    expect(deleted.status).toBe(204);
    expect((await t.call("GET", `${tasksOf(ada)}/${task.id}`, { headers: ada.auth })).status).toBe(404);
  });

  it("answers 404 with the error shape for a task that does not exist, on every task route", async () => {
    for (const [method, suffix, json] of [
      ["GET", "/999999", undefined],
      ["PUT", "/999999", { title: "x" }],
      ["DELETE", "/999999", undefined],
      ["PATCH", "/999999/complete", undefined],
    ] as const) {
      const response = await t.call(method, `${tasksOf(ada)}${suffix}`, { json, headers: ada.auth });
      expect(response.status, `${method} ${suffix}`).toBe(404);
      expect(await response.json()).toEqual({ error: { code: "not_found", message: "task 999999 not found" } });
    }
  });

  it("answers 401 without a token and 403 for another user's path on every route", async () => {
    const routes = [
      ["GET", "/tasks"],
      ["POST", "/tasks"],
      ["GET", "/tasks/1"],
      ["PUT", "/tasks/1"],
      ["DELETE", "/tasks/1"],
      ["PATCH", "/tasks/1/complete"],
      ["POST", "/chat"],
      ["GET", "/conversations"],
      ["GET", "/conversations/1/messages"],
    ] as const;
    for (const [method, path] of routes) {
      const json = method === "GET" || method === "DELETE" ? undefined : { title: "x", message: "x" };
      const anonymous = await t.call(method, `/api/${ada.id}${path}`, { json });
      expect(anonymous.status, `${method} ${path} anonymous`).toBe(401);
      const elsewhere = await t.call(method, `/api/not-${ada.id}${path}`, { json, headers: ada.auth });
      expect(elsewhere.status, `${method} ${path} other user`).toBe(403);
      expect(await elsewhere.json()).toMatchObject({ error: { code: "forbidden" } });
    }
  });

  it("answers 404 in the error shape for an unknown route, and serves /openapi.json from the route schemas", async () => {
    const unknown = await t.call("GET", "/api/nothing-here");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "not_found" } });

    const doc = (await (await t.call("GET", "/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, { properties?: Record<string, { maxLength?: number }> }> } };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/{user_id}/tasks", "/api/{user_id}/tasks/{id}", "/api/{user_id}/tasks/{id}/complete", "/api/{user_id}/chat", "/health", "/ready"]),
    );
    expect(doc.components.schemas.CreateTask?.properties?.title?.maxLength).toBe(200);
  });
});
