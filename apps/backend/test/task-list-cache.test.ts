import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsFolder } from "../src/db/database.ts";
import { toJsonBody } from "../src/http/json-body.ts";
import { TaskListCache, type TaskPage } from "../src/tasks/list-cache.ts";
import { TaskListVersionReader } from "../src/tasks/list-versions.ts";
import { readTaskListVersions } from "../src/tasks/repository.ts";
import { createPostgresDatabase, postgresGate } from "./support/backends.ts";
import { migrationsBefore } from "./support/migrations.ts";
import { createTestApp, type SignedInUser, type TestApp } from "./support/test-app.ts";

const page = (titles: string[]): TaskPage => ({
  body: toJsonBody(titles.map((title, i) => ({ id: i + 1, title, description: "", completed: false, created_at: "", updated_at: "" }))),
});

describe("TaskListCache", () => {
  it("serves a page only at the task list version it was read at", () => {
    const cache = new TaskListCache(1 << 20);
    const first = page(["a"]);
    cache.set("u1", "all 100 ", 3, first);
    expect(cache.get("u1", "all 100 ", 3)).toBe(first);
    expect(cache.get("u2", "all 100 ", 3)).toBeUndefined();
    expect(cache.get("u1", "pending 100 ", 3)).toBeUndefined();
    expect(cache.get("u1", "all 100 ", 4)).toBeUndefined();
    // a stale entry is dropped, not kept beside the new version
    expect(cache.get("u1", "all 100 ", 3)).toBeUndefined();
    expect(cache.bytes).toBe(0);
  });

  it("keeps within its byte budget, dropping the least recently used page first", () => {
    const one = page(["x".repeat(1000)]);
    const cache = new TaskListCache(3 * (one.body.byteLength + 100));
    for (const user of ["u1", "u2", "u3"]) cache.set(user, "all 100 ", 1, page(["x".repeat(1000)]));
    expect(cache.get("u1", "all 100 ", 1)).toBeDefined(); // u1 is now the most recently used
    cache.set("u4", "all 100 ", 1, one);
    expect(cache.get("u2", "all 100 ", 1)).toBeUndefined();
    for (const user of ["u1", "u3", "u4"]) expect(cache.get(user, "all 100 ", 1), user).toBeDefined();
    for (let i = 0; i < 50; i++) cache.set(`v${i}`, "all 100 ", 1, page(["x".repeat(1000)]));
    expect(cache.bytes).toBeLessThanOrEqual(3 * (one.body.byteLength + 100));
  });

  it("keeps nothing when built with 0 bytes (TASK_LIST_CACHE_MB=0)", () => {
    const cache = new TaskListCache(0);
    cache.set("u1", "all 100 ", 1, page(["a"]));
    expect(cache.enabled).toBe(false);
    expect(cache.get("u1", "all 100 ", 1)).toBeUndefined();
  });
});

/** A stand-in for the versions table whose queries answer only when the test says so. */
function heldVersions(initial: Record<string, number>) {
  const table = new Map(Object.entries(initial));
  const queries: { userIds: readonly string[]; answer: () => void; fail: (error: Error) => void }[] = [];
  const read = (userIds: readonly string[]) =>
    new Promise<ReadonlyMap<string, number>>((resolve, reject) => {
      const snapshot = new Map(table); // what the query sees: the table as it was when it was sent
      queries.push({ userIds, answer: () => resolve(snapshot), fail: reject });
    });
  return { table, queries, reader: new TaskListVersionReader(read) };
}

describe("TaskListVersionReader", () => {
  it("sends the first read at once and every read that comes meanwhile in one next query", async () => {
    const { queries, reader } = heldVersions({ u1: 4, u2: 7 });
    const first = reader.version("u1");
    const rest = [reader.version("u1"), reader.version("u2"), reader.version("u3"), reader.version("u2")];
    expect(queries.map((query) => query.userIds)).toEqual([["u1"]]);
    queries[0]?.answer();
    expect(await first).toBe(4);
    expect(queries.map((query) => query.userIds)).toEqual([["u1"], ["u1", "u2", "u3"]]);
    queries[1]?.answer();
    expect(await Promise.all(rest)).toEqual([4, 7, 0, 7]); // u3 never had a task: version 0
  });

  it("never answers a read with a query sent before it (a write in between would be missed)", async () => {
    const { table, queries, reader } = heldVersions({ u1: 1 });
    const before = reader.version("u1");
    table.set("u1", 2); // a write through another replica commits while that query runs
    const after = reader.version("u1");
    queries[0]?.answer();
    expect(await before).toBe(1);
    queries[1]?.answer();
    expect(await after).toBe(2);
  });

  it("fails the reads of a failed query only; the next read sends a new one", async () => {
    const { queries, reader } = heldVersions({ u1: 3 });
    const failed = reader.version("u1");
    const next = reader.version("u1");
    queries[0]?.fail(new Error("connection terminated"));
    await expect(failed).rejects.toThrow("connection terminated");
    queries[1]?.answer();
    expect(await next).toBe(3);
    const later = reader.version("u1");
    expect(queries).toHaveLength(3);
    queries[2]?.answer();
    expect(await later).toBe(3);
  });
});

interface TaskJson {
  id: number;
  title: string;
  completed: boolean;
}

