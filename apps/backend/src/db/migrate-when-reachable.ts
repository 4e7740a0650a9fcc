import type { Logger } from "../logger.ts";
import type { Database } from "./database.ts";
import { isDatabaseUnavailable } from "./unavailable.ts";

export interface MigrateOptions {
  /** give up after this long (the container is then restarted by its orchestrator); default 5 minutes */
  readonly timeoutMs?: number;
  /** first wait between attempts, doubled up to 5 s; default 250 ms */
  readonly firstDelayMs?: number;
}

/**
 * Applies the migrations once the database can be reached. In a cluster the backend often starts
 * before PostgreSQL answers (or before its Service name resolves): instead of exiting — a restart and a
 * CrashLoopBackOff for the user to read — it keeps serving /health, answers /ready with 503
 * ("migrations not applied yet") and retries with backoff. Errors that waiting cannot fix (a wrong
 * password, a failing migration) are thrown at once.
 */
export async function migrateWhenReachable(database: Database, logger: Logger, options: MigrateOptions = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  let delay = options.firstDelayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      await database.migrate();
      if (attempt > 1) logger.info({ attempt }, "database reachable: migrations applied");
      return;
    } catch (error) {
      if (!isDatabaseUnavailable(error) || Date.now() + delay > deadline) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      logger.warn({ attempt, retryInMs: delay, reason }, "database not reachable yet: waiting before applying migrations");
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 5_000);
    }
  }
}
