/** Reads the task list versions of many users in one query (repository.ts: readTaskListVersions). */
export type ReadVersions = (userIds: readonly string[]) => Promise<ReadonlyMap<string, number>>;

interface Waiter {
  resolve: (version: number) => void;
  reject: (error: unknown) => void;
}

/**
 * The task list version a request needs, read for many requests at once. At most one query is in
 * flight: a request that comes while one runs waits for the next, which reads the version of every
 * user asked for meanwhile in one round trip. So under load the list route pays one query per batch
 * instead of one per request, and with one request at a time nothing waits.
 *
 * A request is never answered by a query sent before it came: that query could miss a write
 * committed between its start and the request (a write through another replica, say), and the list
 * cache would then serve a page that no longer holds.
 */
export class TaskListVersionReader {
  readonly #read: ReadVersions;
  #waiting = new Map<string, Waiter[]>();
  #inFlight = false;

  constructor(read: ReadVersions) {
    this.#read = read;
  }

  /** the user's task list version as of a query sent after this call; 0 for a user who never had a task */
  version(userId: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const waiters = this.#waiting.get(userId);
      if (waiters) waiters.push({ resolve, reject });
      else this.#waiting.set(userId, [{ resolve, reject }]);
      if (!this.#inFlight) void this.#send();
    });
  }

  async #send(): Promise<void> {
    const batch = this.#waiting;
    this.#waiting = new Map();
    this.#inFlight = true;
    try {
      const versions = await this.#read([...batch.keys()]);
      for (const [userId, waiters] of batch) for (const waiter of waiters) waiter.resolve(versions.get(userId) ?? 0);
    } catch (error) {
      for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
    } finally {
      this.#inFlight = false;
      if (this.#waiting.size > 0) void this.#send();
    }
  }
}
