import type { Db } from "../db/database.ts";
import { toJsonBody, type JsonBody } from "../http/json-body.ts";
import type { TaskListVersionReader } from "./list-versions.ts";
import { listTasks, type TaskStatus } from "./repository.ts";
import type { TaskOut } from "./schemas.ts";

/** A page of the task list as the API sends it. */
export interface TaskPage {
  /** the page as the API's JSON array of TaskOut, oldest first */
  body: JsonBody<TaskOut[]>;
  /** the cursor of the next page, when there is one */
  nextCursor?: number | undefined;
}

interface Entry {
  version: number;
  page: TaskPage;
  /** what the entry holds in memory, about: its body and key */
  bytes: number;
}

/**
 * The task list pages this process served lately, each kept with the user's task list version
 * (db/schema/tasks.ts: `task_list_versions`) it was read at. A page is served again only while the
 * user's version in PostgreSQL is still that one, so every write, through any replica, the MCP tools
 * or SQL, makes the user's cached pages stale at once. Least recently used pages go first once
 * `maxBytes` is reached; maxBytes = 0 turns the cache off.
 */
export class TaskListCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** false when built with maxBytes = 0 */
  get enabled(): boolean {
    return this.#maxBytes > 0;
  }

  /** bytes held now (never more than maxBytes) */
  get bytes(): number {
    return this.#bytes;
  }

  get(userId: string, query: string, version: number): TaskPage | undefined {
    const key = `${userId}\n${query}`;
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.version !== version) {
      this.#bytes -= entry.bytes;
      return undefined;
    }
    this.#entries.set(key, entry); // most recently used last
    return entry.page;
  }

  set(userId: string, query: string, version: number, page: TaskPage): void {
    const key = `${userId}\n${query}`;
    const bytes = page.body.byteLength + 2 * key.length + 64;
    if (bytes > this.#maxBytes) return;
    const previous = this.#entries.get(key);
    if (previous) {
      this.#entries.delete(key);
      this.#bytes -= previous.bytes;
    }
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes + bytes <= this.#maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.bytes;
    }
    this.#entries.set(key, { version, page, bytes });
    this.#bytes += bytes;
  }
}

/**
 * One page of the user's tasks as the list route sends it, from the cache while the user's task list
 * version is unchanged. The version is read before the page: the page then holds at least every write
 * that version counts (a later snapshot sees all that an earlier one did), so a page is never older
 * than the version it is kept under; a write in between only makes the next request read again.
 */
export async function cachedTaskPage(
  db: Db,
  cache: TaskListCache,
  versions: TaskListVersionReader,
  userId: string,
  status: TaskStatus,
  page: { limit: number; cursor?: number | undefined },
): Promise<TaskPage> {
  // with the cache off the version read would be wasted
  const version = cache.enabled ? await versions.version(userId) : undefined;
  const query = `${status} ${page.limit} ${page.cursor ?? ""}`;
  const cached = version === undefined ? undefined : cache.get(userId, query, version);
  if (cached) return cached;
  const { items, nextCursor } = await listTasks(db, userId, status, page);
  const fresh: TaskPage = { body: toJsonBody(items), nextCursor };
  if (version !== undefined) cache.set(userId, query, version, fresh);
  return fresh;
}
