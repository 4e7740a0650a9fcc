import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { bearer } from "better-auth/plugins/bearer";
import type { Db } from "../db/database.ts";
import { account, session, user, verification } from "../db/schema/auth.ts";
import type { Logger } from "../logger.ts";
import { trustedOriginsFor } from "./trusted-origins.ts";

export interface AuthOptions {
  db: Db;
  secret: string;
  publicUrl: string;
  trustedOrigins: readonly string[];
  logger: Logger;
}

/** Better Auth: email + password, session cookies, and `set-auth-token` bearer tokens. */
export function createAuth({ db, secret, publicUrl, trustedOrigins, logger }: AuthOptions) {
  return betterAuth({
    appName: "Todo Chatbot",
    baseURL: publicUrl,
    basePath: "/api/auth",
    secret,
    database: drizzleAdapter(db, { provider: "pg", schema: { user, session, account, verification } }),
    emailAndPassword: { enabled: true, autoSignIn: true, minPasswordLength: 8 },
    plugins: [bearer()],
    trustedOrigins: (request) => trustedOriginsFor(request, publicUrl, trustedOrigins),
    telemetry: { enabled: false },
    // Better Auth skips the Origin check when NODE_ENV=test; keep it on everywhere so tests see production.
    advanced: { disableOriginCheck: false },
    logger: {
      level: "warn",
      log: (level, message) => logger[level === "debug" ? "debug" : level]({ component: "better-auth" }, message),
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
