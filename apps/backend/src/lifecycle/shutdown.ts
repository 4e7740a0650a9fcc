import type { ServerType } from "@hono/node-server";
import type { Database } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import type { Lifecycle } from "./state.ts";

interface ShutdownDeps {
  server: ServerType;
  database: Database;
  lifecycle: Lifecycle;
  logger: Logger;
  /** after this, exit anyway (non-zero); Kubernetes' grace period is 30 s, ours is under 10 s */
  timeoutMs: number;
}

/**
 * SIGTERM/SIGINT: mark not-ready, stop accepting connections, let in-flight requests finish,
 * close the database, exit 0. If draining takes longer than timeoutMs, exit 1.
 */
export function installShutdown({ server, database, lifecycle, logger, timeoutMs }: ShutdownDeps): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    lifecycle.draining = true;
    logger.info({ signal }, "shutting down: finishing in-flight requests");
    const force = setTimeout(() => {
      logger.error({ timeoutMs }, "in-flight requests did not finish in time; exiting");
      process.exit(1);
    }, timeoutMs);
    force.unref();
    server.close(() => {
      database
        .close()
        .catch((error: unknown) => logger.warn({ err: String(error) }, "closing the database failed"))
        .finally(() => {
          logger.info("stopped");
          process.exit(0);
        });
    });
    // idle keep-alive sockets would hold close() open; busy ones close after their response
    if ("closeIdleConnections" in server) server.closeIdleConnections();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
