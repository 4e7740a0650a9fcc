import { createApp, type App } from "../../src/app.ts";
import { createAuth } from "../../src/auth/auth.ts";
import type { Database } from "../../src/db/database.ts";
import { openPglite } from "../../src/db/pglite.ts";
import { openPostgres } from "../../src/db/postgres.ts";
import { loadEnv } from "../../src/env.ts";
import { newLifecycle, type Lifecycle } from "../../src/lifecycle/state.ts";
import { createLogger } from "../../src/logger.ts";
import { createPostgresDatabase, type Backend } from "./backends.ts";

export const ORIGIN = "http://localhost:3000";

export interface SignedInUser {
  id: string;
  email: string;
  token: string;
  /** Authorization header for this user */
  auth: Record<string, string>;
}

export interface TestApp {
  app: App;
  database: Database;
  lifecycle: Lifecycle;
  /** app.request with JSON encoding of `json` */
  call(method: string, path: string, options?: { json?: unknown; body?: string; headers?: Record<string, string> }): Promise<Response>;
  signUp(name?: string): Promise<SignedInUser>;
  close(): Promise<void>;
}

let users = 0;

/** The real app (real auth, real database) answering in-process through app.request(). */
export async function createTestApp(backend: Backend, env: Record<string, string> = {}, databaseUrl?: string): Promise<TestApp> {
  const logger = createLogger("silent");
  const database = backend === "postgres" ? openPostgres(databaseUrl ?? (await createPostgresDatabase()), 5, logger) : await openPglite("memory://");
  await database.migrate();
  const lifecycle = newLifecycle();
  lifecycle.migrated = true;
  const parsed = loadEnv({ NODE_ENV: "test", LOG_LEVEL: "silent", BETTER_AUTH_SECRET: "test-secret-0123456789abcdef", ...env });
  const auth = createAuth({ db: database.db, secret: parsed.BETTER_AUTH_SECRET ?? "", publicUrl: parsed.PUBLIC_URL, trustedOrigins: parsed.TRUSTED_ORIGINS, logger });
  const app = createApp({ env: parsed, database, auth, logger, lifecycle });

  const call: TestApp["call"] = (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    let body = options.body;
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    }
    return Promise.resolve(app.request(path, { method, headers, body }));
  };

  return {
    app,
    database,
    lifecycle,
    call,
    async signUp(name = `user${++users}`) {
      const email = `${name}-${Date.now().toString(36)}-${users}@example.com`;
      // each user is a client of its own (documentation addresses, 198.18.0.0/15), as behind the frontend's proxy
      const response = await call("POST", "/api/auth/sign-up/email", {
        json: { name, email, password: "correct-horse-1" },
        headers: { origin: ORIGIN, "x-forwarded-for": `198.18.${Math.floor(users / 250) % 250}.${users % 250}` },
      });
      if (response.status !== 200) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
      const token = response.headers.get("set-auth-token");
      const body = (await response.json()) as { user: { id: string } };
      if (!token) throw new Error("sign-up returned no set-auth-token header");
      return { id: body.user.id, email, token, auth: { authorization: `Bearer ${token}` } };
    },
    close: () => database.close(),
  };
}
