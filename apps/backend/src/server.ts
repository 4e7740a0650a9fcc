import { serve } from "@hono/node-server";
import { createApp } from "./app.ts";
import { createAuth } from "./auth/auth.ts";
import { authSecret } from "./auth/secret.ts";
import { migrateWhenReachable } from "./db/migrate-when-reachable.ts";
import { openDatabase } from "./db/open.ts";
import { ConfigError, loadEnv } from "./env.ts";
import { serverTimeouts } from "./http/server-timeouts.ts";
import { installShutdown } from "./lifecycle/shutdown.ts";
import { newLifecycle } from "./lifecycle/state.ts";
import { createLogger } from "./logger.ts";

async function main(): Promise<void> {
  const started = performance.now();
  const env = loadEnv();
  const logger = createLogger(env.LOG_LEVEL);
  const lifecycle = newLifecycle();
  const database = await openDatabase(env, logger);
  const auth = createAuth({
    db: database.db,
    secret: authSecret(env, logger),
    publicUrl: env.PUBLIC_URL,
    trustedOrigins: env.TRUSTED_ORIGINS,
    logger,
  });
  const app = createApp({ env, database, auth, logger, lifecycle });
  const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST, serverOptions: serverTimeouts }, (info) => {
    logger.info(
      { port: info.port, database: database.kind, assistant: env.OPENAI_API_KEY ? "llm" : "offline", startupMs: Math.round(performance.now() - started) },
      "listening",
    );
  });
  installShutdown({ server, database, lifecycle, logger, timeoutMs: env.SHUTDOWN_TIMEOUT_MS });
  // served first: /health answers while the database is still coming up; /ready waits for the migrations
  await migrateWhenReachable(database, logger);
  lifecycle.migrated = true;
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`configuration error: ${error.message}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`start-up failed: ${message}\n`);
  }
  process.exit(1);
});