describe.skipIf(!postgresGate.ok)("the task list on two replicas of one database (postgres)", () => {
  let a: TestApp;
  let b: TestApp;
  let databaseUrl: string;
  let ada: SignedInUser;
  beforeAll(async () => {
    databaseUrl = await createPostgresDatabase();
    a = await createTestApp("postgres", {}, databaseUrl);
    b = await createTestApp("postgres", {}, databaseUrl);
    ada = await a.signUp("ada");
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  const list = async (app: TestApp): Promise<TaskJson[]> => {
    const response = await app.call("GET", `/api/${ada.id}/tasks`, { headers: ada.auth });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    return (await response.json()) as TaskJson[];
  };
  const titles = async (app: TestApp) => (await list(app)).map((task) => `${task.title}${task.completed ? " (done)" : ""}`);

  it("shows every write made through the other replica, or in SQL, on the next read", async () => {
    expect(await titles(a)).toEqual([]);
    const created = await b.call("POST", `/api/${ada.id}/tasks`, { json: { title: "Buy groceries" }, headers: ada.auth });
    const task = (await created.json()) as TaskJson;
    expect(await titles(a)).toEqual(["Buy groceries"]);
    expect(await titles(a)).toEqual(["Buy groceries"]); // served from a's cache now

    await b.call("PUT", `/api/${ada.id}/tasks/${task.id}`, { json: { title: "Buy milk" }, headers: ada.auth });
    expect(await titles(a)).toEqual(["Buy milk"]);
    await b.call("PATCH", `/api/${ada.id}/tasks/${task.id}/complete`, { headers: ada.auth });
    expect(await titles(a)).toEqual(["Buy milk (done)"]);

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query("UPDATE tasks SET title = 'Buy bread' WHERE id = $1", [task.id]);
      expect(await titles(a)).toEqual(["Buy bread (done)"]);
    } finally {
      await client.end();
    }

    await b.call("DELETE", `/api/${ada.id}/tasks/${task.id}`, { headers: ada.auth });
    expect(await titles(a)).toEqual([]);
  });

  it("reads many users' versions in one query, each user's own, 0 for a user who never had a task", async () => {
    const [carol, dave, erin] = [await a.signUp("carol"), await a.signUp("dave"), await a.signUp("erin")];
    for (const [user, count] of [[carol, 2], [dave, 1]] as const) {
      for (let i = 0; i < count; i++) await b.call("POST", `/api/${user.id}/tasks`, { json: { title: `task ${i}` }, headers: user.auth });
    }
    const versions = await readTaskListVersions(a.database.db, [carol.id, dave.id, erin.id]);
    expect(Object.fromEntries(versions)).toEqual({ [carol.id]: 2, [dave.id]: 1 });
    // and through the route, the three lists asked for at once
    const counts = await Promise.all([carol, dave, erin].map(async (user) => ((await (await a.call("GET", `/api/${user.id}/tasks`, { headers: user.auth })).json()) as TaskJson[]).length));
    expect(counts).toEqual([2, 1, 0]);
  });

  it("answers byte for byte what the single-task route answers for each task, also for text JSON must escape", async () => {
    const bob = await a.signUp("bob");
    const tricky = ['quote " backslash \\ slash /', "tab\tnew\nline", "emoji 🚀 and ü", "\u0001 control"];
    for (const title of tricky) await a.call("POST", `/api/${bob.id}/tasks`, { json: { title, description: title }, headers: bob.auth });
    const listed = await (await a.call("GET", `/api/${bob.id}/tasks`, { headers: bob.auth })).text();
    const ids = (JSON.parse(listed) as TaskJson[]).map((task) => task.id);
    const one = await Promise.all(ids.map(async (id) => (await a.call("GET", `/api/${bob.id}/tasks/${id}`, { headers: bob.auth })).text()));
    expect(listed).toBe(`[${one.join(",")}]`);
    expect((JSON.parse(listed) as TaskJson[]).map((task) => task.title)).toEqual(tricky);
  });
});

describe("migration 0003 versions the task lists that existed before it", () => {
  const before = migrationsBefore("0003");
  afterAll(() => before.remove());

  it("gives each user with tasks a version, bumps it on every write, and a user with tasks can still be deleted", async () => {

    const client = await PGlite.create();
    try {
      const db = drizzle({ client });
      await migrate(db, { migrationsFolder: before.dir });
      await client.exec(`
        INSERT INTO "user" (id, name, email) VALUES ('u1', 'Old', 'old@example.com'), ('u2', 'None', 'none@example.com');
        INSERT INTO tasks (user_id, title) VALUES ('u1', 'one'), ('u1', 'two');
      `);
      await migrate(db, { migrationsFolder });
      const versions = async () => (await client.query<{ user_id: string; version: string }>("SELECT user_id, version::text FROM task_list_versions ORDER BY user_id")).rows;
      expect(await versions()).toEqual([{ user_id: "u1", version: "1" }]);

      await client.exec("UPDATE tasks SET completed = true WHERE title = 'one'");
      expect(await versions()).toEqual([{ user_id: "u1", version: "2" }]);
      await client.exec("DELETE FROM tasks WHERE title = 'two'");
      expect(await versions()).toEqual([{ user_id: "u1", version: "3" }]);
      await client.exec("INSERT INTO tasks (user_id, title) VALUES ('u2', 'first')");
      expect(await versions()).toEqual([
        { user_id: "u1", version: "3" },
        { user_id: "u2", version: "1" },
      ]);

      await client.exec(`DELETE FROM "user" WHERE id = 'u1'`);
      expect(await versions()).toEqual([{ user_id: "u2", version: "1" }]);
    } finally {
      await client.close();
    }
  });
});
